/**
 * JMH benchmarks for Jetbus and the raw baselines they are compared with in the same run.
 * <p>
 * Conventions:
 * <ul>
 *     <li>Every benchmark class extends {@link io.jetbus.bench.AbstractBenchmark}, which carries the {@code @Fork}
 *     with the JDK module flags and Chronicle properties, and declares no {@code @Fork} itself (a subclass
 *     {@code @Fork} would replace the flags). It states {@code @BenchmarkMode}, {@code @OutputTimeUnit},
 *     {@code @Warmup} and {@code @Measurement}; sizes and fan-out are {@code @Param}s.</li>
 *     <li>Producer/consumer benchmarks run as one {@code @Group}; the throughput to quote is the consumer's
 *     {@code @AuxCounters} count of messages received, not the group's primary score, which adds offers and
 *     polls. The core publish benchmarks share {@link io.jetbus.bench.DeliveryCounters} for theirs.</li>
 *     <li>JetStream benchmarks open their bus and stream with {@link io.jetbus.bench.StreamFixture} (a
 *     {@link io.jetbus.bench.StreamSetup} picks storage and flush policy) and carry their raw Chronicle baseline as a
 *     method of the same class, on {@link io.jetbus.bench.ChronicleBaselineBenchmark}'s states, so that one
 *     include pattern runs both.</li>
 *     <li>Baselines are named {@code *BaselineBenchmark}; a Jetbus benchmark keeps the mode, units and
 *     {@code @Param} values of the baseline it is compared with.</li>
 *     <li>Benchmarks that write files use {@link io.jetbus.bench.BenchmarkFiles} temp directories under
 *     {@code java.io.tmpdir} and delete them in {@code @TearDown}.</li>
 *     <li>Every benchmark must run under {@code -prof gc}; steady-state paths should show about 0 B/op.</li>
 * </ul>
 */
package io.jetbus.bench;
