package io.jetbus.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * Base class of every Jetbus benchmark: it carries the fork configuration once.
 * <p>
 * JMH's {@link Fork} is {@code @Inherited}, so a subclass that declares no {@code @Fork} of its own runs in one fork
 * with the JDK 17+ module flags of the parent POM property {@code jetbus.jvmFlags} (RELIABILITY.md 3.1) and
 * Chronicle's analytics, announcer and disk monitor turned off (RELIABILITY.md 3.2). A subclass that declares
 * {@code @Fork} replaces this one whole, flags included, so subclasses must not declare it.
 * {@code AbstractBenchmarkTest} checks that this list equals the POM property and that every generated benchmark
 * forks with it.
 */
@Fork(value = 1, jvmArgsPrepend = {
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
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
    "-Dchronicle.announcer.disable=true",
    "-Dchronicle.disk.monitor.disable=true"})
public abstract class AbstractBenchmark
{
    static
    {
        // Belt and braces for a fork started with other flags: set before any Chronicle class loads, keep an
        // explicit choice.
        disableIfUnset("chronicle.analytics.disable");
        disableIfUnset("chronicle.announcer.disable");
        disableIfUnset("chronicle.disk.monitor.disable");
    }

    private static void disableIfUnset(final String key)
    {
        if (System.getProperty(key) == null)
        {
            System.setProperty(key, "true");
        }
    }
}
