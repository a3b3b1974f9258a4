package io.jetbus.cli;

import io.jetbus.api.Connection;
import io.jetbus.api.Headers;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.JetStreamApiException;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.MessageInfo;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.api.jetstream.StreamInfo;
import io.jetbus.api.jetstream.StreamState;
import io.jetbus.core.EmbeddedBus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jetbus stream ls|info|view DIR}: inspect the streams a bus keeps in a storage directory, like
 * {@code nats stream}. It opens the directory as a bus does, so it takes the directory's lock (a running bus on it
 * makes the command fail, naming that process) and recovers a stream's torn tail as a bus would.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
    description = "Inspect the streams in a Jetbus storage directory.",
    subcommands = {StreamCommand.Ls.class, StreamCommand.Info.class, StreamCommand.View.class})
final class StreamCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /** Open the directory, run the body, close. */
    private static void withStreams(final Path dir, final Body body) throws Exception
    {
        if (!Files.isDirectory(dir))
        {
            throw new IllegalArgumentException("no storage directory at " + dir);
        }
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(dir).build(); Connection nc = bus.connect("jetbus-cli"))
        {
            body.run(nc.jetStreamManagement());
        }
    }

    @FunctionalInterface
    private interface Body
    {
        void run(JetStreamManagement jsm) throws Exception;
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the streams and their sizes.")
    static final class Ls implements Callable<Integer>
    {
        @Parameters(index = "0", paramLabel = "DIR", description = "The bus's storage directory.")
        Path dir;

        private final PrintStream out = System.out;

        @Override
        public Integer call() throws Exception
        {
            withStreams(dir, jsm ->
            {
                final List<StreamInfo> streams = jsm.streams();
                if (streams.isEmpty())
                {
                    out.println("no streams in " + dir);
                    return;
                }
                out.printf("%-20s %-8s %-10s %12s %14s %10s %10s  %s%n", "Stream", "Storage", "Retention", "Messages",
                    "Bytes", "First seq", "Last seq", "Subjects");
                for (final StreamInfo info : streams)
                {
                    final StreamConfig c = info.config();
                    final StreamState s = info.state();
                    out.printf("%-20s %-8s %-10s %,12d %,14d %10d %10d  %s%n", c.name(), c.storage(), c.retention(),
                        s.msgs(), s.bytes(), s.firstSeq(), s.lastSeq(), String.join(", ", c.subjects()));
                }
            });
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a stream's configuration, state and consumers.")
    static final class Info implements Callable<Integer>
    {
        @Parameters(index = "0", paramLabel = "DIR", description = "The bus's storage directory.")
        Path dir;

        @Parameters(index = "1", paramLabel = "STREAM", description = "The stream's name.")
        String stream;

        private final PrintStream out = System.out;

        @Override
        public Integer call() throws Exception
        {
            withStreams(dir, jsm ->
            {
                final StreamInfo info = jsm.streamInfo(stream);
                final StreamConfig c = info.config();
                final StreamState s = info.state();
                out.printf("Stream %s, created %s%n", c.name(), info.created());
                out.printf("  subjects:           %s%n", String.join(", ", c.subjects()));
                out.printf("  storage, retention: %s, %s (discard %s)%n", c.storage(), c.retention(), c.discard());
                out.printf("  limits:             max msgs %s, max bytes %s, max age %s, max msg size %s, " +
                    "max msgs per subject %s%n", limit(c.maxMsgs()), limit(c.maxBytes()),
                    c.maxAge().isZero() ? "unlimited" : c.maxAge(), limit(c.maxMsgSize()),
                    limit(c.maxMsgsPerSubject()));
                out.printf("  duplicate window:   %s; flush: %s%n", c.duplicateWindow(), c.flushPolicy());
                out.printf("State%n  messages: %,d (%,d bytes), %,d subjects, %,d deleted%n", s.msgs(), s.bytes(),
                    s.numSubjects(), s.numDeleted());
                out.printf("  first: seq %d at %s%n  last:  seq %d at %s%n", s.firstSeq(), s.firstTime(),
                    s.lastSeq(), s.lastTime());
                final List<ConsumerInfo> consumers = jsm.consumers(stream);
                out.printf("Consumers: %d%n", consumers.size());
                for (final ConsumerInfo ci : consumers)
                {
                    out.printf("  %-20s ack %-8s delivered %d (consumer seq %d), ack floor %d, %,d pending, " +
                        "%,d awaiting ack, %,d redelivered%n", ci.name(), ci.config().ackPolicy(),
                        ci.delivered().streamSeq(), ci.delivered().consumerSeq(), ci.ackFloor().streamSeq(),
                        ci.numPending(), ci.numAckPending(), ci.numRedelivered());
                }
            });
            return 0;
        }

        private static String limit(final long value)
        {
            return value < 0 ? "unlimited" : String.format("%,d", value);
        }
    }

    @Command(name = "view", mixinStandardHelpOptions = true,
        description = "Print a stream's messages, oldest first, like `nats stream view`.")
    static final class View implements Callable<Integer>
    {
        @Parameters(index = "0", paramLabel = "DIR", description = "The bus's storage directory.")
        Path dir;

        @Parameters(index = "1", paramLabel = "STREAM", description = "The stream's name.")
        String stream;

        @Option(names = "--from", paramLabel = "SEQ", description = "The first sequence to show (default: the first).")
        long from;

        @Option(names = {"-n", "--count"}, paramLabel = "N", description = "How many messages to show (default: 10).")
        int count = 10;

        private final PrintStream out = System.out;

        @Override
        public Integer call() throws Exception
        {
            if (count <= 0)
            {
                throw new IllegalArgumentException("invalid --count " + count + ": must be > 0");
            }
            withStreams(dir, jsm ->
            {
                final StreamState s = jsm.streamInfo(stream).state();
                int shown = 0;
                for (long seq = Math.max(from, s.firstSeq()); seq <= s.lastSeq() && shown < count; seq++)
                {
                    final MessageInfo m;
                    try
                    {
                        m = jsm.message(stream, seq);
                    }
                    catch (final JetStreamApiException deleted)
                    {
                        continue;
                    }
                    shown++;
                    out.printf("[%d] %s %s (%,d bytes)%n", m.seq(), m.time(), m.subject(), m.data().length);
                    final Headers headers = m.headers();
                    if (headers != null && !headers.isEmpty())
                    {
                        out.println("  headers: " + headers);
                    }
                    out.println("  " + printable(m.data()));
                }
                if (shown == 0)
                {
                    out.println("no messages in " + stream + (from > 0 ? " from seq " + from : ""));
                }
            });
            return 0;
        }

        /** The payload as text when it is UTF-8 without control characters, else a hex dump of its start. */
        private static String printable(final byte[] data)
        {
            final String text = new String(data, StandardCharsets.UTF_8);
            if (text.chars().noneMatch(ch -> ch < 0x20 && ch != '\t' || ch == 0xFFFD))
            {
                return text.length() > 200 ? text.substring(0, 200) + "..." : text;
            }
            final StringBuilder hex = new StringBuilder();
            for (int i = 0; i < Math.min(data.length, 64); i++)
            {
                hex.append(String.format("%02x", data[i] & 0xFF)).append(i % 2 == 1 ? " " : "");
            }
            return hex.append(data.length > 64 ? "..." : "").toString().trim();
        }
    }
}
