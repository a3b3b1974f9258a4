package io.jetbus.api.jetstream;

import java.time.Duration;
import java.util.Objects;

/**
 * When a {@link StorageType#FILE} stream forces its writes from the page cache to the disk, which decides what an
 * operating-system crash or a power loss can take away.
 *
 * <p>Under every policy a JVM crash ({@code kill -9}, out-of-memory kill, {@code halt}) loses nothing that was
 * acknowledged: records are written to memory-mapped files that the kernel keeps after the process dies. What differs
 * is an OS crash or power loss:
 * <ul>
 *     <li>{@link #none()}: nothing is forced; acknowledged publishes the kernel had not yet written back are lost,
 *     typically those of the last 30 seconds.</li>
 *     <li>{@link #interval(Duration)}: writes are forced every interval; at most the publishes acknowledged during the
 *     last interval are lost.</li>
 *     <li>{@link #everyPublish()}: a {@link PubAck} is returned only after the record reached the disk (publishes
 *     arriving together share one force); nothing acknowledged is lost. The slowest policy.</li>
 * </ul>
 * Recovery never serves a damaged record and reports what it lost, under every policy.
 * {@link StorageType#MEMORY} streams have nothing to flush and take {@link #none()} only.
 *
 * @param mode     which of the three policies.
 * @param interval the time between forces for {@link Mode#INTERVAL}; {@link Duration#ZERO} for the other modes.
 */
public record FlushPolicy(Mode mode, Duration interval)
{
    /** The three flush policies. */
    public enum Mode
    {
        /** Never force; leave write-back to the operating system. */
        NONE,
        /** Force every {@link FlushPolicy#interval()}. */
        INTERVAL,
        /** Force before acknowledging each publish. */
        EVERY_PUBLISH
    }

    private static final FlushPolicy NONE = new FlushPolicy(Mode.NONE, Duration.ZERO);
    private static final FlushPolicy EVERY_PUBLISH = new FlushPolicy(Mode.EVERY_PUBLISH, Duration.ZERO);

    /**
     * Validates the policy.
     *
     * @param mode     which of the three policies.
     * @param interval the time between forces for {@link Mode#INTERVAL}, zero otherwise.
     * @throws NullPointerException     if an argument is null.
     * @throws IllegalArgumentException if an {@link Mode#INTERVAL} policy has an interval that is not positive, or
     *                                  another mode has an interval that is not zero.
     */
    public FlushPolicy
    {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(interval, "interval");
        if (mode == Mode.INTERVAL && (interval.isZero() || interval.isNegative()))
        {
            throw new IllegalArgumentException("invalid flush interval " + interval + ": must be positive");
        }
        if (mode != Mode.INTERVAL && !interval.isZero())
        {
            throw new IllegalArgumentException("invalid flush interval " + interval + " for mode " + mode +
                ": must be zero");
        }
    }

    /**
     * Never force writes; see the class description for what a power loss takes.
     *
     * @return the policy that leaves write-back to the operating system.
     */
    public static FlushPolicy none()
    {
        return NONE;
    }

    /**
     * Force writes to the disk every {@code interval}.
     *
     * @param interval the time between forces.
     * @return the interval policy.
     * @throws NullPointerException     if the interval is null.
     * @throws IllegalArgumentException if the interval is not positive.
     */
    public static FlushPolicy interval(final Duration interval)
    {
        return new FlushPolicy(Mode.INTERVAL, interval);
    }

    /**
     * Force each publish to the disk before acknowledging it.
     *
     * @return the every-publish policy.
     */
    public static FlushPolicy everyPublish()
    {
        return EVERY_PUBLISH;
    }

    /**
     * The policy in short form.
     *
     * @return {@code NONE}, {@code INTERVAL(PT1S)} or {@code EVERY_PUBLISH}.
     */
    @Override
    public String toString()
    {
        return mode == Mode.INTERVAL ? "INTERVAL(" + interval + ")" : mode.name();
    }
}
