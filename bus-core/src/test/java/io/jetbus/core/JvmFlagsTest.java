package io.jetbus.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JvmFlagsTest
{
    @Test
    void shouldAcceptFlagsTheTestJvmWasStartedWith()
    {
        assertThatCode(() -> JvmFlags.require(getClass().getModule(), JvmFlags.ALL.toArray(new String[0])))
            .doesNotThrowAnyException();
    }

    @Test
    void shouldNameMissingFlagAndFullList()
    {
        assertThatThrownBy(() -> JvmFlags.require(getClass().getModule(),
            "--add-opens=java.base/java.net=ALL-UNNAMED"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("Jetbus needs JVM flags that are missing: " +
                "--add-opens=java.base/java.net=ALL-UNNAMED. Start the JVM with all of: " +
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED ");
    }
}
