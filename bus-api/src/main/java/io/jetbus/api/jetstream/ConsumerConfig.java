package io.jetbus.api.jetstream;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The configuration of a consumer: a durable or ephemeral reader of one stream, with a start position, a filter and
 * acknowledgement rules. Build one with {@link #builder()}; change one with {@link #builder(ConsumerConfig)}.
 *
 * <p>A consumer with a {@link #durableName()} survives its subscriptions and bus restarts; one without is ephemeral
 * and goes away with its subscription. The constructor checks every component and their combinations and throws
 * {@link IllegalArgumentException} naming the values and the rule.
 *
 * <p>Redelivery: an unacknowledged message is delivered again once its ack wait expires. The wait after the n-th
 * delivery is {@code backoff[n - 1]}, the last entry for later deliveries, or {@link #ackWait()} when there is no
 * backoff. After {@link #maxDeliver()} deliveries the message is no longer redelivered: it leaves the pending set
 * and a {@link JetStreamAdvisory.Type#MAX_DELIVERIES} advisory reports it.
 *
 * @param durableName    the name of a durable consumer, or {@code null} for an ephemeral one.
 * @param name           the consumer name, or {@code null}; equal to {@code durableName} when both are set; an
 *                       ephemeral consumer without one gets a generated name.
 * @param description    a free description, or {@code null}.
 * @param deliverPolicy  where the consumer starts.
 * @param optStartSeq    the first stream sequence for {@link DeliverPolicy#BY_START_SEQUENCE}, otherwise
 *                       {@link #NO_START_SEQUENCE}.
 * @param optStartTime   the start time for {@link DeliverPolicy#BY_START_TIME}, otherwise {@code null}.
 * @param ackPolicy      how messages are acknowledged.
 * @param ackWait        how long a delivered message may stay unacknowledged before it is redelivered; positive;
 *                       equal to {@code backoff[0]} when a backoff is set.
 * @param maxDeliver     the most times a message is delivered, or {@code -1} for no limit; more than the number of
 *                       backoff entries.
 * @param backoff        the ack waits of successive deliveries, each positive; empty for a constant
 *                       {@code ackWait}.
 * @param maxAckPending  the most messages delivered and not yet acknowledged before delivery pauses, or {@code -1}.
 * @param filterSubjects the subjects of the stream to read; empty for all; no two overlapping.
 */
public record ConsumerConfig(
    String durableName,
    String name,
    String description,
    DeliverPolicy deliverPolicy,
    long optStartSeq,
    Instant optStartTime,
    AckPolicy ackPolicy,
    Duration ackWait,
    int maxDeliver,
    List<Duration> backoff,
    int maxAckPending,
    List<String> filterSubjects)
{
    /** The value of {@link #optStartSeq()} when no start sequence is set: {@code 0} (sequences start at 1). */
    public static final long NO_START_SEQUENCE = 0;

    /** The value of {@link #maxDeliver()} and {@link #maxAckPending()} that does not limit: {@code -1}. */
    public static final int UNLIMITED = -1;

    /** The default ack wait: 30 seconds, as in NATS. */
    public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);

    /** The default most unacknowledged messages: 1000, as in NATS. */
    public static final int DEFAULT_MAX_ACK_PENDING = 1000;

    /**
     * Validates the configuration.
     *
     * @param durableName    the durable name, or {@code null} for an ephemeral consumer.
     * @param name           the consumer name, or {@code null}.
     * @param description    a free description, or {@code null}.
     * @param deliverPolicy  where the consumer starts.
     * @param optStartSeq    the start sequence, or {@link #NO_START_SEQUENCE}.
     * @param optStartTime   the start time, or {@code null}.
     * @param ackPolicy      how messages are acknowledged.
     * @param ackWait        the ack wait.
     * @param maxDeliver     the delivery limit, or {@code -1}.
     * @param backoff        the ack waits of successive deliveries, or empty.
     * @param maxAckPending  the pending limit, or {@code -1}.
     * @param filterSubjects the subjects to read, or empty for all.
     * @throws NullPointerException     if a required component is null.
     * @throws IllegalArgumentException if a component is invalid or two components do not fit together.
     */
    public ConsumerConfig
    {
        if (durableName != null)
        {
            Checks.checkName("durable name", durableName);
        }
        if (name != null)
        {
            Checks.checkName("consumer name", name);
        }
        Objects.requireNonNull(deliverPolicy, "deliverPolicy");
        checkStartSeq(optStartSeq);
        Objects.requireNonNull(ackPolicy, "ackPolicy");
        Checks.checkPositive("ackWait", ackWait);
        checkMaxDeliver(maxDeliver);
        backoff = checkBackoff(backoff);
        checkMaxAckPending(maxAckPending);
        filterSubjects = Checks.checkPatterns("filterSubjects", filterSubjects, false);

        if (durableName != null && name != null && !durableName.equals(name))
        {
            throw new IllegalArgumentException("durableName=\"" + durableName + "\" and name=\"" + name +
                "\" must be equal when both are set");
        }
        checkStart(deliverPolicy, optStartSeq, optStartTime);
        if (!backoff.isEmpty())
        {
            if (ackPolicy == AckPolicy.NONE)
            {
                throw new IllegalArgumentException("backoff=" + backoff + " needs ackPolicy EXPLICIT or ALL, got " +
                    "ackPolicy=NONE");
            }
            if (maxDeliver != UNLIMITED && maxDeliver <= backoff.size())
            {
                throw new IllegalArgumentException("maxDeliver=" + maxDeliver +
                    " must be greater than the number of backoff entries=" + backoff.size());
            }
            if (!ackWait.equals(backoff.get(0)))
            {
                throw new IllegalArgumentException("ackWait=" + ackWait + " must equal backoff[0]=" + backoff.get(0) +
                    " (the first backoff entry is the ack wait of the first delivery)");
            }
        }
    }

    /**
     * A builder with the defaults: ephemeral, {@link DeliverPolicy#ALL}, {@link AckPolicy#EXPLICIT}, a 30-second ack
     * wait, no delivery limit, no backoff, at most 1000 pending acknowledgements and no filter.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * A builder that starts from an existing configuration, to build an update.
     *
     * @param existing the configuration to copy.
     * @return a new builder holding every value of {@code existing}.
     * @throws NullPointerException if {@code existing} is null.
     */
    public static Builder builder(final ConsumerConfig existing)
    {
        return new Builder(existing);
    }

    /**
     * Whether the consumer is durable.
     *
     * @return {@code true} when {@link #durableName()} is set.
     */
    public boolean isDurable()
    {
        return durableName != null;
    }

    /**
     * Check that a consumer with this configuration may be updated to {@code newer}, as NATS does: the names, the
     * deliver policy, the start sequence and time, and the ack policy cannot change. The description, ack wait,
     * delivery limit, backoff, pending limit and filter subjects may.
     *
     * @param newer the configuration asked for.
     * @throws NullPointerException  if {@code newer} is null.
     * @throws JetStreamApiException with {@link JetStreamApiException#CONSUMER_CREATE} naming the field and both
     *                               values if a field that cannot change differs.
     */
    public void checkUpdate(final ConsumerConfig newer)
    {
        Objects.requireNonNull(newer, "newer");
        final String consumer = durableName != null ? durableName : name;
        checkUnchanged(consumer, "durableName", durableName, newer.durableName);
        checkUnchanged(consumer, "name", name, newer.name);
        checkUnchanged(consumer, "deliverPolicy", deliverPolicy, newer.deliverPolicy);
        checkUnchanged(consumer, "optStartSeq", optStartSeq, newer.optStartSeq);
        checkUnchanged(consumer, "optStartTime", optStartTime, newer.optStartTime);
        checkUnchanged(consumer, "ackPolicy", ackPolicy, newer.ackPolicy);
    }

    private static void checkUnchanged(final String consumer, final String field, final Object old, final Object newer)
    {
        if (!Objects.equals(old, newer))
        {
            throw JetStreamApiException.consumerCreateFailed(consumer,
                field + " can not be updated: " + old + " -> " + newer);
        }
    }

    private static void checkStartSeq(final long optStartSeq)
    {
        if (optStartSeq < 0)
        {
            throw new IllegalArgumentException("invalid optStartSeq " + optStartSeq +
                ": must be positive, or 0 when not set");
        }
    }

    private static void checkMaxDeliver(final int maxDeliver)
    {
        if (maxDeliver != UNLIMITED && maxDeliver <= 0)
        {
            throw new IllegalArgumentException("invalid maxDeliver " + maxDeliver +
                ": must be -1 (unlimited) or positive");
        }
    }

    private static void checkMaxAckPending(final int maxAckPending)
    {
        if (maxAckPending != UNLIMITED && maxAckPending <= 0)
        {
            throw new IllegalArgumentException("invalid maxAckPending " + maxAckPending +
                ": must be -1 (unlimited) or positive");
        }
    }

    private static List<Duration> checkBackoff(final List<Duration> backoff)
    {
        Objects.requireNonNull(backoff, "backoff");
        final List<Duration> copy = List.copyOf(backoff);
        for (int i = 0; i < copy.size(); i++)
        {
            final Duration d = copy.get(i);
            if (d.isNegative() || d.isZero())
            {
                throw new IllegalArgumentException("invalid backoff " + copy + ": entry " + i + " is " + d +
                    ", must be positive");
            }
        }
        return copy;
    }

    private static void checkStart(final DeliverPolicy policy, final long optStartSeq, final Instant optStartTime)
    {
        if (policy == DeliverPolicy.BY_START_SEQUENCE)
        {
            if (optStartSeq == NO_START_SEQUENCE)
            {
                throw new IllegalArgumentException("deliverPolicy=BY_START_SEQUENCE needs optStartSeq > 0, got " +
                    "optStartSeq=0");
            }
        }
        else if (optStartSeq != NO_START_SEQUENCE)
        {
            throw new IllegalArgumentException("optStartSeq=" + optStartSeq +
                " needs deliverPolicy=BY_START_SEQUENCE, got deliverPolicy=" + policy);
        }

        if (policy == DeliverPolicy.BY_START_TIME)
        {
            if (optStartTime == null)
            {
                throw new IllegalArgumentException("deliverPolicy=BY_START_TIME needs optStartTime, got " +
                    "optStartTime=null");
            }
        }
        else if (optStartTime != null)
        {
            throw new IllegalArgumentException("optStartTime=" + optStartTime +
                " needs deliverPolicy=BY_START_TIME, got deliverPolicy=" + policy);
        }
    }

    /**
     * Builds a {@link ConsumerConfig}. Each setter checks its own argument; {@link #build()} checks combinations.
     * Not safe for concurrent use.
     */
    public static final class Builder
    {
        private String durableName;
        private String name;
        private String description;
        private DeliverPolicy deliverPolicy = DeliverPolicy.ALL;
        private long optStartSeq = NO_START_SEQUENCE;
        private Instant optStartTime;
        private AckPolicy ackPolicy = AckPolicy.EXPLICIT;
        private Duration ackWait;
        private int maxDeliver = UNLIMITED;
        private List<Duration> backoff = List.of();
        private int maxAckPending = DEFAULT_MAX_ACK_PENDING;
        private List<String> filterSubjects = List.of();

        private Builder()
        {
        }

        private Builder(final ConsumerConfig existing)
        {
            Objects.requireNonNull(existing, "existing");
            durableName = existing.durableName;
            name = existing.name;
            description = existing.description;
            deliverPolicy = existing.deliverPolicy;
            optStartSeq = existing.optStartSeq;
            optStartTime = existing.optStartTime;
            ackPolicy = existing.ackPolicy;
            // With a backoff the ack wait was derived from it: leave it unset so a new backoff derives it again.
            ackWait = existing.backoff.isEmpty() ? existing.ackWait : null;
            maxDeliver = existing.maxDeliver;
            backoff = existing.backoff;
            maxAckPending = existing.maxAckPending;
            filterSubjects = existing.filterSubjects;
        }

        /**
         * Make the consumer durable under this name.
         *
         * @param durableName 1 to 255 characters, none of {@code . * > / \}, whitespace or control characters; or
         *                    {@code null} for an ephemeral consumer (the default).
         * @return this builder.
         * @throws IllegalArgumentException if the name is invalid.
         */
        public Builder durableName(final String durableName)
        {
            this.durableName = durableName == null ? null : Checks.checkName("durable name", durableName);
            return this;
        }

        /**
         * Set the consumer name; for a durable consumer it must equal the durable name.
         *
         * @param name 1 to 255 characters, none of {@code . * > / \}, whitespace or control characters; or
         *             {@code null} (the default).
         * @return this builder.
         * @throws IllegalArgumentException if the name is invalid.
         */
        public Builder name(final String name)
        {
            this.name = name == null ? null : Checks.checkName("consumer name", name);
            return this;
        }

        /**
         * Set the description.
         *
         * @param description free text, or {@code null} for none.
         * @return this builder.
         */
        public Builder description(final String description)
        {
            this.description = description;
            return this;
        }

        /**
         * Set where the consumer starts.
         *
         * @param deliverPolicy the start policy; {@link DeliverPolicy#ALL} by default.
         * @return this builder.
         * @throws NullPointerException if the policy is null.
         */
        public Builder deliverPolicy(final DeliverPolicy deliverPolicy)
        {
            this.deliverPolicy = Objects.requireNonNull(deliverPolicy, "deliverPolicy");
            return this;
        }

        /**
         * Set the first stream sequence for {@link DeliverPolicy#BY_START_SEQUENCE}.
         *
         * @param optStartSeq a positive sequence, or {@link #NO_START_SEQUENCE}.
         * @return this builder.
         * @throws IllegalArgumentException if the sequence is negative.
         */
        public Builder optStartSeq(final long optStartSeq)
        {
            checkStartSeq(optStartSeq);
            this.optStartSeq = optStartSeq;
            return this;
        }

        /**
         * Set the start time for {@link DeliverPolicy#BY_START_TIME}.
         *
         * @param optStartTime the time, or {@code null} for none.
         * @return this builder.
         */
        public Builder optStartTime(final Instant optStartTime)
        {
            this.optStartTime = optStartTime;
            return this;
        }

        /**
         * Set how messages are acknowledged.
         *
         * @param ackPolicy the policy; {@link AckPolicy#EXPLICIT} by default.
         * @return this builder.
         * @throws NullPointerException if the policy is null.
         */
        public Builder ackPolicy(final AckPolicy ackPolicy)
        {
            this.ackPolicy = Objects.requireNonNull(ackPolicy, "ackPolicy");
            return this;
        }

        /**
         * Set how long a delivered message may stay unacknowledged before it is redelivered. When not set it is 30
         * seconds, or the first backoff entry when a backoff is set.
         *
         * @param ackWait a positive duration.
         * @return this builder.
         * @throws NullPointerException     if the duration is null.
         * @throws IllegalArgumentException if the duration is not positive.
         */
        public Builder ackWait(final Duration ackWait)
        {
            this.ackWait = Checks.checkPositive("ackWait", ackWait);
            return this;
        }

        /**
         * Set the most times a message is delivered.
         *
         * @param maxDeliver a positive count, or {@code -1} for no limit (the default).
         * @return this builder.
         * @throws IllegalArgumentException if the count is neither {@code -1} nor positive.
         */
        public Builder maxDeliver(final int maxDeliver)
        {
            checkMaxDeliver(maxDeliver);
            this.maxDeliver = maxDeliver;
            return this;
        }

        /**
         * Set the ack waits of successive deliveries: the n-th delivery waits {@code backoff[n - 1]}, deliveries
         * past the end wait the last entry. Replaces {@link #ackWait(Duration)} for every delivery.
         *
         * @param backoff positive durations; none for a constant ack wait (the default).
         * @return this builder.
         * @throws NullPointerException     if the array or an entry is null.
         * @throws IllegalArgumentException if an entry is not positive.
         */
        public Builder backoff(final Duration... backoff)
        {
            Objects.requireNonNull(backoff, "backoff");
            return backoff(Arrays.asList(backoff));
        }

        /**
         * Set the ack waits of successive deliveries; see {@link #backoff(Duration...)}.
         *
         * @param backoff positive durations; empty for a constant ack wait (the default).
         * @return this builder.
         * @throws NullPointerException     if the list or an entry is null.
         * @throws IllegalArgumentException if an entry is not positive.
         */
        public Builder backoff(final List<Duration> backoff)
        {
            this.backoff = checkBackoff(backoff);
            return this;
        }

        /**
         * Set the most messages delivered and not yet acknowledged; delivery of new messages pauses at the limit.
         *
         * @param maxAckPending a positive count (1000 by default), or {@code -1} for no limit.
         * @return this builder.
         * @throws IllegalArgumentException if the count is neither {@code -1} nor positive.
         */
        public Builder maxAckPending(final int maxAckPending)
        {
            checkMaxAckPending(maxAckPending);
            this.maxAckPending = maxAckPending;
            return this;
        }

        /**
         * Read only messages on this subject or pattern; replaces any filter set before.
         *
         * @param filterSubject a subject or pattern.
         * @return this builder.
         * @throws NullPointerException     if the subject is null.
         * @throws IllegalArgumentException if the subject is invalid.
         */
        public Builder filterSubject(final String filterSubject)
        {
            return filterSubjects(List.of(Objects.requireNonNull(filterSubject, "filterSubject")));
        }

        /**
         * Read only messages on these subjects or patterns; replaces any filter set before.
         *
         * @param filterSubjects subjects or patterns, no two overlapping; none to read every message (the default).
         * @return this builder.
         * @throws NullPointerException     if the array or a subject is null.
         * @throws IllegalArgumentException if a subject is invalid, repeated, or overlaps another.
         */
        public Builder filterSubjects(final String... filterSubjects)
        {
            Objects.requireNonNull(filterSubjects, "filterSubjects");
            return filterSubjects(Arrays.asList(filterSubjects));
        }

        /**
         * Read only messages on these subjects or patterns; replaces any filter set before.
         *
         * @param filterSubjects subjects or patterns, no two overlapping; empty to read every message (the default).
         * @return this builder.
         * @throws NullPointerException     if the list or a subject is null.
         * @throws IllegalArgumentException if a subject is invalid, repeated, or overlaps another.
         */
        public Builder filterSubjects(final List<String> filterSubjects)
        {
            this.filterSubjects = Checks.checkPatterns("filterSubjects", filterSubjects, false);
            return this;
        }

        /**
         * Build the configuration.
         *
         * @return the immutable configuration.
         * @throws IllegalArgumentException if values do not fit together, naming both.
         */
        public ConsumerConfig build()
        {
            Duration wait = ackWait;
            if (wait == null)
            {
                wait = backoff.isEmpty() ? DEFAULT_ACK_WAIT : backoff.get(0);
            }
            return new ConsumerConfig(durableName, name, description, deliverPolicy, optStartSeq, optStartTime,
                ackPolicy, wait, maxDeliver, backoff, maxAckPending, filterSubjects);
        }
    }
}
