package io.jetbus.api.jetstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ConsumerConfigTest
{
    private static final Instant START = Instant.parse("2024-01-02T03:04:05Z");

    @Test
    void shouldApplyNatsDefaults()
    {
        final ConsumerConfig config = ConsumerConfig.builder().build();

        assertThat(config.durableName()).isNull();
        assertThat(config.name()).isNull();
        assertThat(config.isDurable()).isFalse();
        assertThat(config.description()).isNull();
        assertThat(config.deliverPolicy()).isEqualTo(DeliverPolicy.ALL);
        assertThat(config.optStartSeq()).isEqualTo(ConsumerConfig.NO_START_SEQUENCE).isZero();
        assertThat(config.optStartTime()).isNull();
        assertThat(config.ackPolicy()).isEqualTo(AckPolicy.EXPLICIT);
        assertThat(config.ackWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.maxDeliver()).isEqualTo(-1);
        assertThat(config.backoff()).isEmpty();
        assertThat(config.maxAckPending()).isEqualTo(1000);
        assertThat(config.filterSubjects()).isEmpty();
    }

    @Test
    void shouldSetEveryField()
    {
        assertThat(fullConfig()).isEqualTo(new ConsumerConfig("worker", "worker", "the workers",
            DeliverPolicy.BY_START_SEQUENCE, 42, null, AckPolicy.ALL, Duration.ofSeconds(1), 5,
            List.of(Duration.ofSeconds(1), Duration.ofSeconds(5)), 100, List.of("orders.*", "refunds.>")));
        assertThat(fullConfig().isDurable()).isTrue();
    }

    @Test
    void shouldDeriveAckWaitFromFirstBackoffEntry()
    {
        final ConsumerConfig config = ConsumerConfig.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(10))
            .build();

        assertThat(config.ackWait()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void shouldRejectExplicitAckWaitDifferentFromFirstBackoffNamingBoth()
    {
        final ConsumerConfig.Builder builder = ConsumerConfig.builder().ackWait(Duration.ofSeconds(30))
            .backoff(Duration.ofSeconds(1));

        assertThatThrownBy(builder::build)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("ackWait=PT30S must equal backoff[0]=PT1S (the first backoff entry is the ack wait of the " +
                "first delivery)");
    }

    @Test
    void shouldRequireMaxDeliverGreaterThanBackoffSize()
    {
        final ConsumerConfig.Builder builder = ConsumerConfig.builder().maxDeliver(2)
            .backoff(Duration.ofSeconds(1), Duration.ofSeconds(2));

        assertThatThrownBy(builder::build)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("maxDeliver=2 must be greater than the number of backoff entries=2");
        assertThat(builder.maxDeliver(3).build().maxDeliver()).isEqualTo(3);
        assertThat(builder.maxDeliver(-1).build().maxDeliver()).isEqualTo(-1);
    }

    @Test
    void shouldRejectBackoffWithoutAcknowledgement()
    {
        final ConsumerConfig.Builder builder = ConsumerConfig.builder().ackPolicy(AckPolicy.NONE)
            .backoff(Duration.ofSeconds(1));

        assertThatThrownBy(builder::build)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("backoff=[PT1S] needs ackPolicy EXPLICIT or ALL, got ackPolicy=NONE");
    }

    static Stream<Arguments> invalidStarts()
    {
        return Stream.of(
            arguments(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.BY_START_SEQUENCE),
                "deliverPolicy=BY_START_SEQUENCE needs optStartSeq > 0, got optStartSeq=0"),
            arguments(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.BY_START_TIME),
                "deliverPolicy=BY_START_TIME needs optStartTime, got optStartTime=null"),
            arguments(ConsumerConfig.builder().optStartSeq(7),
                "optStartSeq=7 needs deliverPolicy=BY_START_SEQUENCE, got deliverPolicy=ALL"),
            arguments(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.LAST).optStartTime(START),
                "optStartTime=2024-01-02T03:04:05Z needs deliverPolicy=BY_START_TIME, got deliverPolicy=LAST"),
            arguments(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.BY_START_SEQUENCE).optStartSeq(3)
                .optStartTime(START),
                "optStartTime=2024-01-02T03:04:05Z needs deliverPolicy=BY_START_TIME, " +
                "got deliverPolicy=BY_START_SEQUENCE"),
            arguments(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.BY_START_TIME).optStartTime(START)
                .optStartSeq(3),
                "optStartSeq=3 needs deliverPolicy=BY_START_SEQUENCE, got deliverPolicy=BY_START_TIME"),
            arguments(ConsumerConfig.builder().durableName("a").name("b"),
                "durableName=\"a\" and name=\"b\" must be equal when both are set"));
    }

    @ParameterizedTest
    @MethodSource("invalidStarts")
    void shouldRejectCombinationsNamingBothValues(final ConsumerConfig.Builder builder, final String message)
    {
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void shouldAcceptStartPositions()
    {
        assertThat(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.BY_START_SEQUENCE).optStartSeq(9).build()
            .optStartSeq()).isEqualTo(9);
        assertThat(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.BY_START_TIME).optStartTime(START).build()
            .optStartTime()).isEqualTo(START);
        assertThat(ConsumerConfig.builder().durableName("a").name("a").build().name()).isEqualTo("a");
        assertThat(ConsumerConfig.builder().name("eph").build().isDurable()).isFalse();
    }

    static Stream<Arguments> invalidSetters()
    {
        final ConsumerConfig.Builder b = ConsumerConfig.builder();
        return Stream.of(
            arguments("durable name", (Executable)() -> b.durableName("a.b"), "invalid durable name \"a.b\": '.' at " +
                "index 1 (a name may not contain '.', '*', '>', '/', '\\', whitespace or control characters)"),
            arguments("consumer name", (Executable)() -> b.name(""), "invalid consumer name \"\": must not be empty"),
            arguments("optStartSeq", (Executable)() -> b.optStartSeq(-1),
                "invalid optStartSeq -1: must be positive, or 0 when not set"),
            arguments("ackWait zero", (Executable)() -> b.ackWait(Duration.ZERO),
                "invalid ackWait PT0S: must be positive"),
            arguments("maxDeliver 0", (Executable)() -> b.maxDeliver(0),
                "invalid maxDeliver 0: must be -1 (unlimited) or positive"),
            arguments("maxDeliver -3", (Executable)() -> b.maxDeliver(-3),
                "invalid maxDeliver -3: must be -1 (unlimited) or positive"),
            arguments("backoff", (Executable)() -> b.backoff(Duration.ofSeconds(1), Duration.ZERO),
                "invalid backoff [PT1S, PT0S]: entry 1 is PT0S, must be positive"),
            arguments("maxAckPending", (Executable)() -> b.maxAckPending(0),
                "invalid maxAckPending 0: must be -1 (unlimited) or positive"),
            arguments("filter", (Executable)() -> b.filterSubject("a.>.b"),
                "invalid subject \"a.>.b\": '>' must be the last token"),
            arguments("overlapping filters", (Executable)() -> b.filterSubjects("a.>", "a.b"),
                "invalid filterSubjects [a.>, a.b]: \"a.>\" and \"a.b\" overlap"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSetters")
    void shouldRejectInvalidValueInSetterNamingValueAndRule(
        final String what, final Executable setter, final String message)
    {
        assertThatThrownBy(setter::execute).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void shouldValidateInConstructorToo()
    {
        assertThatThrownBy(() -> new ConsumerConfig(null, null, null, DeliverPolicy.ALL, 0, null, AckPolicy.EXPLICIT,
            Duration.ofSeconds(1), 0, List.of(), 1, List.of()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid maxDeliver 0: must be -1 (unlimited) or positive");
        assertThatThrownBy(() -> new ConsumerConfig(null, null, null, null, 0, null, AckPolicy.EXPLICIT,
            Duration.ofSeconds(1), 1, List.of(), 1, List.of()))
            .isInstanceOf(NullPointerException.class)
            .hasMessage("deliverPolicy");
    }

    @Test
    void shouldCopyEveryFieldWithCopyBuilder()
    {
        final ConsumerConfig config = fullConfig();

        assertThat(ConsumerConfig.builder(config).build()).isEqualTo(config);
        final ConsumerConfig changed = ConsumerConfig.builder(config).maxAckPending(7).build();
        assertThat(changed.maxAckPending()).isEqualTo(7);
        assertThat(changed.backoff()).isEqualTo(config.backoff());
    }

    @Test
    void shouldRederiveAckWaitWhenCopyChangesBackoff()
    {
        final ConsumerConfig changed = ConsumerConfig.builder(fullConfig()).backoff(Duration.ofSeconds(3)).build();

        assertThat(changed.ackWait()).isEqualTo(Duration.ofSeconds(3));
        assertThat(ConsumerConfig.builder(ConsumerConfig.builder().ackWait(Duration.ofSeconds(9)).build()).build()
            .ackWait()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void shouldBeEqualWhenAllFieldsAre()
    {
        assertThat(fullConfig()).isEqualTo(fullConfig()).hasSameHashCodeAs(fullConfig());
        assertThat(fullConfig()).isNotEqualTo(ConsumerConfig.builder(fullConfig()).maxDeliver(9).build());
    }

    @Test
    void shouldAllowUpdateOfWaitsLimitsAndFilters()
    {
        final ConsumerConfig config = fullConfig();
        final ConsumerConfig newer = ConsumerConfig.builder(config).description("x").backoff(List.of())
            .ackWait(Duration.ofMinutes(1)).maxDeliver(-1).maxAckPending(-1).filterSubjects(List.of()).build();

        config.checkUpdate(newer);
    }

    @Test
    void shouldRefuseUpdateOfDeliverPolicyNamingBothValues()
    {
        final ConsumerConfig config = ConsumerConfig.builder().durableName("C").build();
        final ConsumerConfig newer = ConsumerConfig.builder(config).deliverPolicy(DeliverPolicy.NEW).build();

        assertThatThrownBy(() -> config.checkUpdate(newer))
            .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.errorCode()).isEqualTo(10012))
            .hasMessage("consumer create failed for \"C\": deliverPolicy can not be updated: ALL -> NEW");
    }

    @Test
    void shouldRefuseUpdateOfAckPolicyAndNames()
    {
        final ConsumerConfig config = ConsumerConfig.builder().durableName("C").build();

        assertThatThrownBy(() -> config.checkUpdate(ConsumerConfig.builder(config).ackPolicy(AckPolicy.ALL).build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("consumer create failed for \"C\": ackPolicy can not be updated: EXPLICIT -> ALL");
        assertThatThrownBy(() -> config.checkUpdate(ConsumerConfig.builder(config).durableName("D").build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("consumer create failed for \"C\": durableName can not be updated: C -> D");
    }

    private static ConsumerConfig fullConfig()
    {
        return ConsumerConfig.builder()
            .durableName("worker")
            .name("worker")
            .description("the workers")
            .deliverPolicy(DeliverPolicy.BY_START_SEQUENCE)
            .optStartSeq(42)
            .ackPolicy(AckPolicy.ALL)
            .maxDeliver(5)
            .backoff(Duration.ofSeconds(1), Duration.ofSeconds(5))
            .maxAckPending(100)
            .filterSubjects("orders.*", "refunds.>")
            .build();
    }
}
