package io.jetbus.bench;

import io.jetbus.api.ErrorListener;
import io.jetbus.api.Message;
import io.jetbus.api.MessageHandler;
import io.jetbus.api.Subscription;
import io.jetbus.core.EmbeddedBus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.agrona.concurrent.BusySpinIdleStrategy;

/**
 * Shared pieces of the Jetbus benchmarks: a bus that reports nothing (drops in a throughput run are counted, not
 * logged) and a handler that counts what it receives.
 */
final class BusBenchmarks
{
    private BusBenchmarks()
    {
    }

    /** The ring capacity of the raw baselines, so that Jetbus and its baseline buffer the same bytes. */
    static final int RING_CAPACITY = RingBufferBaselineBenchmark.CAPACITY;

    /** The largest payload a ring of {@link #RING_CAPACITY} can carry (a record is at most an eighth of it). */
    static final int MAX_PAYLOAD = 64 * 1024;

    /**
     * A builder for a bus whose error listener stays silent: a throughput run that outpaces its consumer drops
     * messages by design (as the raw baseline's failed offers), and those are counted by the benchmark instead.
     *
     * @return the builder.
     */
    static EmbeddedBus.Builder quietBus()
    {
        return EmbeddedBus.builder()
            .ringCapacity(RING_CAPACITY)
            .maxPayload(MAX_PAYLOAD)
            .errorListener(new ErrorListener()
            {
            });
    }

    /**
     * A quiet bus whose dispatchers wait with the given strategy.
     *
     * @param idle the idle strategy.
     * @return the builder.
     */
    static EmbeddedBus.Builder quietBus(final DispatcherIdle idle)
    {
        final EmbeddedBus.Builder builder = quietBus();
        if (idle == DispatcherIdle.BUSY_SPIN)
        {
            builder.idleStrategy(BusySpinIdleStrategy::new);
        }
        return builder;
    }

    /**
     * Sum of the counts of the handlers.
     *
     * @param handlers the handlers.
     * @return messages received by all of them.
     */
    static long received(final CountingHandler... handlers)
    {
        long sum = 0;
        for (final CountingHandler handler : handlers)
        {
            sum += handler.count();
        }
        return sum;
    }

    /**
     * Sum of the drop counts of the subscriptions.
     *
     * @param subscriptions the subscriptions.
     * @return messages dropped for all of them.
     */
    static long dropped(final Subscription... subscriptions)
    {
        long sum = 0;
        for (final Subscription subscription : subscriptions)
        {
            sum += subscription.droppedCount();
        }
        return sum;
    }

    /**
     * Counts messages and touches each payload through the zero-copy view, as the raw baseline's handler reads the
     * first bytes of each record. One dispatcher thread writes, any thread reads; padded so that two handlers on two
     * dispatchers never share a cache line.
     */
    static final class CountingHandler extends CountingHandlerValue implements MessageHandler
    {
        long p10;
        long p11;
        long p12;
        long p13;
        long p14;
        long p15;
        long p16;

        @Override
        public void onMessage(final Message message)
        {
            final java.nio.ByteBuffer data = message.dataBuffer();
            checksum += data.remaining() >= 8 ? data.getLong(data.position()) : data.remaining();
            COUNT.setRelease(this, count + 1);
        }

        long count()
        {
            return (long)COUNT.getVolatile(this);
        }
    }

    /** Padding before the hot fields. */
    abstract static class CountingHandlerPad
    {
        long p00;
        long p01;
        long p02;
        long p03;
        long p04;
        long p05;
        long p06;
    }

    /** The hot fields, inside the object so that the padding keeps them on a cache line of their own. */
    abstract static class CountingHandlerValue extends CountingHandlerPad
    {
        static final VarHandle COUNT;

        static
        {
            try
            {
                COUNT = MethodHandles.lookup().findVarHandle(CountingHandlerValue.class, "count", long.class);
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new ExceptionInInitializerError(ex);
            }
        }

        long count;
        long checksum;
    }
}
