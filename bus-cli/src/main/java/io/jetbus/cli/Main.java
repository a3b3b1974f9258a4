package io.jetbus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code jetbus} command.
 */
@Command(
    name = "jetbus",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Jetbus: an embedded, in-process message bus for the JVM with NATS semantics.",
    subcommands = {DemoCommand.class, StreamCommand.class, BenchCommand.class, JmhCommand.class, SoakCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Run the command line. With {@code -Djetbus.debugThreads=true} it lists the live threads on stderr before it
     * exits, so a test can check that nothing unexpected (such as a usage-analytics thread) ran.
     *
     * @param args the arguments.
     */
    public static void main(final String[] args)
    {
        final int exitCode = run(args);
        if (Boolean.getBoolean("jetbus.debugThreads"))
        {
            Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted()
                .forEach(name -> System.err.println("thread: " + name));
        }
        System.exit(exitCode);
    }

    static int run(final String... args)
    {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jetbus " + (version == null ? "development build" : version),
                "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")};
        }
    }
}
