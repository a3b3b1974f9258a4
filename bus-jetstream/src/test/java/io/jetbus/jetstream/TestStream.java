package io.jetbus.jetstream;

import io.jetbus.api.ErrorListener;
import io.jetbus.api.jetstream.JetStreamAdvisory;
import io.jetbus.api.jetstream.RetentionPolicy;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.core.EmbeddedBus;
import io.jetbus.core.ManualTimeSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * A small {@link ConsumerSource} for the consumer tests: a stream over a {@link StreamStore} that applies WORK_QUEUE
 * and INTEREST retention as the seam says, with a bus on a manual clock that records advisories and errors.
 */
final class TestStream implements ConsumerSource, AutoCloseable
{
    /** Records what the bus reports. */
    static final class Recorder implements ErrorListener
    {
        final List<JetStreamAdvisory> advisories = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final List<Throwable> handlerErrors = new CopyOnWriteArrayList<>();

        @Override
        public void onAdvisory(final JetStreamAdvisory advisory)
        {
            advisories.add(advisory);
        }

        @Override
        public void onError(final Throwable error)
        {
            errors.add(error);
        }

        @Override
        public void onHandlerException(
            final io.jetbus.api.Subscription subscription, final String subject, final Throwable error)
        {
            handlerErrors.add(error);
        }
    }

    final ManualTimeSource clock;
    final Recorder recorder;
    final EmbeddedBus bus;
    final StreamStore store;
    final StreamConfig config;
    final Path consumersDir;
    final List<String> acknowledged = new CopyOnWriteArrayList<>();
    final List<Long> interestRemovedFrom = new CopyOnWriteArrayList<>();
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private final boolean ownsBus;
    volatile Consumers consumers;

    TestStream(final RetentionPolicy retention)
    {
        this(retention, new MemoryStreamStore("S"), null, null, null);
    }

    /**
     * @param bus a bus to share (its clock and recorder are given too), or null for a new one.
     */
    TestStream(final RetentionPolicy retention, final StreamStore store, final Path consumersDir,
        final EmbeddedBus bus, final TestStream sharing)
    {
        this.config = StreamConfig.builder().name("S").subjects("s.>").retention(retention).build();
        this.store = store;
        this.consumersDir = consumersDir;
        if (bus == null)
        {
            clock = new ManualTimeSource();
            recorder = new Recorder();
            this.bus = EmbeddedBus.builder().timeSource(clock).errorListener(recorder).build();
            ownsBus = true;
        }
        else
        {
            clock = sharing.clock;
            recorder = sharing.recorder;
            this.bus = bus;
            ownsBus = false;
        }
    }

    Consumers open()
    {
        consumers = new Consumers(this);
        return consumers;
    }

    long publish(final String subject, final String data)
    {
        final long seq = store.append(subject, new byte[0], data.getBytes(StandardCharsets.UTF_8),
            bus.timeSource().epochNanos());
        if (config.retention() == RetentionPolicy.INTEREST && consumers != null && !consumers.hasInterest(subject))
        {
            store.delete(seq);
        }
        changed();
        return seq;
    }

    void changed()
    {
        final long last = store.state().lastSeq();
        for (final LongConsumer l : listeners)
        {
            l.accept(last);
        }
    }

    @Override
    public String streamName()
    {
        return "S";
    }

    @Override
    public StreamConfig config()
    {
        return config;
    }

    @Override
    public StreamStore store()
    {
        return store;
    }

    @Override
    public EmbeddedBus bus()
    {
        return bus;
    }

    @Override
    public Path consumersDir()
    {
        return consumersDir;
    }

    @Override
    public AutoCloseable onChange(final LongConsumer listener)
    {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void acknowledged(final String consumer, final long streamSeq)
    {
        acknowledged.add(consumer + ":" + streamSeq);
        if (config.retention() == RetentionPolicy.WORK_QUEUE)
        {
            if (store.delete(streamSeq))
            {
                changed();
            }
        }
        else if (config.retention() == RetentionPolicy.INTEREST)
        {
            final StoredMessage m = store.read(streamSeq);
            if (m != null && consumers.allDone(streamSeq, m.subject()) && store.delete(streamSeq))
            {
                changed();
            }
        }
    }

    @Override
    public void interestRemoved(final long fromSeq)
    {
        interestRemovedFrom.add(fromSeq);
    }

    @Override
    public void close()
    {
        if (consumers != null)
        {
            consumers.close();
        }
        store.close();
        if (ownsBus)
        {
            bus.close();
        }
    }
}
