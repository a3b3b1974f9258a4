package io.jetbus.test;

import io.jetbus.api.Connection;
import io.jetbus.api.SlowConsumerPolicy;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.core.EmbeddedBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs fixture test classes through the JUnit engine and checks what the extension made of them. The fixtures are
 * static nested classes tagged {@value #FIXTURE}: Surefire skips nested classes and that tag, so they run only here.
 */
@Timeout(60)
class JetbusExtensionTest
{
    static final String FIXTURE = "kit-fixture";
    static final String HINT = "(provoked on purpose? assert on BusEvents and call clear(), or switch the check off " +
        "in @JetbusTest)";

    private static EmbeddedBus leakedBus;
    private static FileChannel leakedChannel;
    private static Path storageDirSeen;

    @BeforeAll
    static void resetFixtures()
    {
        storageDirSeen = null;
    }

    @AfterEach
    void closeWhatFixturesLeaked() throws IOException
    {
        if (leakedBus != null)
        {
            leakedBus.close();
            leakedBus = null;
        }
        if (leakedChannel != null)
        {
            leakedChannel.close();
            leakedChannel = null;
        }
    }

    private static EngineExecutionResults run(final Class<?> fixture)
    {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    }

    private static Throwable singleFailure(final EngineExecutionResults results)
    {
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(0).failed(1));
        final List<Event> failed = results.testEvents().failed().list();
        return failed.get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    @Test
    void shouldPassACleanTest()
    {
        run(CleanFixture.class).testEvents().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    }

    @Test
    void shouldFailATestWhoseHandlerThrewAndShowTheOriginalException()
    {
        final Throwable failure = singleFailure(run(HandlerThrowsFixture.class));

        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage()).isEqualTo(
            "Jetbus test kit found 2 problems in HandlerThrowsFixture.handlerThrows():\n" +
            "  - handler of DispatcherSubscription{subject=orders.>, id=1} threw on \"orders.created\": " +
            "java.lang.IllegalStateException: cannot handle order 1\n" +
            "  - handler of DispatcherSubscription{subject=orders.>, id=1} threw on \"orders.cancelled\": " +
            "java.lang.IllegalArgumentException: cannot handle order 2\n" + HINT);
        assertThat(failure.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("cannot handle order 1");
        assertThat(failure.getSuppressed()).hasSize(1);
        assertThat(failure.getSuppressed()[0])
            .isInstanceOf(IllegalArgumentException.class).hasMessage("cannot handle order 2");
    }

    @Test
    void shouldFailATestThatDroppedMessages()
    {
        final Throwable failure = singleFailure(run(DropFixture.class));

        assertThat(failure).isInstanceOf(AssertionError.class).hasNoCause();
        assertThat(failure.getMessage())
            .startsWith("Jetbus test kit found 1 problem in DropFixture.dropsMessages():\n" +
                "  - messages dropped for slow consumer DispatcherSubscription{subject=slow, id=1}: ")
            .endsWith(" dropped so far\n" + HINT);
    }

    @Test
    void shouldFailATestThatLeakedAThread()
    {
        final Throwable failure = singleFailure(run(LeakedThreadFixture.class));

        assertThat(failure).isInstanceOf(AssertionError.class).hasNoCause();
        assertThat(failure.getMessage())
            .startsWith("Jetbus test kit found 2 problems in LeakedThreadFixture.leaksABus():\n")
            .contains("  - thread \"jetbus-dispatcher-conn-1-1\" is still running after the test: a bus, connection " +
                "or dispatcher made in the test was not closed\n")
            .containsPattern("  - thread \"jetbus-timer-\\w+\" is still running after the test");
    }

    @Test
    void shouldFailATestThatLeftAFileOpenAndStillDeleteTheDirectory()
    {
        final Throwable failure = singleFailure(run(LeakedFileFixture.class));

        assertThat(failure.getMessage())
            .startsWith("Jetbus test kit found 1 problem in LeakedFileFixture.leaksAFile():\n  - file " +
                storageDirSeen.resolve("leak.dat") + " is still open (fd ")
            .endsWith(")\n" + HINT);
        assertThat(storageDirSeen).doesNotExist();
    }

    @Test
    void shouldNotCheckWhatIsSwitchedOff()
    {
        run(SwitchedOffFixture.class).testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @Test
    void shouldKeepTheTestsOwnFailureFirstAndAddTheKitsProblems()
    {
        final Throwable failure = singleFailure(run(FailsItselfFixture.class));

        assertThat(failure).isInstanceOf(AssertionError.class).hasMessage("the test's own failure");
        assertThat(failure.getSuppressed()).hasSize(1);
        assertThat(failure.getSuppressed()[0]).hasMessageStartingWith("Jetbus test kit found 1 problem")
            .cause().hasMessage("boom");
    }

    @Test
    void shouldRefuseToInjectIntoBeforeAll()
    {
        final Throwable failure = run(BeforeAllFixture.class).containerEvents().failed().list().get(0)
            .getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();

        assertThat(failure.getMessage()).startsWith("no Jetbus bus to inject into ")
            .endsWith(": the bus is made per test, so only test methods, @BeforeEach and @AfterEach methods and " +
                "fields can receive a Connection");
    }

    @Tag(FIXTURE)
    @JetbusTest
    static class CleanFixture
    {
        @Test
        void usesEverything(final JetbusKit kit, final Connection nc, final VirtualClock clock) throws Exception
        {
            final MessageRecorder replies = kit.record("orders.>");
            kit.respond("api.orders.get").withJson("{\"id\":1}");
            nc.createDispatcher(m -> nc.publish("orders.seen", m.data())).subscribe("orders.new");
            kit.publishJson("orders.new", "{\"id\":1}");
            assertThat(nc.request("api.orders.get", null, Duration.ofSeconds(5)).get().data()).isNotEmpty();
            clock.advance(Duration.ofHours(1));
            replies.awaitCount(2, Duration.ofSeconds(5));
        }

        @Test
        void closesItsOwnBus()
        {
            try (EmbeddedBus own = EmbeddedBus.builder().build())
            {
                own.connect().createDispatcher(m -> { }).subscribe("x");
            }
        }
    }

    @Tag(FIXTURE)
    @JetbusTest
    static class HandlerThrowsFixture
    {
        @Test
        void handlerThrows(final JetbusKit kit, final Connection nc)
        {
            nc.createDispatcher(m ->
            {
                if (m.subject().equals("orders.created"))
                {
                    throw new IllegalStateException("cannot handle order 1");
                }
                throw new IllegalArgumentException("cannot handle order 2");
            }).subscribe("orders.>");
            kit.publishText("orders.created", "1");
            kit.publishText("orders.cancelled", "2");
            kit.awaitIdle();
        }
    }

    /** A 16 KiB ring holds about fifteen 1000-byte messages; the handler holds up the ring until 40 were sent. */
    public static final class SmallRing implements BusCustomizer
    {
        @Override
        public void customize(final EmbeddedBus.Builder builder)
        {
            builder.maxPayload(1024).ringCapacity(16 * 1024).slowConsumerPolicy(SlowConsumerPolicy.drop());
        }
    }

    @Tag(FIXTURE)
    @JetbusTest(customizer = SmallRing.class)
    static class DropFixture
    {
        @Test
        void dropsMessages(final JetbusKit kit, final Connection nc)
        {
            final CountDownLatch release = new CountDownLatch(1);
            nc.createDispatcher(m -> release.await(10, TimeUnit.SECONDS)).subscribe("slow");
            for (int i = 0; i < 40; i++)
            {
                nc.publish("slow", new byte[1000]);
            }
            release.countDown();
            kit.awaitIdle();
        }
    }

    @Tag(FIXTURE)
    @JetbusTest
    static class LeakedThreadFixture
    {
        @Test
        void leaksABus()
        {
            leakedBus = EmbeddedBus.builder().build();
            leakedBus.connect().createDispatcher(m -> { });
        }
    }

    @Tag(FIXTURE)
    @JetbusTest(storage = StorageType.FILE)
    static class LeakedFileFixture
    {
        @Test
        void leaksAFile(final JetbusKit kit) throws IOException
        {
            storageDirSeen = kit.storageDir().toRealPath();
            leakedChannel = FileChannel.open(kit.storageDir().resolve("leak.dat"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
            assertThat(Files.exists(kit.storageDir().resolve("leak.dat"))).isTrue();
        }
    }

    @Tag(FIXTURE)
    @JetbusTest(failOnHandlerException = false, failOnLeakedThread = false)
    static class SwitchedOffFixture
    {
        @Test
        void throwsAndLeaks(final JetbusKit kit, final Connection nc)
        {
            nc.createDispatcher(m ->
            {
                throw new IllegalStateException("tolerated");
            }).subscribe("x");
            kit.publishText("x", "y");
            kit.awaitIdle();
            leakedBus = EmbeddedBus.builder().build();
        }
    }

    @Tag(FIXTURE)
    @JetbusTest
    static class FailsItselfFixture
    {
        @Test
        void failsAndThrows(final JetbusKit kit, final Connection nc)
        {
            nc.createDispatcher(m ->
            {
                throw new IllegalStateException("boom");
            }).subscribe("x");
            kit.publishText("x", "y");
            kit.awaitIdle();
            throw new AssertionError("the test's own failure");
        }
    }

    @Tag(FIXTURE)
    @JetbusTest
    static class BeforeAllFixture
    {
        @BeforeAll
        static void tooEarly(final Connection nc)
        {
            nc.publish("never", null);
        }

        @Test
        void neverRuns()
        {
        }
    }
}
