package io.jetbus.core;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Headers;
import io.jetbus.api.Message;
import io.jetbus.api.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.jetbus.core.Tests.TIMEOUT;
import static io.jetbus.core.Tests.bytes;
import static io.jetbus.core.Tests.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher ring's record layout ({@link MessageDescriptor}): every combination of subject, reply subject and
 * headers survives the trip, and a record routed to a subscription that has gone never reaches the subscription that
 * took its slot.
 */
@Timeout(30)
class RingRecordTest
{
    private final EmbeddedBus bus = EmbeddedBus.builder().build();
    private final Connection nc = bus.connect();

    @AfterEach
    void close()
    {
        bus.close();
    }

    /** What a handler saw, copied while the flyweight was valid. */
    private record Seen(String subject, String replyTo, Headers headers, String data, int dataLength)
    {
        static Seen of(final Message m)
        {
            final byte[] viaBuffer = new byte[m.dataBuffer().remaining()];
            m.dataBuffer().get(viaBuffer);
            assertThat(text(viaBuffer)).isEqualTo(text(m.data()));
            return new Seen(m.subject(), m.replyTo(), m.hasHeaders() ? m.headers() : null, text(m.data()),
                m.dataLength());
        }
    }

    @Test
    void shouldCarryEveryCombinationOfOptionalPartsToLiteralAndWildcardSubscriptions() throws Exception
    {
        final List<Seen> literal = new CopyOnWriteArrayList<>();
        final List<Seen> wildcard = new CopyOnWriteArrayList<>();
        final CountDownLatch all = new CountDownLatch(16);
        final Dispatcher dispatcher = nc.createDispatcher();
        dispatcher.subscribe("orders.créé", m ->
        {
            literal.add(Seen.of(m));
            all.countDown();
        });
        dispatcher.subscribe("orders.*", m ->
        {
            wildcard.add(Seen.of(m));
            all.countDown();
        });
        final Headers headers = new Headers().add("Trace-Id", "t1");
        final List<Seen> sent = new ArrayList<>();
        for (final String replyTo : new String[] {null, "_INBOX.réponse"})
        {
            for (final Headers h : new Headers[] {null, headers})
            {
                for (final String data : new String[] {"", "payload"})
                {
                    nc.publish("orders.créé", replyTo, h, bytes(data));
                    sent.add(new Seen("orders.créé", replyTo, h, data, bytes(data).length));
                }
            }
        }

        assertThat(all.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(literal).containsExactlyElementsOf(sent);
        assertThat(wildcard).containsExactlyElementsOf(sent);
    }

    @Test
    void shouldDeliverToEachOfManySubscriptionsOnOneDispatcher() throws Exception
    {
        final int count = 100;
        final String[] got = new String[count];
        final CountDownLatch all = new CountDownLatch(count);
        final Dispatcher dispatcher = nc.createDispatcher();
        for (int i = 0; i < count; i++)
        {
            final int n = i;
            dispatcher.subscribe(i % 2 == 0 ? "s." + i : "s." + i + ".>", m ->
            {
                got[n] = m.subject() + "=" + text(m.data());
                all.countDown();
            });
        }
        for (int i = 0; i < count; i++)
        {
            nc.publish(i % 2 == 0 ? "s." + i : "s." + i + ".x", bytes(Integer.toString(i)));
        }

        assertThat(all.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        for (int i = 0; i < count; i++)
        {
            assertThat(got[i]).isEqualTo((i % 2 == 0 ? "s." + i : "s." + i + ".x") + "=" + i);
        }
    }

    @Test
    void shouldNeverHandARecordForAnUnsubscribedSubscriptionToTheOneInItsSlot() throws Exception
    {
        final Dispatcher dispatcher = nc.createDispatcher();
        final CountDownLatch gateEntered = new CountDownLatch(1);
        final CountDownLatch gateOpen = new CountDownLatch(1);
        dispatcher.subscribe("gate", m ->
        {
            gateEntered.countDown();
            await(gateOpen);
        });
        final List<String> oldGot = new CopyOnWriteArrayList<>();
        final Subscription old = dispatcher.subscribe("old", m -> oldGot.add(text(m.data())));
        final int oldKey = ((DispatcherSubscription)old).key;

        nc.publish("gate", bytes("hold"));
        assertThat(gateEntered.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        nc.publish("old", bytes("1"));
        nc.publish("old", bytes("2"));
        old.unsubscribe();

        // Subscribe and unsubscribe until a new subscription sits in the slot the old one held.
        final List<String> newGot = new CopyOnWriteArrayList<>();
        Subscription successor = null;
        for (int i = 0; i < 16 && successor == null; i++)
        {
            final Subscription candidate = dispatcher.subscribe("new", m -> newGot.add(text(m.data())));
            if ((((DispatcherSubscription)candidate).key & 3) == (oldKey & 3))
            {
                successor = candidate;
            }
            else
            {
                candidate.unsubscribe();
            }
        }
        assertThat(successor).as("a subscription in the old one's slot").isNotNull();
        assertThat(((DispatcherSubscription)successor).key).isNotEqualTo(oldKey);

        gateOpen.countDown();
        nc.publish("new", bytes("3"));
        nc.flush(Duration.ofSeconds(10));

        assertThat(oldGot).isEmpty();
        assertThat(newGot).containsExactly("3");
        assertThat(old.deliveredCount()).isZero();
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            assertThat(latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
