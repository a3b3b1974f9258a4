package io.jetbus.api.jetstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class StreamConfigTest
{
    @Test
    void shouldApplyNatsDefaults()
    {
        final StreamConfig config = StreamConfig.builder().name("ORDERS").subjects("orders.>").build();

        assertThat(config.name()).isEqualTo("ORDERS");
        assertThat(config.description()).isNull();
        assertThat(config.subjects()).containsExactly("orders.>");
        assertThat(config.storage()).isEqualTo(StorageType.FILE);
        assertThat(config.retention()).isEqualTo(RetentionPolicy.LIMITS);
        assertThat(config.maxMsgs()).isEqualTo(-1);
        assertThat(config.maxBytes()).isEqualTo(-1);
        assertThat(config.maxMsgSize()).isEqualTo(-1);
        assertThat(config.maxMsgsPerSubject()).isEqualTo(-1);
        assertThat(config.maxAge()).isEqualTo(Duration.ZERO);
        assertThat(config.discard()).isEqualTo(DiscardPolicy.OLD);
        assertThat(config.duplicateWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.flushPolicy()).isEqualTo(FlushPolicy.none());
    }

    @Test
    void shouldSetEveryField()
    {
        final StreamConfig config = fullConfig();

        assertThat(config).isEqualTo(new StreamConfig("ORDERS", "all orders", List.of("orders.*", "refunds.>"),
            StorageType.FILE, RetentionPolicy.INTEREST, 1000, 1 << 20, 4096, 10, Duration.ofHours(1),
            DiscardPolicy.NEW, Duration.ofSeconds(30), FlushPolicy.interval(Duration.ofSeconds(1))));
    }

    @Test
    void shouldDefaultSubjectsToStreamName()
    {
        assertThat(StreamConfig.builder().name("EVENTS").build().subjects()).containsExactly("EVENTS");
        assertThat(StreamConfig.builder().name("EVENTS").subjects(List.of()).build().subjects())
            .containsExactly("EVENTS");
    }

    @Test
    void shouldShortenDefaultDuplicateWindowToMaxAge()
    {
        final StreamConfig config = StreamConfig.builder().name("S").maxAge(Duration.ofSeconds(30)).build();

        assertThat(config.duplicateWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(StreamConfig.builder().name("S").maxAge(Duration.ofHours(1)).build().duplicateWindow())
            .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void shouldRejectExplicitDuplicateWindowLongerThanMaxAgeNamingBoth()
    {
        final StreamConfig.Builder builder = StreamConfig.builder().name("S")
            .maxAge(Duration.ofSeconds(30)).duplicateWindow(Duration.ofMinutes(1));

        assertThatThrownBy(builder::build)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("duplicateWindow=PT1M must not exceed maxAge=PT30S");
    }

    @Test
    void shouldAllowDuplicateWindowZeroToTurnDeduplicationOff()
    {
        assertThat(StreamConfig.builder().name("S").duplicateWindow(Duration.ZERO).build().duplicateWindow())
            .isZero();
    }

    @Test
    void shouldRejectFlushPolicyOnMemoryStreamNamingBoth()
    {
        final StreamConfig.Builder builder = StreamConfig.builder().name("S").storage(StorageType.MEMORY)
            .flushPolicy(FlushPolicy.everyPublish());

        assertThatThrownBy(builder::build)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("flushPolicy=EVERY_PUBLISH needs storage=FILE, got storage=MEMORY");
    }

    @Test
    void shouldRequireName()
    {
        assertThatThrownBy(() -> StreamConfig.builder().build())
            .isInstanceOf(NullPointerException.class)
            .hasMessage("stream name");
    }

    static Stream<Arguments> invalidSetters()
    {
        final StreamConfig.Builder b = StreamConfig.builder();
        return Stream.of(
            arguments("name empty", (Executable)() -> b.name(""), "invalid stream name \"\": must not be empty"),
            arguments("name with dot", (Executable)() -> b.name("A.B"), "invalid stream name \"A.B\": '.' at index 1 " +
                "(a name may not contain '.', '*', '>', '/', '\\', whitespace or control characters)"),
            arguments("subject", (Executable)() -> b.subjects("a..b"),
                "invalid subject \"a..b\": empty token at position 2"),
            arguments("duplicate subject", (Executable)() -> b.subjects("a", "a"),
                "invalid subjects [a, a]: \"a\" appears more than once"),
            arguments("maxMsgs 0", (Executable)() -> b.maxMsgs(0),
                "invalid maxMsgs 0: must be -1 (unlimited) or positive"),
            arguments("maxMsgs -2", (Executable)() -> b.maxMsgs(-2),
                "invalid maxMsgs -2: must be -1 (unlimited) or positive"),
            arguments("maxBytes", (Executable)() -> b.maxBytes(0),
                "invalid maxBytes 0: must be -1 (unlimited) or positive"),
            arguments("maxMsgSize", (Executable)() -> b.maxMsgSize(-5),
                "invalid maxMsgSize -5: must be -1 (unlimited) or positive"),
            arguments("maxMsgsPerSubject", (Executable)() -> b.maxMsgsPerSubject(0),
                "invalid maxMsgsPerSubject 0: must be -1 (unlimited) or positive"),
            arguments("maxAge", (Executable)() -> b.maxAge(Duration.ofSeconds(-1)),
                "invalid maxAge PT-1S: must not be negative"),
            arguments("duplicateWindow", (Executable)() -> b.duplicateWindow(Duration.ofMillis(-1)),
                "invalid duplicateWindow PT-0.001S: must not be negative"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSetters")
    void shouldRejectInvalidValueInSetterNamingValueAndRule(
        final String what, final Executable setter, final String message)
    {
        assertThatThrownBy(setter::execute).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void shouldRejectNullsInSetters()
    {
        final StreamConfig.Builder b = StreamConfig.builder();
        assertThatThrownBy(() -> b.storage(null)).isInstanceOf(NullPointerException.class).hasMessage("storage");
        assertThatThrownBy(() -> b.retention(null)).isInstanceOf(NullPointerException.class).hasMessage("retention");
        assertThatThrownBy(() -> b.discard(null)).isInstanceOf(NullPointerException.class).hasMessage("discard");
        assertThatThrownBy(() -> b.maxAge(null)).isInstanceOf(NullPointerException.class).hasMessage("maxAge");
        assertThatThrownBy(() -> b.flushPolicy(null)).isInstanceOf(NullPointerException.class)
            .hasMessage("flushPolicy");
        assertThatThrownBy(() -> b.subjects((String[])null)).isInstanceOf(NullPointerException.class)
            .hasMessage("subjects");
        assertThatThrownBy(() -> b.subjects("a", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldValidateInConstructorToo()
    {
        assertThatThrownBy(() -> new StreamConfig("S", null, List.of(), StorageType.FILE, RetentionPolicy.LIMITS,
            0, -1, -1, -1, Duration.ZERO, DiscardPolicy.OLD, Duration.ZERO, FlushPolicy.none()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid maxMsgs 0: must be -1 (unlimited) or positive");
    }

    @Test
    void shouldCopySubjectsDefensively()
    {
        final List<String> subjects = new ArrayList<>(List.of("a"));
        final StreamConfig config = StreamConfig.builder().name("S").subjects(subjects).build();
        subjects.add("b");

        assertThat(config.subjects()).containsExactly("a");
        assertThatThrownBy(() -> config.subjects().add("c")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldCopyEveryFieldWithCopyBuilder()
    {
        final StreamConfig config = fullConfig();

        assertThat(StreamConfig.builder(config).build()).isEqualTo(config);
        final StreamConfig changed = StreamConfig.builder(config).maxMsgs(5).build();
        assertThat(changed.maxMsgs()).isEqualTo(5);
        assertThat(changed).isEqualTo(new StreamConfig(config.name(), config.description(), config.subjects(),
            config.storage(), config.retention(), 5, config.maxBytes(), config.maxMsgSize(), config.maxMsgsPerSubject(),
            config.maxAge(), config.discard(), config.duplicateWindow(), config.flushPolicy()));
    }

    @Test
    void shouldBeEqualWhenAllFieldsAre()
    {
        assertThat(fullConfig()).isEqualTo(fullConfig()).hasSameHashCodeAs(fullConfig());
        assertThat(fullConfig()).isNotEqualTo(StreamConfig.builder(fullConfig()).description("other").build());
    }

    @Test
    void shouldAllowUpdateOfLimitsAndRetentionBetweenLimitsAndInterest()
    {
        final StreamConfig config = fullConfig();
        final StreamConfig newer = StreamConfig.builder(config).retention(RetentionPolicy.LIMITS).subjects("x.>")
            .maxMsgs(-1).discard(DiscardPolicy.OLD).flushPolicy(FlushPolicy.everyPublish()).build();

        config.checkUpdate(newer);
        newer.checkUpdate(config);
    }

    @Test
    void shouldRefuseUpdateOfStorageNamingBothValues()
    {
        final StreamConfig config = StreamConfig.builder().name("ORDERS").build();
        final StreamConfig newer = StreamConfig.builder(config).storage(StorageType.MEMORY).build();

        assertThatThrownBy(() -> config.checkUpdate(newer))
            .isInstanceOfSatisfying(JetStreamApiException.class,
                e -> assertThat(e.errorCode()).isEqualTo(10052))
            .hasMessage("invalid stream configuration for \"ORDERS\": storage can not change: FILE -> MEMORY");
    }

    @Test
    void shouldRefuseUpdateOfRetentionToOrFromWorkQueue()
    {
        final StreamConfig config = StreamConfig.builder().name("Q").build();
        final StreamConfig workQueue = StreamConfig.builder(config).retention(RetentionPolicy.WORK_QUEUE).build();

        assertThatThrownBy(() -> config.checkUpdate(workQueue))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("invalid stream configuration for \"Q\": retention can not change to or from WORK_QUEUE: " +
                "LIMITS -> WORK_QUEUE");
        assertThatThrownBy(() -> workQueue.checkUpdate(config))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("invalid stream configuration for \"Q\": retention can not change to or from WORK_QUEUE: " +
                "WORK_QUEUE -> LIMITS");
    }

    @Test
    void shouldRefuseUpdateOfName()
    {
        final StreamConfig config = StreamConfig.builder().name("A").subjects("a").build();
        final StreamConfig newer = StreamConfig.builder(config).name("B").build();

        assertThatThrownBy(() -> config.checkUpdate(newer))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("invalid stream configuration for \"A\": stream name can not change: \"A\" -> \"B\"");
    }

    private static StreamConfig fullConfig()
    {
        return StreamConfig.builder()
            .name("ORDERS")
            .description("all orders")
            .subjects("orders.*", "refunds.>")
            .storage(StorageType.FILE)
            .retention(RetentionPolicy.INTEREST)
            .maxMsgs(1000)
            .maxBytes(1 << 20)
            .maxMsgSize(4096)
            .maxMsgsPerSubject(10)
            .maxAge(Duration.ofHours(1))
            .discard(DiscardPolicy.NEW)
            .duplicateWindow(Duration.ofSeconds(30))
            .flushPolicy(FlushPolicy.interval(Duration.ofSeconds(1)))
            .build();
    }
}
