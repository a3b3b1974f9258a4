package io.jetbus.jetstream;

import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.DeliverPolicy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of one durable consumer, in a directory named after it inside the stream's consumers directory:
 * <ul>
 *     <li>{@value #META}: a {@link StateFile} with the configuration, creation time and {@link ConsumerStart},
 *     rewritten on update;</li>
 *     <li>{@value #STATE}: a {@link StateFile} with the last {@link AckSnapshot} and the generation of the log that
 *     follows it;</li>
 *     <li>{@value #LOG}: a {@link RecordLog} of the {@link AckEvent}s since that snapshot, one record per event,
 *     written as the {@link AckTracker} reports them (in the page cache when the operation returns, so they survive a
 *     process crash, without a system call each; {@link #sync()} for power loss).</li>
 * </ul>
 * Compaction writes a new snapshot naming the log's next generation, then empties the log as that generation: a crash
 * between the two leaves a log whose generation is older than the snapshot's, and its events (already in the
 * snapshot) are ignored on load.
 *
 * <p>Not thread-safe: its consumer calls it under its lock.
 */
final class ConsumerFiles implements AckEventHandler, AutoCloseable
{
    static final String META = "consumer.meta";
    static final String STATE = "consumer.state";
    static final String LOG = "acks.log";

    private static final int META_VERSION = 1;
    private static final byte DELIVERED = 1;
    private static final byte ACKED = 2;
    private static final byte ACKED_ALL = 3;
    private static final byte TERMINATED = 4;
    private static final byte MAX_DELIVERED = 5;

    /** What a consumer directory held. */
    record Loaded(ConsumerConfig config, Instant created, ConsumerStart start, AckSnapshot base, List<AckEvent> events)
    {
    }

    private final Path dir;
    private final String owner;
    private final RecordLog log;
    private final ByteBuffer record = ByteBuffer.allocate(17);
    private long eventsSinceSnapshot;
    private IOException failure;
    /** An append that failed since the last snapshot: the log misses an event, so a sync cannot make it whole. */
    private IOException lostEvent;

    private ConsumerFiles(final Path dir, final String owner, final RecordLog log)
    {
        this.dir = dir;
        this.owner = owner;
        this.log = log;
    }

    /**
     * Create the files of a new durable consumer, replacing any left over.
     */
    static ConsumerFiles create(
        final Path consumersDir, final String stream, final String name, final ConsumerConfig config,
        final Instant created, final ConsumerStart start, final AckSnapshot initial) throws IOException
    {
        final Path dir = consumersDir.resolve(name);
        if (Files.exists(dir))
        {
            deleteRecursively(dir);
        }
        Files.createDirectories(dir);
        StateFile.write(dir.resolve(META), encodeMeta(config, created, start), true);
        final String owner = owner(stream, name);
        final RecordLog log = RecordLog.open(dir.resolve(LOG), owner, (offset, payload) ->
        {
        });
        StateFile.write(dir.resolve(STATE), encodeSnapshot(log.generation(), initial), true);
        return new ConsumerFiles(dir, owner, log);
    }

    /**
     * Open the files of an existing durable consumer.
     *
     * @param loaded receives what the files held.
     */
    static ConsumerFiles open(final Path dir, final String stream, final java.util.function.Consumer<Loaded> loaded)
        throws IOException
    {
        final String name = dir.getFileName().toString();
        final String owner = owner(stream, name);
        final byte[] meta = StateFile.read(dir.resolve(META), owner);
        if (meta == null)
        {
            throw new IOException("consumer directory " + dir + " has no " + META);
        }
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(meta));
        if (in.readInt() != META_VERSION)
        {
            throw new IOException("unsupported consumer metadata version in " + dir.resolve(META));
        }
        final ConsumerConfig config = readConfig(in);
        final Instant created = Instant.ofEpochSecond(in.readLong(), in.readInt());
        final ConsumerStart start = readStart(in);

        final byte[] state = StateFile.read(dir.resolve(STATE), owner);
        long snapshotGeneration = 0;
        AckSnapshot base = AckSnapshot.EMPTY;
        if (state != null)
        {
            final DataInputStream s = new DataInputStream(new ByteArrayInputStream(state));
            snapshotGeneration = s.readLong();
            base = readSnapshot(s);
        }
        final List<AckEvent> events = new ArrayList<>();
        final RecordLog log = RecordLog.open(dir.resolve(LOG), owner, (offset, payload) -> events.add(decode(payload)));
        if (log.generation() < snapshotGeneration)
        {
            events.clear(); // compaction was interrupted: the snapshot already holds these events
        }
        final ConsumerFiles files = new ConsumerFiles(dir, owner, log);
        files.eventsSinceSnapshot = events.size();
        loaded.accept(new Loaded(config, created, start, base, events));
        return files;
    }

    /**
     * The log's damage found on open, or null.
     */
    String damage()
    {
        return log.damage();
    }

    Path dir()
    {
        return dir;
    }

    void writeMeta(final ConsumerConfig config, final Instant created, final ConsumerStart start) throws IOException
    {
        StateFile.write(dir.resolve(META), encodeMeta(config, created, start), true);
    }

    /**
     * Replace snapshot and log with this state.
     */
    void compact(final AckSnapshot snapshot) throws IOException
    {
        final long nextGeneration = log.generation() + 1;
        StateFile.write(dir.resolve(STATE), encodeSnapshot(nextGeneration, snapshot), true);
        log.rewrite(List.of());
        eventsSinceSnapshot = 0;
        lostEvent = null;
    }

    long eventsSinceSnapshot()
    {
        return eventsSinceSnapshot;
    }

    /**
     * Make every event logged so far durable.
     *
     * @throws IOException if the sync fails, or an event could not be logged since the last snapshot.
     */
    void sync() throws IOException
    {
        if (lostEvent != null)
        {
            throw new IOException("an event could not be logged: " + lostEvent.getMessage(), lostEvent);
        }
        log.sync();
    }

    /**
     * The first failure to append since the last call, or null; clears it.
     */
    IOException takeFailure()
    {
        final IOException f = failure;
        failure = null;
        return f;
    }

    @Override
    public void close()
    {
        try
        {
            log.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void onDelivered(final long streamSeq, final long consumerSeq)
    {
        append(DELIVERED, streamSeq, consumerSeq, true);
    }

    @Override
    public void onAcked(final long streamSeq)
    {
        append(ACKED, streamSeq, 0, false);
    }

    @Override
    public void onAckedAll(final long upToStreamSeq)
    {
        append(ACKED_ALL, upToStreamSeq, 0, false);
    }

    @Override
    public void onTerminated(final long streamSeq)
    {
        append(TERMINATED, streamSeq, 0, false);
    }

    @Override
    public void onMaxDelivered(final long streamSeq)
    {
        append(MAX_DELIVERED, streamSeq, 0, false);
    }

    private void append(final byte type, final long a, final long b, final boolean two)
    {
        record.clear();
        record.put(type).putLong(a);
        if (two)
        {
            record.putLong(b);
        }
        record.flip();
        try
        {
            log.append(record);
            eventsSinceSnapshot++;
        }
        catch (final IOException ex)
        {
            lostEvent = ex;
            if (failure == null)
            {
                failure = ex;
            }
        }
    }

    static AckEvent decode(final byte[] payload)
    {
        final ByteBuffer buf = ByteBuffer.wrap(payload);
        final byte type = buf.get();
        final long a = buf.getLong();
        switch (type)
        {
            case DELIVERED:
                return new AckEvent.Delivered(a, buf.getLong());
            case ACKED:
                return new AckEvent.Acked(a);
            case ACKED_ALL:
                return new AckEvent.AckedAll(a);
            case TERMINATED:
                return new AckEvent.Terminated(a);
            case MAX_DELIVERED:
                return new AckEvent.MaxDelivered(a);
            default:
                throw new IllegalStateException("unknown consumer log record type " + type);
        }
    }

    static byte[] encodeMeta(final ConsumerConfig config, final Instant created, final ConsumerStart start)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(META_VERSION);
            writeConfig(out, config);
            out.writeLong(created.getEpochSecond());
            out.writeInt(created.getNano());
            out.writeLong(start.startSeq());
            out.writeLong(start.lastPerSubjectCutoff());
            out.writeInt(start.lastPerSubjectCount());
            for (int i = 0; i < start.lastPerSubjectCount(); i++)
            {
                out.writeLong(start.lastPerSubject(i));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    private static ConsumerStart readStart(final DataInputStream in) throws IOException
    {
        final long startSeq = in.readLong();
        final long cutoff = in.readLong();
        final long[] seqs = new long[checkCount(in.readInt())];
        for (int i = 0; i < seqs.length; i++)
        {
            seqs[i] = in.readLong();
        }
        return new ConsumerStart(startSeq, seqs, cutoff);
    }

    private static void writeConfig(final DataOutputStream out, final ConsumerConfig c) throws IOException
    {
        writeString(out, c.durableName());
        writeString(out, c.name());
        writeString(out, c.description());
        out.writeUTF(c.deliverPolicy().name());
        out.writeLong(c.optStartSeq());
        out.writeBoolean(c.optStartTime() != null);
        if (c.optStartTime() != null)
        {
            out.writeLong(c.optStartTime().getEpochSecond());
            out.writeInt(c.optStartTime().getNano());
        }
        out.writeUTF(c.ackPolicy().name());
        writeDuration(out, c.ackWait());
        out.writeInt(c.maxDeliver());
        out.writeInt(c.backoff().size());
        for (final Duration d : c.backoff())
        {
            writeDuration(out, d);
        }
        out.writeInt(c.maxAckPending());
        out.writeInt(c.filterSubjects().size());
        for (final String f : c.filterSubjects())
        {
            out.writeUTF(f);
        }
    }

    private static ConsumerConfig readConfig(final DataInputStream in) throws IOException
    {
        final String durableName = readString(in);
        final String name = readString(in);
        final String description = readString(in);
        final DeliverPolicy deliverPolicy = DeliverPolicy.valueOf(in.readUTF());
        final long optStartSeq = in.readLong();
        final Instant optStartTime = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
        final AckPolicy ackPolicy = AckPolicy.valueOf(in.readUTF());
        final Duration ackWait = readDuration(in);
        final int maxDeliver = in.readInt();
        final List<Duration> backoff = new ArrayList<>();
        for (int i = checkCount(in.readInt()); i > 0; i--)
        {
            backoff.add(readDuration(in));
        }
        final int maxAckPending = in.readInt();
        final List<String> filters = new ArrayList<>();
        for (int i = checkCount(in.readInt()); i > 0; i--)
        {
            filters.add(in.readUTF());
        }
        return new ConsumerConfig(durableName, name, description, deliverPolicy, optStartSeq, optStartTime, ackPolicy,
            ackWait, maxDeliver, backoff, maxAckPending, filters);
    }

    static byte[] encodeSnapshot(final long generation, final AckSnapshot snapshot)
    {
        final ByteBuffer buf = ByteBuffer.allocate(28 + snapshot.pending().size() * 20);
        buf.putLong(generation).putLong(snapshot.deliveredStreamSeq()).putLong(snapshot.deliveredConsumerSeq());
        buf.putInt(snapshot.pending().size());
        for (final AckSnapshot.Pending p : snapshot.pending())
        {
            buf.putLong(p.streamSeq()).putLong(p.consumerSeq()).putInt(p.deliveryCount());
        }
        return buf.array();
    }

    private static AckSnapshot readSnapshot(final DataInputStream in) throws IOException
    {
        final long deliveredStreamSeq = in.readLong();
        final long deliveredConsumerSeq = in.readLong();
        final int n = checkCount(in.readInt());
        final List<AckSnapshot.Pending> pending = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            pending.add(new AckSnapshot.Pending(in.readLong(), in.readLong(), in.readInt()));
        }
        return AckSnapshot.of(deliveredStreamSeq, deliveredConsumerSeq, pending);
    }

    private static int checkCount(final int n) throws IOException
    {
        if (n < 0 || n > StateFile.MAX_PAYLOAD / 8)
        {
            throw new IOException("invalid count " + n + " in consumer state");
        }
        return n;
    }

    private static void writeString(final DataOutputStream out, final String s) throws IOException
    {
        out.writeBoolean(s != null);
        if (s != null)
        {
            out.writeUTF(s);
        }
    }

    private static String readString(final DataInputStream in) throws IOException
    {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeDuration(final DataOutputStream out, final Duration d) throws IOException
    {
        out.writeLong(d.getSeconds());
        out.writeInt(d.getNano());
    }

    private static Duration readDuration(final DataInputStream in) throws IOException
    {
        return Duration.ofSeconds(in.readLong(), in.readInt());
    }

    private static String owner(final String stream, final String name)
    {
        return "consumer \"" + name + "\" of stream \"" + stream + "\"";
    }

    static void deleteRecursively(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir))
        {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
