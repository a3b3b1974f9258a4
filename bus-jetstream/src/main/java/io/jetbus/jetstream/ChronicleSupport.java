package io.jetbus.jetstream;

import io.jetbus.core.JvmFlags;

import java.util.List;
import java.util.Properties;

/**
 * Makes the JVM safe for Chronicle Queue before any Chronicle class initialises (RELIABILITY.md 3.1, 3.2).
 *
 * <p>The static initializer turns off Chronicle's usage analytics, its banner and its disk-space monitor (Jetbus
 * checks space itself), each only if the embedder has not set the property: they are JVM-global.
 * {@link #ensureReady()} checks the JDK module flags and fails with the exact list instead of Chronicle's
 * {@code AssertionError} about {@code FileChannelImpl.map0}. Call it before touching any Chronicle class.
 */
final class ChronicleSupport
{
    /** The flags Chronicle needs: all of Jetbus's but the jdk.compiler ones (runtime-compiled writers only). */
    static final String[] JVM_FLAGS = JvmFlags.ALL.stream()
        .filter(flag -> !flag.contains("=jdk.compiler/"))
        .toArray(String[]::new);

    /** Chronicle properties Jetbus sets unless already set. */
    static final List<String> DISABLED_FEATURES = List.of(
        "chronicle.analytics.disable", "chronicle.announcer.disable", "chronicle.disk.monitor.disable");

    static
    {
        disableFeatures(System.getProperties());
    }

    private ChronicleSupport()
    {
    }

    /**
     * Sets each of {@link #DISABLED_FEATURES} to {@code "true"} if it is unset.
     *
     * @param properties the system properties (a parameter for tests).
     */
    static void disableFeatures(final Properties properties)
    {
        for (final String key : DISABLED_FEATURES)
        {
            if (properties.getProperty(key) == null)
            {
                properties.setProperty(key, "true");
            }
        }
    }

    /**
     * Checks that this JVM can run Chronicle Queue.
     *
     * @throws IllegalStateException listing the missing and the full set of flags.
     */
    static void ensureReady()
    {
        checkJdkFlags(ChronicleSupport.class.getModule());
    }

    /**
     * @param target the module that uses Chronicle (the unnamed module on a class path).
     * @throws IllegalStateException listing the missing and the full set of flags.
     */
    static void checkJdkFlags(final Module target)
    {
        JvmFlags.require(target, JVM_FLAGS);
    }
}
