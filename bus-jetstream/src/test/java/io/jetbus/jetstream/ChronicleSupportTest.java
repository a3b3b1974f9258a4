package io.jetbus.jetstream;

import net.openhft.chronicle.core.analytics.AnalyticsFacade;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RELIABILITY.md R19 (b) and R24 (the library part).
 */
class ChronicleSupportTest
{
    @Test
    void shouldHaveNoAnalyticsOnClassPath()
    {
        ChronicleSupport.ensureReady();
        assertThatThrownBy(() -> Class.forName("net.openhft.chronicle.analytics.Analytics"))
            .isInstanceOf(ClassNotFoundException.class);
        assertThat(AnalyticsFacade.isEnabled()).isFalse();
    }

    @Test
    void shouldDisableChronicleFeaturesOnlyWhenUnset()
    {
        final Properties props = new Properties();
        props.setProperty("chronicle.announcer.disable", "false");
        ChronicleSupport.disableFeatures(props);
        assertThat(props.getProperty("chronicle.analytics.disable")).isEqualTo("true");
        assertThat(props.getProperty("chronicle.disk.monitor.disable")).isEqualTo("true");
        assertThat(props.getProperty("chronicle.announcer.disable")).isEqualTo("false");
    }

    @Test
    void shouldFindAllFlagsInThisJvm()
    {
        assertThat(ChronicleSupport.missingJdkFlags(ChronicleSupport.class.getModule())).isEmpty();
    }

    @Test
    void shouldListExactFlagsWhenTheyAreMissing()
    {
        // the flags open packages to unnamed modules only, so a named module lacks them (java.logging happens to
        // get jdk.internal.misc from java.base itself, and sun.misc is exported to everyone)
        final Module named = ModuleLayer.boot().findModule("java.logging").orElseThrow();
        final List<String> missing = ChronicleSupport.missingJdkFlags(named);
        assertThat(missing).contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED").hasSize(7)
            .noneMatch(f -> f.contains("jdk.compiler"));
        assertThatThrownBy(() -> ChronicleSupport.checkJdkFlags(named))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("Jetbus file storage (Chronicle Queue) needs JVM flags that are missing: " +
                String.join(" ", missing) + ". Start the JVM with all of: " +
                String.join(" ", ChronicleSupport.JVM_FLAGS) + " (for example in JDK_JAVA_OPTIONS)");
    }

    @Test
    void shouldListTheSameFlagsAsTheParentPom() throws Exception
    {
        final String pom = Files.readString(Path.of("..", "pom.xml"));
        final Matcher m = Pattern.compile("<jetbus.jvmFlags>([^<]*)</jetbus.jvmFlags>").matcher(pom);
        assertThat(m.find()).isTrue();
        assertThat(List.of(m.group(1).trim().split("\\s+"))).isEqualTo(ChronicleSupport.JVM_FLAGS);
    }
}
