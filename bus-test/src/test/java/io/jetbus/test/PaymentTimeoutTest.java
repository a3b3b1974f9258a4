package io.jetbus.test;

import io.jetbus.api.Connection;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request timeout on the virtual clock, written as a user would: it fires when the test advances the clock, and
 * {@link JetbusKit#advance(Duration)} returns once the timeout's callback has published.
 */
@JetbusTest
class PaymentTimeoutTest
{
    @Test
    void shouldCancelTheOrderWhenPaymentTimesOut(JetbusKit kit, Connection nc)
    {
        ResponderStub payments = kit.respond("payments.charge").with(request -> null);  // never replies
        MessageRecorder cancelled = kit.record("orders.cancelled");

        nc.request("payments.charge", "{\"order\":7}".getBytes(UTF_8), Duration.ofSeconds(30))
            .exceptionally(timeout ->
            {
                nc.publish("orders.cancelled", "7".getBytes(UTF_8));
                return null;
            });

        kit.advance(Duration.ofSeconds(30));    // fires the timeout now, then waits for every handler
        assertThat(payments.requests()).hasSize(1);
        cancelled.assertCount(1);
    }
}
