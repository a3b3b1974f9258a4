package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.MessageHandler;
import io.jetbus.api.Subscription;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.DeliverPolicy;
import io.jetbus.api.jetstream.JetStreamApiException;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.RetentionPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The consumers of one stream. Thread-safe.
 *
 * <p>Durable consumers of a file stream keep their state under {@link ConsumerSource#consumersDir()}, one directory
 * per consumer ({@link ConsumerFiles}); they are restored when this is constructed. Ephemeral consumers live in memory
 * and are deleted when their last subscription ends.
 *
 * <p>With {@link RetentionPolicy#WORK_QUEUE} a consumer must acknowledge explicitly, deliver all, and read subjects no
 * other consumer reads; with {@link RetentionPolicy#INTEREST} the stream asks {@link #hasInterest} and
 * {@link #allDone}. Each consumer tells the stream through {@link ConsumerSource#acknowledged} when it is done with a
 * message (acknowledged, terminated, or given up after max deliver; with {@link AckPolicy#NONE} on delivery).
 */
final class Consumers implements AutoCloseable
{
    private static final StreamConsumer[] NONE = new StreamConsumer[0];

    private final ConsumerSource source;
    private final Object lock = new Object();
    private final TreeMap<String, StreamConsumer> byName = new TreeMap<>();
    private volatile StreamConsumer[] all = NONE;
    private final AutoCloseable listener;
    private boolean closed;

    /**
     * Restores every durable consumer found under source.consumersDir() (if not null).
     *
     * @param source the stream.
     */
    Consumers(final ConsumerSource source)
    {
        this.source = Objects.requireNonNull(source, "source");
        final Path dir = source.consumersDir();
        if (dir != null)
        {
            restoreAll(dir);
        }
        listener = source.onChange(last -> onChange());
    }

    private void restoreAll(final Path dir)
    {
        final List<Path> dirs;
        try (Stream<Path> list = Files.list(dir))
        {
            dirs = list.filter(p -> Files.isRegularFile(p.resolve(ConsumerFiles.META))).sorted().toList();
        }
        catch (final IOException ex)
        {
            source.bus().errorListener().onError(new IllegalStateException("could not list the consumers of stream \"" +
                source.streamName() + "\" in " + dir + ": " + ex.getMessage(), ex));
            return;
        }
        for (final Path consumerDir : dirs)
        {
            try
            {
                final ConsumerFiles.Loaded[] loaded = new ConsumerFiles.Loaded[1];
                final ConsumerFiles files = ConsumerFiles.open(consumerDir, source.streamName(), l -> loaded[0] = l);
                if (files.damage() != null)
                {
                    source.bus().errorListener().onError(new IllegalStateException("consumer \"" +
                        consumerDir.getFileName() + "\" of stream \"" + source.streamName() + "\": " + files.damage()));
                }
                final ConsumerFiles.Loaded l = loaded[0];
                final String name = l.config().durableName();
                final StreamConsumer consumer = new StreamConsumer(this, source, name, l.config(), l.created(),
                    l.start(), l.base(), l.events(), files);
                byName.put(name, consumer);
            }
            catch (final IOException | RuntimeException ex)
            {
                source.bus().errorListener().onError(new IllegalStateException("could not restore consumer \"" +
                    consumerDir.getFileName() + "\" of stream \"" + source.streamName() + "\": " + ex.getMessage(),
                    ex));
            }
        }
        all = byName.values().toArray(NONE);
    }

    /**
     * Create a consumer, or update an existing one of the same name (JetStreamManagement.addOrUpdateConsumer).
     *
     * @param config the configuration.
     * @return the consumer's information.
     * @throws JetStreamApiException if the change is not allowed or the stream's retention refuses the consumer.
     */
    ConsumerInfo addOrUpdate(final ConsumerConfig config)
    {
        Objects.requireNonNull(config, "config");
        final StreamConsumer consumer;
        synchronized (lock)
        {
            checkOpen();
            sweepLocked();
            final String name = nameOf(config);
            final StreamConsumer existing = name == null ? null : byName.get(name);
            if (existing != null)
            {
                if (!existing.config().equals(config))
                {
                    existing.config().checkUpdate(config);
                    checkRetention(config, name);
                    existing.update(config);
                }
                consumer = existing;
            }
            else
            {
                checkRetention(config, name);
                consumer = create(config, name);
            }
        }
        return consumer.info();
    }

    /**
     * @param name the consumer's name.
     * @return false if absent.
     */
    boolean delete(final String name)
    {
        final StreamConsumer consumer;
        synchronized (lock)
        {
            checkOpen();
            consumer = byName.remove(name);
            if (consumer == null)
            {
                return false;
            }
            all = byName.values().toArray(NONE);
        }
        final long ackFloor = consumer.ackFloorStreamSeq();
        consumer.delete();
        if (source.config().retention() == RetentionPolicy.INTEREST)
        {
            source.interestRemoved(ackFloor + 1); // what only this consumer still needed goes now
        }
        return true;
    }

    /**
     * @param name the consumer's name.
     * @return its information.
     * @throws JetStreamApiException (consumer not found) if absent.
     */
    ConsumerInfo info(final String name)
    {
        return get(name).info();
    }

    /**
     * @return the consumer names, sorted.
     */
    List<String> names()
    {
        synchronized (lock)
        {
            checkOpen();
            sweepLocked();
            return List.copyOf(byName.keySet());
        }
    }

    /**
     * @return every consumer's information, sorted by name.
     */
    List<ConsumerInfo> infos()
    {
        final List<StreamConsumer> consumers;
        synchronized (lock)
        {
            checkOpen();
            sweepLocked();
            consumers = List.copyOf(byName.values());
        }
        final List<ConsumerInfo> infos = new ArrayList<>(consumers.size());
        for (final StreamConsumer c : consumers)
        {
            if (!c.isClosed())
            {
                infos.add(c.info());
            }
        }
        return infos;
    }

    /**
     * @return how many consumers the stream has.
     */
    int count()
    {
        synchronized (lock)
        {
            checkOpen();
            sweepLocked();
            return byName.size();
        }
    }

    /**
     * Create a consumer and subscribe to it in pull mode, or bind to an existing one with an equal configuration.
     *
     * @param connection the subscribing connection.
     * @param config     the configuration.
     * @return the subscription.
     * @throws JetStreamApiException if a consumer of that name exists with another configuration, is bound to a
     *                               push subscription, or the stream's retention refuses the consumer.
     */
    PullSubscription pullSubscribe(final Connection connection, final ConsumerConfig config)
    {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(config, "config");
        synchronized (lock)
        {
            final StreamConsumer consumer = createOrBind(config);
            try
            {
                return consumer.bindPull(connection);
            }
            catch (final RuntimeException ex)
            {
                removeIfUnbound(consumer);
                throw ex;
            }
        }
    }

    /**
     * @param connection the subscribing connection.
     * @param name       the consumer's name.
     * @return a pull subscription to the existing consumer.
     * @throws JetStreamApiException if there is no such consumer, or it is bound to a push subscription.
     */
    PullSubscription bind(final Connection connection, final String name)
    {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(name, "name");
        synchronized (lock)
        {
            checkOpen();
            sweepLocked();
            return get(name).bindPull(connection);
        }
    }

    /**
     * Create a consumer (or bind to an unbound one with an equal configuration) that pushes to a handler on a
     * dispatcher.
     *
     * @param connection the subscribing connection.
     * @param config     the configuration.
     * @param dispatcher the dispatcher whose thread calls the handler.
     * @param handler    the handler.
     * @return the subscription.
     * @throws IllegalStateException if the dispatcher is closed.
     * @throws JetStreamApiException if a consumer of that name exists with another configuration or is bound, or the
     *                               stream's retention refuses the consumer.
     */
    Subscription pushSubscribe(
        final Connection connection, final ConsumerConfig config, final Dispatcher dispatcher,
        final MessageHandler handler)
    {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(dispatcher, "dispatcher");
        Objects.requireNonNull(handler, "handler");
        if (!dispatcher.isActive())
        {
            throw new IllegalStateException("dispatcher is closed");
        }
        final StreamConsumer consumer;
        synchronized (lock)
        {
            consumer = createOrBind(config);
        }
        try
        {
            return consumer.bindPush(connection, dispatcher, handler);
        }
        catch (final RuntimeException ex)
        {
            synchronized (lock)
            {
                removeIfUnbound(consumer);
            }
            throw ex;
        }
    }

    /**
     * INTEREST retention: true when at least one consumer's filter matches the subject.
     *
     * @param subject a literal subject.
     * @return whether some consumer would read it.
     */
    boolean hasInterest(final String subject)
    {
        for (final StreamConsumer c : all)
        {
            if (c.matches(subject))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * INTEREST retention: true when every consumer whose filter matches the subject is done with the message
     * (acked, terminated, or given up after max deliver).
     *
     * @param streamSeq the message's sequence.
     * @param subject   its subject.
     * @return whether the stream may remove it.
     */
    boolean allDone(final long streamSeq, final String subject)
    {
        for (final StreamConsumer c : all)
        {
            if (c.matches(subject) && !c.isDone(streamSeq))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Bus or stream closing: stop timers and deliveries, persist durable state, keep it on disk. Idempotent.
     */
    @Override
    public void close()
    {
        shutdown(false);
    }

    /**
     * Stream deleted: close, and remove every consumer's state.
     */
    void deleteAll()
    {
        shutdown(true);
    }

    private void shutdown(final boolean delete)
    {
        final List<StreamConsumer> consumers;
        synchronized (lock)
        {
            if (closed && !delete)
            {
                return;
            }
            closed = true;
            consumers = List.copyOf(byName.values());
            if (delete)
            {
                byName.clear();
                all = NONE;
            }
        }
        try
        {
            listener.close();
        }
        catch (final Exception ex)
        {
            source.bus().errorListener().onError(ex);
        }
        for (final StreamConsumer c : consumers)
        {
            if (delete)
            {
                c.delete();
            }
            else
            {
                c.close();
            }
        }
        if (delete && source.consumersDir() != null)
        {
            try (Stream<Path> list = Files.list(source.consumersDir()))
            {
                for (final Path p : list.toList())
                {
                    ConsumerFiles.deleteRecursively(p);
                }
            }
            catch (final IOException ex)
            {
                source.bus().errorListener().onError(ex);
            }
        }
    }

    /**
     * The last subscription of an ephemeral consumer ended.
     */
    void removeEphemeral(final StreamConsumer consumer)
    {
        synchronized (lock)
        {
            if (byName.get(consumer.name()) != consumer || consumer.hasBindings())
            {
                return;
            }
            byName.remove(consumer.name());
            all = byName.values().toArray(NONE);
        }
        consumer.delete();
    }

    private void onChange()
    {
        for (final StreamConsumer c : all)
        {
            c.onStreamChange();
        }
    }

    private StreamConsumer get(final String name)
    {
        Objects.requireNonNull(name, "name");
        final StreamConsumer consumer;
        synchronized (lock)
        {
            checkOpen();
            consumer = byName.get(name);
        }
        if (consumer == null)
        {
            throw JetStreamApiException.consumerNotFound(source.streamName(), name);
        }
        return consumer;
    }

    private StreamConsumer createOrBind(final ConsumerConfig config)
    {
        checkOpen();
        sweepLocked();
        final String name = nameOf(config);
        final StreamConsumer existing = name == null ? null : byName.get(name);
        if (existing != null)
        {
            if (!existing.config().equals(config))
            {
                throw JetStreamApiException.consumerAlreadyExists(source.streamName(), name);
            }
            return existing;
        }
        checkRetention(config, name);
        return create(config, name);
    }

    private void removeIfUnbound(final StreamConsumer consumer)
    {
        if (!consumer.isDurable() && !consumer.hasBindings() && byName.get(consumer.name()) == consumer)
        {
            byName.remove(consumer.name());
            all = byName.values().toArray(NONE);
            consumer.delete();
        }
    }

    private StreamConsumer create(final ConsumerConfig config, final String requestedName)
    {
        final String name = requestedName != null ? requestedName : generateName();
        final StreamStore store = source.store();
        final ConsumerStart start = ConsumerStart.of(config, store);
        final Instant created = JetStreamMessage.timestamp(source.bus().timeSource().epochNanos());
        ConsumerFiles files = null;
        final Path dir = source.consumersDir();
        if (config.isDurable() && dir != null)
        {
            try
            {
                files = ConsumerFiles.create(dir, source.streamName(), name, config, created, start,
                    StreamConsumer.initialSnapshot(start));
            }
            catch (final IOException ex)
            {
                throw JetStreamApiException.consumerCreateFailed(name, "could not store its state in " + dir + ": " +
                    ex.getMessage());
            }
        }
        final StreamConsumer consumer = new StreamConsumer(this, source, name, config, created, start, null,
            List.of(), files);
        byName.put(name, consumer);
        all = byName.values().toArray(NONE);
        return consumer;
    }

    private String generateName()
    {
        while (true)
        {
            final String name = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36)
                .toUpperCase(java.util.Locale.ROOT);
            if (!byName.containsKey(name))
            {
                return name;
            }
        }
    }

    /**
     * WORK_QUEUE rules, as NATS checks them: explicit ack, no second unfiltered consumer, no overlapping filters,
     * deliver all.
     */
    private void checkRetention(final ConsumerConfig config, final String name)
    {
        if (source.config().retention() != RetentionPolicy.WORK_QUEUE)
        {
            return;
        }
        final String stream = source.streamName();
        if (config.ackPolicy() != AckPolicy.EXPLICIT)
        {
            throw JetStreamApiException.workQueueRequiresExplicitAck(stream, config.ackPolicy());
        }
        final List<StreamConsumer> others = new ArrayList<>();
        for (final StreamConsumer c : byName.values())
        {
            if (!c.name().equals(name))
            {
                others.add(c);
            }
        }
        if (!others.isEmpty())
        {
            final List<String> filters = config.filterSubjects();
            if (filters.isEmpty())
            {
                throw JetStreamApiException.workQueueMultipleUnfiltered(stream);
            }
            for (final StreamConsumer other : others)
            {
                final List<String> otherFilters = other.config().filterSubjects().isEmpty() ?
                    List.of(">") : other.config().filterSubjects();
                for (final String filter : filters)
                {
                    for (final String otherFilter : otherFilters)
                    {
                        if (overlap(filter, otherFilter))
                        {
                            throw JetStreamApiException.workQueueConsumerNotUnique(stream, filter, other.name(),
                                otherFilter);
                        }
                    }
                }
            }
        }
        if (config.deliverPolicy() != DeliverPolicy.ALL)
        {
            throw JetStreamApiException.workQueueNotDeliverAll(stream, config.deliverPolicy());
        }
    }

    /**
     * Whether some literal subject matches both patterns.
     */
    static boolean overlap(final String a, final String b)
    {
        final String[] ta = a.split("\\.", -1);
        final String[] tb = b.split("\\.", -1);
        final int n = Math.min(ta.length, tb.length);
        for (int i = 0; i < n; i++)
        {
            final String x = ta[i];
            final String y = tb[i];
            if (x.equals(">") || y.equals(">"))
            {
                return true;
            }
            if (!x.equals("*") && !y.equals("*") && !x.equals(y))
            {
                return false;
            }
        }
        return ta.length == tb.length;
    }

    private static String nameOf(final ConsumerConfig config)
    {
        return config.durableName() != null ? config.durableName() : config.name();
    }

    private void sweepLocked()
    {
        for (final StreamConsumer c : byName.values().toArray(NONE))
        {
            c.sweepBindings();
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("the consumers of stream \"" + source.streamName() + "\" are closed");
        }
    }
}
