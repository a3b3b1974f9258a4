package io.jetbus.core;

import io.jetbus.api.Connection;
import io.jetbus.api.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jetbus.core.Tests.TIMEOUT;
import static io.jetbus.core.Tests.bytes;
import static io.jetbus.core.Tests.text;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class QueueGroupTest
{
    private final EmbeddedBus bus = EmbeddedBus.builder().build();

    @AfterEach
    void close()
    {
        bus.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 8})
    void shouldDeliverEachMessageToExactlyOneMemberSpreadEvenly(final int members) throws Exception
    {
        final int messages = members * 300;
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final AtomicInteger duplicates = new AtomicInteger();
        final List<AtomicInteger> counts = new ArrayList<>();
        final List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < members; i++)
        {
            final AtomicInteger count = new AtomicInteger();
            counts.add(count);
            final Connection c = bus.connect("member-" + i);
            connections.add(c);
            c.createDispatcher(m ->
            {
                count.incrementAndGet();
                if (!seen.add(text(m.data())))
                {
                    duplicates.incrementAndGet();
                }
            }).subscribe("tasks.process", "workers");
        }
        final Connection publisher = bus.connect();
        for (int i = 0; i < messages; i++)
        {
            publisher.publish("tasks.process", bytes(Integer.toString(i)));
        }
        publisher.flush(TIMEOUT);

        assertThat(seen).hasSize(messages);
        assertThat(duplicates).hasValue(0);
        for (final AtomicInteger count : counts)
        {
            assertThat(count.get()).isEqualTo(messages / members);
        }
    }

    @Test
    void shouldStillGivePlainSubscribersEveryMessage() throws Exception
    {
        final Connection nc = bus.connect();
        final Subscription plain = nc.subscribe("jobs.*");
        final AtomicInteger groupA = new AtomicInteger();
        final AtomicInteger groupB = new AtomicInteger();
        nc.createDispatcher(m -> groupA.incrementAndGet()).subscribe("jobs.run", "a");
        nc.createDispatcher(m -> groupA.incrementAndGet()).subscribe("jobs.*", "a");
        final Subscription b1 = nc.subscribe("jobs.run", "b");
        final Subscription b2 = nc.subscribe("jobs.>", "b");

        for (int i = 0; i < 100; i++)
        {
            nc.publish("jobs.run", bytes("x"));
        }
        nc.flush(TIMEOUT);

        assertThat(plain.pendingMessageCount()).isEqualTo(100);
        assertThat(groupA).hasValue(100);
        assertThat(b1.pendingMessageCount() + b2.pendingMessageCount()).isEqualTo(100);
        assertThat(b1.pendingMessageCount()).isEqualTo(50);
        assertThat(groupB).hasValue(0);
    }

    @Test
    void shouldRebalanceWhenMemberLeaves() throws Exception
    {
        final Connection nc = bus.connect();
        final Subscription a = nc.subscribe("q", "g");
        final Subscription b = nc.subscribe("q", "g");
        b.unsubscribe();
        for (int i = 0; i < 10; i++)
        {
            nc.publish("q", bytes("x"));
        }
        assertThat(a.pendingMessageCount()).isEqualTo(10);
    }
}
