package io.jetbus.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks, at start, that the JVM grants the module access Jetbus's libraries need, and fails with the exact flags
 * instead of a late {@code IllegalAccessError} deep inside Agrona or Chronicle. Public as a hook for
 * {@code bus-jetstream}.
 */
public final class JvmFlags
{
    /**
     * Every flag a Jetbus process needs on JDK 17+ (Agrona needs the first; Chronicle Queue all of them).
     */
    public static final List<String> ALL = List.of(
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

    private JvmFlags()
    {
    }

    static void requireAgronaAccess()
    {
        require(EmbeddedBus.class.getModule(), "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
    }

    /**
     * Check that each flag is in force for {@code module}, or throw naming the missing ones and the full list.
     *
     * @param module the module that needs the access (the unnamed module of the caller's class loader, usually).
     * @param flags  flags of the form {@code --add-exports=java.base/sun.nio.ch=ALL-UNNAMED} or
     *               {@code --add-opens=...}.
     * @throws IllegalStateException if any flag is missing.
     */
    public static void require(final Module module, final String... flags)
    {
        List<String> missing = null;
        for (final String flag : flags)
        {
            if (!granted(module, flag))
            {
                if (missing == null)
                {
                    missing = new ArrayList<>();
                }
                missing.add(flag);
            }
        }
        if (missing != null)
        {
            throw new IllegalStateException("Jetbus needs JVM flags that are missing: " + String.join(" ", missing) +
                ". Start the JVM with all of: " + String.join(" ", ALL) +
                " (in Maven Surefire's argLine, Gradle's jvmArgs, or JDK_JAVA_OPTIONS; see the README, " +
                "\"Configuration and JVM flags\")");
        }
    }

    private static boolean granted(final Module module, final String flag)
    {
        final boolean opens = flag.startsWith("--add-opens=");
        final String spec = flag.substring(flag.indexOf('=') + 1);
        final int slash = spec.indexOf('/');
        final int equals = spec.indexOf('=');
        final String moduleName = spec.substring(0, slash);
        final String packageName = spec.substring(slash + 1, equals);
        final Module target = ModuleLayer.boot().findModule(moduleName).orElse(null);
        if (target == null)
        {
            return true;
        }
        return opens ? target.isOpen(packageName, module) : target.isExported(packageName, module);
    }
}
