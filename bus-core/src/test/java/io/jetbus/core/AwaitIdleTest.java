package io.jetbus.core;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jetbus.core.Tests.TIMEOUT;
import static io.jetbus.core.Tests.bytes;
import static io.jetbus.core.Tests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class AwaitIdleTest
{
    private final EmbeddedBus bus = EmbeddedBus.builder().build();
    private final Connection nc = bus.connect();

    @AfterEach
    void close()
    {
        bus.close();
    }

    @Test
    void shouldWaitForMessagesThatHandlersPublishInTurn() throws Exception
    {
        final AtomicInteger last = new AtomicInteger();
        // Ten hops, each on another dispatcher: one flush only covers the first hop.
        final int hops = 10;
        for (int i = 0; i < hops; i++)
        {
            final int hop = i;
            final Dispatcher dispatcher = nc.createDispatcher(m ->
            {
                if (hop + 1 < hops)
                {
                    nc.publish("hop." + (hop + 1), m.data());
                }
                else
                {
                    last.set(Integer.parseInt(text(m.data())));
                }
            });
            dispatcher.subscribe("hop." + hop);
        }

        for (int n = 1; n <= 20; n++)
        {
            nc.publish("hop.0", bytes(Integer.toString(n)));
            bus.awaitIdle(TIMEOUT);
            assertThat(last).hasValue(n);
        }
    }

    @Test
    void shouldReturnAtOnceWhenNothingIsPending() throws Exception
    {
        nc.createDispatcher(m -> { }).subscribe("quiet");

        bus.awaitIdle(Duration.ofSeconds(1));
    }

    @Test
    void shouldTimeOutWhileAHandlerIsStuck() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        nc.createDispatcher(m -> release.await()).subscribe("stuck");
        nc.publish("stuck", null);

        assertThatThrownBy(() -> bus.awaitIdle(Duration.ofMillis(50)))
            .isInstanceOf(TimeoutException.class)
            .hasMessage("bus " + bus.id() + " did not become idle within PT0.05S");
        release.countDown();
        bus.awaitIdle(TIMEOUT);
    }
}
