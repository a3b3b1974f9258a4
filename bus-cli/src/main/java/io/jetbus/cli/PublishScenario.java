package io.jetbus.cli;

import io.jetbus.api.Connection;
import io.jetbus.api.Subscription;
import io.jetbus.core.EmbeddedBus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The core publish scenarios: {@code pub} (publishers only, nobody subscribed), {@code sub} and {@code pubsub}
 * (every subscriber gets every message; {@code sub} reports the subscriber side), and {@code queue} (the subscribers
 * form one queue group, each message goes to one of them). Each subscriber has its own dispatcher thread; each
 * publisher its own thread and connection. A full ring blocks its publisher, so every message arrives.
 * With payloads of 8 bytes or more the subscribers measure end-to-end latency from the publish time the publisher
 * writes into the payload.
 */
final class PublishScenario implements BenchScenario
{
    static final String SUBJECT = "bench.core";
    static final String QUEUE = "bench-workers";

    /** What the subscribers are. */
    enum Kind
    {
        /** No subscribers: the cost of publishing alone. */
        PUB,
        /** Every subscriber gets every message; the report leads with the subscriber side. */
        SUB,
        /** Every subscriber gets every message. */
        PUBSUB,
        /** One queue group: each message goes to one subscriber. */
        QUEUE
    }

    private final String name;
    private final Kind kind;
    private final String summary;
    private final BenchOptions standard;

    PublishScenario(final String name, final Kind kind, final String summary, final BenchOptions standard)
    {
        this.name = name;
        this.kind = kind;
        this.summary = summary;
        this.standard = standard;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public String summary()
    {
        return summary;
    }

    @Override
    public BenchOptions standardOptions()
    {
        return standard;
    }

    @Override
    public BenchResult run(final BenchOptions options, final BenchProgress progress) throws Exception
    {
        final AtomicReference<Throwable> errors = new AtomicReference<>();
        try (EmbeddedBus bus = BenchRun.newBus(options.size(), errors))
        {
            final int subs = kind == Kind.PUB ? 0 : options.subs();
            final boolean latency = options.size() >= BenchRun.TIMESTAMP_BYTES;
            final List<BenchRun.Subscriber> subscribers = new ArrayList<>();
            final List<Subscription> subscriptions = new ArrayList<>();
            final Connection subscriberConnection = bus.connect("bench-sub");
            for (int s = 0; s < subs; s++)
            {
                final BenchRun.Subscriber subscriber = new BenchRun.Subscriber(latency);
                subscribers.add(subscriber);
                subscriptions.add(kind == Kind.QUEUE ?
                    subscriberConnection.createDispatcher(subscriber).subscribe(SUBJECT, QUEUE) :
                    subscriberConnection.createDispatcher(subscriber).subscribe(SUBJECT));
            }
            final int size = options.size();
            final BenchRun.Publishers publishers = new BenchRun.Publishers(bus, options, index ->
            {
                final byte[] payload = new byte[size];
                if (latency)
                {
                    return (nc, sequence) ->
                    {
                        putLong(payload, System.nanoTime());
                        nc.publish(SUBJECT, payload);
                    };
                }
                return (nc, sequence) -> nc.publish(SUBJECT, payload);
            });
            final long expected = kind == Kind.QUEUE ? (subs == 0 ? 0 : options.msgs()) : options.msgs() * subs;
            if (subs == 0)
            {
                progress.start(name, options.msgs(), publishers::sent);
            }
            else
            {
                progress.start(name, expected, () -> BenchRun.delivered(subscribers));
            }
            final long startNs = publishers.start();
            final List<BenchResult.Rate> publisherRates;
            try
            {
                publisherRates = publishers.await();
                BenchRun.awaitDeliveries(subscribers, subscriptions, expected, errors);
            }
            finally
            {
                progress.stop();
            }
            long endNs = System.nanoTime();
            if (!subscribers.isEmpty())
            {
                endNs = 0;
                for (final BenchRun.Subscriber subscriber : subscribers)
                {
                    endNs = Math.max(endNs, subscriber.lastNs());
                }
            }
            final List<BenchResult.Rate> subscriberRates = new ArrayList<>();
            for (final BenchRun.Subscriber subscriber : subscribers)
            {
                subscriberRates.add(subscriber.rate());
            }
            return new BenchResult(name, options, endNs - startNs, options.msgs(), BenchRun.delivered(subscribers),
                BenchRun.dropped(subscriptions), publisherRates, subscriberRates, BenchRun.mergedLatency(subscribers),
                "end to end");
        }
    }

    private static void putLong(final byte[] payload, final long value)
    {
        for (int i = 0; i < Long.BYTES; i++)
        {
            payload[i] = (byte)(value >>> (8 * (Long.BYTES - 1 - i)));
        }
    }
}
