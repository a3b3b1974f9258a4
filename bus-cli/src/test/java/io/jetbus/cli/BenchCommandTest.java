package io.jetbus.cli;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class BenchCommandTest
{
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void capture()
    {
        System.setOut(new PrintStream(out, true, UTF_8));
        System.setErr(new PrintStream(err, true, UTF_8));
    }

    @AfterEach
    void restore()
    {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pub", "sub", "pubsub", "queue", "request"})
    void shouldPrintOneJsonObjectWithEveryFieldWhenScenarioRunsTiny(final String scenario)
    {
        assertThat(Main.run("bench", scenario, "--msgs", "1000", "--subs", "2", "--pubs", "2", "--json")).isZero();

        @SuppressWarnings("unchecked") // the parser's objects are maps
        final Map<String, Object> json = (Map<String, Object>)MiniJson.parse(out.toString(UTF_8).trim());
        assertThat(json).containsEntry("scenario", scenario).containsEntry("msgs", 1000.0)
            .containsEntry("size", 16.0).containsEntry("pubs", 2.0).containsEntry("published", 1000.0)
            .containsEntry("dropped", 0.0)
            .containsKeys("elapsedNs", "msgsPerSec", "mbPerSec", "publishers", "subscribers", "latencyNs", "jdk",
                "cores");
        assertThat((Double)json.get("msgsPerSec")).isPositive();
        assertThat(json.get("publishers")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
            .containsEntry("count", 2.0).containsKeys("minMsgsPerSec", "avgMsgsPerSec", "maxMsgsPerSec");
        final double expectedDeliveries = switch (scenario)
        {
            case "pub" -> 0.0;
            case "sub", "pubsub" -> 2000.0;
            default -> 1000.0;
        };
        assertThat(json).containsEntry("delivered", expectedDeliveries);
        if (!scenario.equals("pub"))
        {
            assertThat(json.get("latencyNs")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKeys("p50", "p90", "p99", "p99_9", "max");
        }
        assertThat(err.toString(UTF_8)).as("no progress bar without a console").isEmpty();
    }

    @Test
    void shouldRunEveryScenarioAndPrintOneResultEachWhenAll()
    {
        assertThat(Main.run("bench", "all", "--msgs", "1000", "--json")).isZero();

        @SuppressWarnings("unchecked") // the parser's objects are maps
        final Map<String, Object> json = (Map<String, Object>)MiniJson.parse(out.toString(UTF_8).trim());
        @SuppressWarnings("unchecked") // and its arrays lists
        final List<Map<String, Object>> results = (List<Map<String, Object>>)json.get("results");
        assertThat(results).extracting(r -> r.get("scenario"))
            .containsExactly("pub", "sub", "pubsub", "queue", "request", "js-pub", "js-pub-async", "js-consume");
        assertThat(results.get(0)).containsEntry("storage", null).containsEntry("flush", null);
        assertThat(results.get(5)).containsEntry("storage", "file").containsEntry("flush", "none")
            .containsEntry("published", 1000.0);
        assertThat(results.get(6)).containsEntry("published", 1000.0);
        assertThat(results.get(7)).containsEntry("delivered", 1000.0);
    }

    @Test
    void shouldPrintTableWithRatesAndLatency()
    {
        assertThat(Main.run("bench", "pubsub", "--msgs", "1000", "--size", "64", "--progress", "NEVER")).isZero();

        assertThat(out.toString(UTF_8))
            .contains("jetbus bench pubsub: 1,000 msgs x 64 B, 1 publisher, 1 subscriber")
            .contains("published", "delivered", "publishers   min", "subscribers  min", "latency end to end (us): p50");
    }

    @Test
    void shouldDrawProgressOnStderrWhenAskedTo()
    {
        assertThat(Main.run("bench", "pub", "--msgs", "1000", "--progress", "ALWAYS", "--json")).isZero();

        MiniJson.parse(out.toString(UTF_8).trim());
        assertThat(err.toString(UTF_8)).contains("pub", "[");
    }

    @Test
    void shouldRejectUnknownScenarioAndBadOptions()
    {
        assertThat(Main.run("bench", "nope")).isEqualTo(2);
        assertThat(Main.run("bench", "pub", "--msgs", "0")).isEqualTo(2);
        assertThat(err.toString(UTF_8))
            .contains("unknown scenario \"nope\": expected one of pub, sub, pubsub, queue, request, js-pub, " +
                "js-pub-async, js-consume or all")
            .contains("--msgs must be positive: 0");
    }

    @ParameterizedTest
    @CsvSource({
        "file,   always",
        "memory, none"})
    void shouldKeepPublishesInFlightAndCountEveryAckWhenJsPubAsync(final String storage, final String flush)
    {
        assertThat(Main.run("bench", "js-pub-async", "--msgs", "300", "--pubs", "2", "--storage", storage,
            "--flush", flush, "--json")).isZero();

        @SuppressWarnings("unchecked") // the parser's objects are maps
        final Map<String, Object> json = (Map<String, Object>)MiniJson.parse(out.toString(UTF_8).trim());
        assertThat(json).containsEntry("scenario", "js-pub-async").containsEntry("published", 300.0);
        assertThat(json.get("latencyNs")).asInstanceOf(InstanceOfAssertFactories.MAP)
            .containsEntry("label", "publishAsync until its future completed").containsEntry("count", 300.0);
    }

    @ParameterizedTest
    @CsvSource({
        "file,   none",
        "file,   interval",
        "file,   always",
        "memory, none"})
    void shouldPublishToTheStreamAndMeasurePublishLatencyWhenJsPub(final String storage, final String flush)
    {
        assertThat(Main.run("bench", "js-pub", "--msgs", "200", "--pubs", "2", "--size", "32", "--storage", storage,
            "--flush", flush, "--json")).isZero();

        @SuppressWarnings("unchecked") // the parser's objects are maps
        final Map<String, Object> json = (Map<String, Object>)MiniJson.parse(out.toString(UTF_8).trim());
        assertThat(json).containsEntry("scenario", "js-pub").containsEntry("storage", storage)
            .containsEntry("flush", flush).containsEntry("msgs", 200.0).containsEntry("size", 32.0)
            .containsEntry("pubs", 2.0).containsEntry("subs", 0.0).containsEntry("published", 200.0)
            .containsEntry("delivered", 0.0).containsEntry("publishElapsedNs", json.get("elapsedNs"));
        assertThat((Double)json.get("msgsPerSec")).isPositive();
        assertThat(json.get("publishers")).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("count", 2.0);
        assertThat(json.get("latencyNs")).asInstanceOf(InstanceOfAssertFactories.MAP)
            .containsEntry("label", "publish until PubAck").containsEntry("count", 200.0)
            .containsKeys("p50", "p90", "p99", "p99_9", "max");
        assertThat((String)json.get("note")).startsWith("stream: " + storage + " storage, flush " + flush);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "memory"})
    void shouldPreFillThenConsumeAndAckEveryMessageWhenJsConsume(final String storage)
    {
        assertThat(Main.run("bench", "js-consume", "--msgs", "1000", "--pubs", "2", "--subs", "3", "--storage",
            storage, "--json")).isZero();

        @SuppressWarnings("unchecked") // the parser's objects are maps
        final Map<String, Object> json = (Map<String, Object>)MiniJson.parse(out.toString(UTF_8).trim());
        assertThat(json).containsEntry("scenario", "js-consume").containsEntry("storage", storage)
            .containsEntry("flush", "none").containsEntry("subs", 3.0).containsEntry("published", 1000.0)
            .containsEntry("delivered", 1000.0).containsEntry("dropped", 0.0).containsEntry("latencyNs", null);
        assertThat((Double)json.get("deliveredPerSec")).isPositive();
        assertThat((Double)json.get("publishElapsedNs")).isPositive();
        assertThat(json.get("subscribers")).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("count", 3.0);
        assertThat(json.get("publishers")).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("count", 2.0);
    }

    @Test
    void shouldPrintTheStreamSetupInTheTableWhenJsScenario()
    {
        assertThat(Main.run("bench", "js-consume", "--msgs", "600", "--progress", "NEVER")).isZero();

        assertThat(out.toString(UTF_8))
            .contains("jetbus bench js-consume: 600 msgs x 16 B, 1 publisher, 1 subscriber")
            .contains("stream: file storage, flush none; published = the pre-fill, delivered = fetched and acked by " +
                "1 pull subscription of one durable consumer, batches of 256")
            .contains("published", "delivered", "subscribers  min");
    }

    @Test
    void shouldRejectBadStorageAndFlushWithClearErrors()
    {
        assertThat(Main.run("bench", "js-pub", "--storage", "disk")).isEqualTo(2);
        assertThat(Main.run("bench", "js-pub", "--flush", "sometimes")).isEqualTo(2);
        assertThat(Main.run("bench", "js-pub", "--storage", "memory", "--flush", "always")).isEqualTo(2);
        assertThat(Main.run("bench", "all", "--storage", "memory", "--flush", "interval")).isEqualTo(2);
        assertThat(out.toString(UTF_8)).as("nothing ran").isEmpty();
        assertThat(err.toString(UTF_8))
            .contains("--storage must be file or memory: disk")
            .contains("--flush must be none, interval or always: sometimes")
            .contains("--flush always needs --storage file: a memory stream has nothing to flush")
            .contains("--flush interval needs --storage file: a memory stream has nothing to flush");
    }

    @Test
    void shouldEscapeJsonStrings()
    {
        assertThat(BenchReport.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
