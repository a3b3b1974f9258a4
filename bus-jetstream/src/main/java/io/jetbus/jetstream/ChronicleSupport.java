package io.jetbus.jetstream;

import io.jetbus.core.JvmFlags;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Makes the JVM safe for Chronicle Queue before any Chronicle class initialises (RELIABILITY.md 3.1, 3.2).
 *
 * <p>The static initializer turns off Chronicle's usage analytics, its banner and its disk-space monitor (Jetbus
 * checks space itself), and makes mappings default to {@code SyncMode.NONE} (Jetbus forces files itself), each only
 * if the embedder has not set the property: they are JVM-global.
 * {@link #ensureReady()} checks the JDK module flags and fails with the exact list instead of Chronicle's
 * {@code AssertionError} about {@code FileChannelImpl.map0}. Call it before touching any Chronicle class.
 */
final class ChronicleSupport
{
    /** The flags Chronicle needs: all of Jetbus's but the jdk.compiler ones (runtime-compiled writers only). */
    static final String[] JVM_FLAGS = JvmFlags.ALL.stream()
        .filter(flag -> !flag.contains("=jdk.compiler/"))
        .toArray(String[]::new);

    /** Chronicle properties Jetbus sets unless already set, with their values. */
    static final Map<String, String> DEFAULTS = defaults();

    static
    {
        disableFeatures(System.getProperties());
    }

    private ChronicleSupport()
    {
    }

    private static Map<String, String> defaults()
    {
        final Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("chronicle.analytics.disable", "true");
        defaults.put("chronicle.announcer.disable", "true");
        defaults.put("chronicle.disk.monitor.disable", "true");
        // Chronicle msyncs a mapping with MS_ASYNC when it releases it, a no-op on Linux that costs the first release
        // in a JVM a few hundred milliseconds of loading the JNR POSIX binding on Chronicle's releaser thread. Jetbus
        // makes writes durable itself, with FileChannel.force (GroupCommit, RELIABILITY.md 3.9), so it maps with
        // SyncMode.NONE: the store's queue sets it explicitly; this default covers the metadata file, whose mapping
        // Chronicle creates with MappedFile.DEFAULT_SYNC_MODE.
        defaults.put("mappedFile.defaultSyncMode", "NONE");
        return Collections.unmodifiableMap(defaults);
    }

    /**
     * Sets each of {@link #DEFAULTS} that is unset to its value.
     *
     * @param properties the system properties (a parameter for tests).
     */
    static void disableFeatures(final Properties properties)
    {
        DEFAULTS.forEach((key, value) ->
        {
            if (properties.getProperty(key) == null)
            {
                properties.setProperty(key, value);
            }
        });
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
