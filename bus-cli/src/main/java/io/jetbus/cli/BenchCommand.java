package io.jetbus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jetbus bench <scenario>}: throughput and latency of an embedded bus, in the spirit of {@code nats bench}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure an embedded bus: msgs/s, MB/s, per-publisher and per-subscriber rates, latency.",
        "",
        "Scenarios:",
        "  pub      publishers only, nobody subscribed: the cost of a publish",
        "  sub      every subscriber gets every message; reports the subscriber side",
        "  pubsub   publishers and subscribers, fan-out (end-to-end latency with --size >= 8)",
        "  queue    the subscribers form one queue group: each message goes to one of them",
        "  request  request-reply round trips, one outstanding request per publisher",
        "  js-pub   synchronous JetStream publish into a stream; publish latency until the PubAck (--subs ignored)",
        "  js-consume  pre-fill a stream, then pull in batches and ack each message explicitly; the subscribers",
        "           share one durable consumer",
        "  all      each of the above with its standard options (well under two minutes)",
        "",
        "Each subscriber has its own dispatcher (or, for js-consume, thread), each publisher its own thread and",
        "connection; a full ring blocks its publisher, so every message arrives. The JetStream scenarios' stream",
        "lives in a temp directory, removed afterwards. MB/s counts payload bytes, 1 MB = 10^6 bytes."})
final class BenchCommand implements Callable<Integer>
{
    /** When to draw the progress bar. */
    enum ProgressMode
    {
        /** When a console is attached. */
        AUTO,
        /** Always, on stderr. */
        ALWAYS,
        /** Never. */
        NEVER
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<scenario>",
        description = "pub, sub, pubsub, queue, request, js-pub, js-consume or all.")
    private String scenario;

    @Option(names = "--msgs", paramLabel = "N", description = "Messages (or requests) in total; default 1000000.")
    private Long msgs;

    @Option(names = "--size", paramLabel = "B", description = "Payload bytes; default 16.")
    private Integer size;

    @Option(names = "--pubs", paramLabel = "P", description = "Publishing threads; default 1.")
    private Integer pubs;

    @Option(names = "--subs", paramLabel = "S", description = "Subscribers (responders for request); default 1.")
    private Integer subs;

    @Option(names = "--storage", paramLabel = "file|memory",
        description = "The stream's storage, for js-pub and js-consume; default file.")
    private String storage;

    @Option(names = "--flush", paramLabel = "none|interval|always",
        description = "When a file stream forces writes to the disk: never, every second, or before each PubAck; " +
            "for js-pub and js-consume; default none.")
    private String flush;

    @Option(names = "--json", description = "Print the results as one JSON object instead of a table.")
    private boolean json;

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "AUTO",
        description = "Progress bar on stderr: ${COMPLETION-CANDIDATES}; default ${DEFAULT-VALUE} (when a console " +
            "is attached).")
    private ProgressMode progressMode;

    @Override
    public Integer call() throws Exception
    {
        final PrintStream out = System.out;
        final List<BenchResult> results = new ArrayList<>();
        final BenchProgress progress = progress();
        if ("all".equals(scenario))
        {
            for (final BenchScenario each : BenchScenarios.ALL)
            {
                final BenchResult result = each.run(options(each.standardOptions()), progress);
                results.add(result);
                if (!json)
                {
                    out.println(BenchReport.table(result));
                }
            }
        }
        else
        {
            final BenchScenario chosen;
            try
            {
                chosen = BenchScenarios.named(scenario);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
            }
            final BenchResult result = chosen.run(options(new BenchOptions(1_000_000, 16, 1, 1)), progress);
            results.add(result);
            if (!json)
            {
                out.print(BenchReport.table(result));
            }
        }
        if (json)
        {
            out.println(results.size() == 1 ? BenchReport.json(results.get(0)) : BenchReport.json(results));
        }
        out.flush();
        return 0;
    }

    /** The defaults, overridden by whatever was given on the command line. */
    private BenchOptions options(final BenchOptions defaults)
    {
        try
        {
            return new BenchOptions(msgs != null ? msgs : defaults.msgs(), size != null ? size : defaults.size(),
                pubs != null ? pubs : defaults.pubs(), subs != null ? subs : defaults.subs(),
                storage != null ? BenchOptions.Storage.parse(storage) : defaults.storage(),
                flush != null ? BenchOptions.Flush.parse(flush) : defaults.flush());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
    }

    private BenchProgress progress()
    {
        final boolean show = progressMode == ProgressMode.ALWAYS ||
            (progressMode == ProgressMode.AUTO && System.console() != null);
        return show ? new BenchProgress(System.err) : BenchProgress.none();
    }
}
