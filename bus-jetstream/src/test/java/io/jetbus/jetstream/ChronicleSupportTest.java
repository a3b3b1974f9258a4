package io.jetbus.jetstream;

import io.jetbus.core.JvmFlags;

import net.openhft.chronicle.core.analytics.AnalyticsFacade;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
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
        assertThat(props.getProperty("mappedFile.defaultSyncMode")).isEqualTo("NONE");
    }

    @Test
    void shouldKeepTheEmbeddersSyncModeWhenSet()
    {
        final Properties props = new Properties();
        props.setProperty("mappedFile.defaultSyncMode", "SYNC");
        ChronicleSupport.disableFeatures(props);
        assertThat(props.getProperty("mappedFile.defaultSyncMode")).isEqualTo("SYNC");
    }

    @Test
    void shouldMapWithoutChronicleMsyncSinceTheStoreForcesFilesItself()
    {
        ChronicleSupport.ensureReady();
        assertThat(System.getProperty("mappedFile.defaultSyncMode")).isEqualTo("NONE");
    }

    @Test
    void shouldFindAllFlagsInThisJvm()
    {
        assertThatCode(() -> ChronicleSupport.checkJdkFlags(ChronicleSupport.class.getModule()))
            .doesNotThrowAnyException();
    }

    @Test
    void shouldListExactFlagsWhenTheyAreMissing()
    {
        // the flags open packages to unnamed modules only, so a named module lacks them (java.logging happens to
        // get jdk.internal.misc from java.base itself, and sun.misc is exported to everyone)
        final Module named = ModuleLayer.boot().findModule("java.logging").orElseThrow();
        assertThatThrownBy(() -> ChronicleSupport.checkJdkFlags(named))
            .isInstanceOf(IllegalStateException.class)
            .satisfies(error ->
            {
                final String missing = error.getMessage().substring(0, error.getMessage().indexOf(". Start"));
                assertThat(missing).startsWith("Jetbus needs JVM flags that are missing: ")
                    .contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED")
                    .doesNotContain("jdk.compiler");
                assertThat(missing.split(" ")).as("7 missing flags after the 7-word prefix").hasSize(7 + 7);
            })
            .hasMessageContaining("Start the JVM with all of: " + String.join(" ", JvmFlags.ALL));
    }

    @Test
    void shouldListTheSameFlagsAsTheParentPom() throws Exception
    {
        final String pom = Files.readString(Path.of("..", "pom.xml"));
        final Matcher m = Pattern.compile("<jetbus.jvmFlags>([^<]*)</jetbus.jvmFlags>").matcher(pom);
        assertThat(m.find()).isTrue();
        assertThat(List.of(m.group(1).trim().split("\\s+"))).isEqualTo(JvmFlags.ALL);
    }
}
