package io.jetbus.test;

import io.jetbus.api.jetstream.StorageType;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives every test a fresh Jetbus bus, closes it after the test, and fails the test if the bus saw a problem.
 *
 * <pre>{@code
 * @JetbusTest
 * class OrderServiceTest
 * {
 *     @Test
 *     void shouldPublishOrderCreated(JetbusKit kit, Connection nc)
 *     {
 *         MessageRecorder created = kit.record("orders.created");
 *         new OrderService(nc).place(42);
 *         created.awaitCount(1, Duration.ofSeconds(5));
 *     }
 * }
 * }</pre>
 *
 * <p>Test methods, {@code @BeforeEach} and {@code @AfterEach} methods may declare parameters of the types
 * {@link JetbusKit}, {@link io.jetbus.core.EmbeddedBus}, {@link io.jetbus.api.Connection}, {@link VirtualClock},
 * {@link BusEvents} and {@link JetStreamInspector}; non-static, non-final fields of those types that are {@code null}
 * are filled before each test and cleared after it. Everything belongs to the one bus of the current test.
 *
 * <p>After the test (and its {@code @AfterEach} methods) the bus is closed, then the test fails, with a message listing
 * each problem and the original exceptions attached, when, unless switched off here: a handler threw or the bus
 * reported an internal error, a message was dropped for a slow consumer, a {@code jetbus-} thread started during the
 * test is still running, or (with {@link StorageType#FILE}) a file under the storage directory is still open or mapped.
 * A test that provokes such an event on purpose checks {@link BusEvents} and calls {@link BusEvents#clear()}. The
 * thread check assumes the tests of one JVM do not run in parallel; switch it off if they do.
 *
 * <p>May annotate a class (its tests, and those of its {@code @Nested} classes) or a single test method; the
 * innermost annotation wins. Composed annotations that carry it work too.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(JetbusExtension.class)
public @interface JetbusTest
{
    /**
     * Where streams are stored: {@link StorageType#MEMORY} gives the bus no storage directory;
     * {@link StorageType#FILE} gives it a fresh temporary directory, deleted after the test.
     *
     * @return the storage; default MEMORY.
     */
    StorageType storage() default StorageType.MEMORY;

    /**
     * Whether the bus reads a {@link VirtualClock} (timers fire only when the test advances it) or the system clock.
     *
     * @return default {@code true}.
     */
    boolean virtualTime() default true;

    /**
     * Fail the test when a message handler threw or the bus reported an internal error (such as a timer that threw).
     *
     * @return default {@code true}.
     */
    boolean failOnHandlerException() default true;

    /**
     * Fail the test when messages were dropped for a slow consumer.
     *
     * @return default {@code true}.
     */
    boolean failOnDroppedMessage() default true;

    /**
     * Fail the test when a {@code jetbus-} thread started during the test still runs after the bus closed: a bus,
     * connection or dispatcher the test made itself and did not close.
     *
     * @return default {@code true}.
     */
    boolean failOnLeakedThread() default true;

    /**
     * With {@link StorageType#FILE}: fail the test when a file under the storage directory is still open or
     * memory-mapped after the bus closed (checked through {@code /proc/self} on Linux), or the directory cannot be
     * deleted.
     *
     * @return default {@code true}.
     */
    boolean failOnLeakedFile() default true;

    /**
     * Other bus options, set before the kit sets the clock, the error listener and the storage directory.
     *
     * @return a customizer class with a public no-argument constructor; default none.
     */
    Class<? extends BusCustomizer> customizer() default BusCustomizer.None.class;
}
