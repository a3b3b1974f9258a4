package io.jetbus.jetstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    /** The JVM flags Chronicle Queue needs on JDK 17+; the same list as the parent pom's {@code jetbus.jvmFlags}. */
    static final List<String> JVM_FLAGS = List.of(
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED");

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
        final List<String> missing = missingJdkFlags(target);
        if (!missing.isEmpty())
        {
            throw new IllegalStateException("Jetbus file storage (Chronicle Queue) needs JVM flags that are missing: " +
                String.join(" ", missing) + ". Start the JVM with all of: " + String.join(" ", JVM_FLAGS) +
                " (for example in JDK_JAVA_OPTIONS)");
        }
    }

    /**
     * The flags whose effect is absent for {@code target}. The {@code jdk.compiler} flags are not required (only
     * runtime-compiled method writers use them, and a jlinked runtime may lack the module).
     *
     * @param target the module that uses Chronicle.
     * @return the missing flags, in {@link #JVM_FLAGS} order.
     */
    static List<String> missingJdkFlags(final Module target)
    {
        final List<String> missing = new ArrayList<>();
        for (final String flag : JVM_FLAGS)
        {
            final boolean opens = flag.startsWith("--add-opens=");
            final String spec = flag.substring(flag.indexOf('=') + 1, flag.lastIndexOf('='));
            final String moduleName = spec.substring(0, spec.indexOf('/'));
            final String pkg = spec.substring(spec.indexOf('/') + 1);
            if ("jdk.compiler".equals(moduleName))
            {
                continue;
            }
            final Optional<Module> module = ModuleLayer.boot().findModule(moduleName);
            if (module.isEmpty())
            {
                missing.add(flag);
                continue;
            }
            final boolean ok = opens ? module.get().isOpen(pkg, target) : module.get().isExported(pkg, target);
            if (!ok)
            {
                missing.add(flag);
            }
        }
        return missing;
    }
}
