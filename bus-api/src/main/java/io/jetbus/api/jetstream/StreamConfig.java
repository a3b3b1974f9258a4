package io.jetbus.api.jetstream;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The configuration of a stream: its name, the subjects it captures, where it stores messages and the limits that
 * remove them. Build one with {@link #builder()}; change one with {@link #builder(StreamConfig)}.
 *
 * <p>Limits take {@code -1} for unlimited and {@link Duration#ZERO} for no age limit, as in nats.java. The constructor
 * checks every component and their combinations and throws {@link IllegalArgumentException} naming the values and the
 * rule. Two configurations are equal when all components are; adding a stream that exists with an equal
 * configuration returns the existing stream, as in NATS.
 *
 * @param name              the stream name: 1 to 255 characters, none of {@code . * > / \}, whitespace or control
 *                          characters.
 * @param description       a free description, or {@code null}.
 * @param subjects          the subjects or patterns the stream captures; never empty (an empty list becomes the stream
 *                          name, as in NATS), no duplicates.
 * @param storage           file or memory; cannot change on update.
 * @param retention         when messages may go besides limits; cannot change to or from
 *                          {@link RetentionPolicy#WORK_QUEUE} on update.
 * @param maxMsgs           the most messages the stream holds, or {@code -1}.
 * @param maxBytes          the most payload and header bytes the stream holds, or {@code -1}.
 * @param maxMsgSize        the largest message accepted in bytes, or {@code -1}.
 * @param maxMsgsPerSubject the most messages kept per subject, or {@code -1}.
 * @param maxAge            the oldest a message may get, or {@link Duration#ZERO} for no limit.
 * @param discard           what a publish over a limit does.
 * @param duplicateWindow   how long a {@code Nats-Msg-Id} is remembered to drop duplicates; {@link Duration#ZERO}
 *                          turns de-duplication off; at most {@code maxAge} when an age limit is set.
 * @param flushPolicy       when writes of a {@link StorageType#FILE} stream are forced to the disk; only
 *                          {@link FlushPolicy#none()} for {@link StorageType#MEMORY}.
 */
public record StreamConfig(
    String name,
    String description,
    List<String> subjects,
    StorageType storage,
    RetentionPolicy retention,
    long maxMsgs,
    long maxBytes,
    int maxMsgSize,
    long maxMsgsPerSubject,
    Duration maxAge,
    DiscardPolicy discard,
    Duration duplicateWindow,
    FlushPolicy flushPolicy)
{
    /** The value of a limit that does not limit: {@code -1}. */
    public static final int UNLIMITED = -1;

    /** The duplicate window when none is set and no shorter {@code maxAge} applies: two minutes, as in NATS. */
    public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofMinutes(2);

    /**
     * Validates the configuration.
     *
     * @param name              the stream name.
     * @param description       a free description, or {@code null}.
     * @param subjects          the subjects or patterns captured; empty means the stream name.
     * @param storage           file or memory.
     * @param retention         the retention policy.
     * @param maxMsgs           the message limit, or {@code -1}.
     * @param maxBytes          the byte limit, or {@code -1}.
     * @param maxMsgSize        the message size limit, or {@code -1}.
     * @param maxMsgsPerSubject the per-subject message limit, or {@code -1}.
     * @param maxAge            the age limit, or zero.
     * @param discard           the discard policy.
     * @param duplicateWindow   the de-duplication window, or zero.
     * @param flushPolicy       the flush policy.
     * @throws NullPointerException     if a required component is null.
     * @throws IllegalArgumentException if a component is invalid or two components do not fit together.
     */
    public StreamConfig
    {
        Checks.checkName("stream name", name);
        Objects.requireNonNull(subjects, "subjects");
        subjects = subjects.isEmpty() ? List.of(name) : Checks.checkPatterns("subjects", subjects, true);
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(retention, "retention");
        Checks.checkLimit("maxMsgs", maxMsgs);
        Checks.checkLimit("maxBytes", maxBytes);
        Checks.checkLimit("maxMsgSize", maxMsgSize);
        Checks.checkLimit("maxMsgsPerSubject", maxMsgsPerSubject);
        Checks.checkNotNegative("maxAge", maxAge);
        Objects.requireNonNull(discard, "discard");
        Checks.checkNotNegative("duplicateWindow", duplicateWindow);
        Objects.requireNonNull(flushPolicy, "flushPolicy");

        if (!maxAge.isZero() && duplicateWindow.compareTo(maxAge) > 0)
        {
            throw new IllegalArgumentException("duplicateWindow=" + duplicateWindow + " must not exceed maxAge=" +
                maxAge);
        }
        if (storage == StorageType.MEMORY && flushPolicy.mode() != FlushPolicy.Mode.NONE)
        {
            throw new IllegalArgumentException("flushPolicy=" + flushPolicy + " needs storage=FILE, got storage=" +
                storage);
        }
    }

    /**
     * A builder with the defaults: {@link StorageType#FILE}, {@link RetentionPolicy#LIMITS}, no limits,
     * {@link DiscardPolicy#OLD}, a two-minute duplicate window and {@link FlushPolicy#none()}.
     *
     * @return a new builder; {@link Builder#name(String)} must be called before {@link Builder#build()}.
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
    public static Builder builder(final StreamConfig existing)
    {
        return new Builder(existing);
    }

    /**
     * Check that a stream with this configuration may be updated to {@code newer}, as NATS does: the name and the
     * storage type cannot change, and the retention policy can change between {@link RetentionPolicy#LIMITS} and
     * {@link RetentionPolicy#INTEREST} only. Everything else may change.
     *
     * @param newer the configuration asked for.
     * @throws NullPointerException  if {@code newer} is null.
     * @throws JetStreamApiException with {@link JetStreamApiException#STREAM_INVALID_CONFIG} naming the field and
     *                               both values if a field that cannot change differs.
     */
    public void checkUpdate(final StreamConfig newer)
    {
        Objects.requireNonNull(newer, "newer");
        if (!name.equals(newer.name))
        {
            throw JetStreamApiException.invalidStreamConfig(name,
                "stream name can not change: \"" + name + "\" -> \"" + newer.name + "\"");
        }
        if (storage != newer.storage)
        {
            throw JetStreamApiException.invalidStreamConfig(name,
                "storage can not change: " + storage + " -> " + newer.storage);
        }
        if (retention != newer.retention &&
            (retention == RetentionPolicy.WORK_QUEUE || newer.retention == RetentionPolicy.WORK_QUEUE))
        {
            throw JetStreamApiException.invalidStreamConfig(name,
                "retention can not change to or from WORK_QUEUE: " + retention + " -> " + newer.retention);
        }
    }

    /**
     * Builds a {@link StreamConfig}. Each setter checks its own argument; {@link #build()} checks combinations.
     * Not safe for concurrent use.
     */
    public static final class Builder
    {
        private String name;
        private String description;
        private List<String> subjects = List.of();
        private StorageType storage = StorageType.FILE;
        private RetentionPolicy retention = RetentionPolicy.LIMITS;
        private long maxMsgs = UNLIMITED;
        private long maxBytes = UNLIMITED;
        private int maxMsgSize = UNLIMITED;
        private long maxMsgsPerSubject = UNLIMITED;
        private Duration maxAge = Duration.ZERO;
        private DiscardPolicy discard = DiscardPolicy.OLD;
        private Duration duplicateWindow;
        private FlushPolicy flushPolicy = FlushPolicy.none();

        private Builder()
        {
        }

        private Builder(final StreamConfig existing)
        {
            Objects.requireNonNull(existing, "existing");
            name = existing.name;
            description = existing.description;
            subjects = existing.subjects;
            storage = existing.storage;
            retention = existing.retention;
            maxMsgs = existing.maxMsgs;
            maxBytes = existing.maxBytes;
            maxMsgSize = existing.maxMsgSize;
            maxMsgsPerSubject = existing.maxMsgsPerSubject;
            maxAge = existing.maxAge;
            discard = existing.discard;
            duplicateWindow = existing.duplicateWindow;
            flushPolicy = existing.flushPolicy;
        }

        /**
         * Set the stream name.
         *
         * @param name 1 to 255 characters, none of {@code . * > / \}, whitespace or control characters.
         * @return this builder.
         * @throws NullPointerException     if the name is null.
         * @throws IllegalArgumentException if the name is invalid.
         */
        public Builder name(final String name)
        {
            this.name = Checks.checkName("stream name", name);
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
         * Set the subjects the stream captures, replacing any set before.
         *
         * @param subjects subjects or patterns ({@code *}, {@code >}); none means the stream name.
         * @return this builder.
         * @throws NullPointerException     if the array or a subject is null.
         * @throws IllegalArgumentException if a subject is invalid or repeated.
         */
        public Builder subjects(final String... subjects)
        {
            Objects.requireNonNull(subjects, "subjects");
            return subjects(Arrays.asList(subjects));
        }

        /**
         * Set the subjects the stream captures, replacing any set before.
         *
         * @param subjects subjects or patterns ({@code *}, {@code >}); empty means the stream name.
         * @return this builder.
         * @throws NullPointerException     if the list or a subject is null.
         * @throws IllegalArgumentException if a subject is invalid or repeated.
         */
        public Builder subjects(final List<String> subjects)
        {
            this.subjects = Checks.checkPatterns("subjects", subjects, true);
            return this;
        }

        /**
         * Set where messages are stored.
         *
         * @param storage file (the default) or memory.
         * @return this builder.
         * @throws NullPointerException if the storage type is null.
         */
        public Builder storage(final StorageType storage)
        {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /**
         * Set the retention policy.
         *
         * @param retention limits (the default), interest or work queue.
         * @return this builder.
         * @throws NullPointerException if the policy is null.
         */
        public Builder retention(final RetentionPolicy retention)
        {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * Set the most messages the stream holds.
         *
         * @param maxMsgs the limit, or {@code -1} for none (the default).
         * @return this builder.
         * @throws IllegalArgumentException if the limit is neither {@code -1} nor positive.
         */
        public Builder maxMsgs(final long maxMsgs)
        {
            this.maxMsgs = Checks.checkLimit("maxMsgs", maxMsgs);
            return this;
        }

        /**
         * Set the most bytes (payloads and headers) the stream holds.
         *
         * @param maxBytes the limit, or {@code -1} for none (the default).
         * @return this builder.
         * @throws IllegalArgumentException if the limit is neither {@code -1} nor positive.
         */
        public Builder maxBytes(final long maxBytes)
        {
            this.maxBytes = Checks.checkLimit("maxBytes", maxBytes);
            return this;
        }

        /**
         * Set the largest message the stream accepts.
         *
         * @param maxMsgSize the limit in bytes, or {@code -1} for none (the default).
         * @return this builder.
         * @throws IllegalArgumentException if the limit is neither {@code -1} nor positive.
         */
        public Builder maxMsgSize(final int maxMsgSize)
        {
            this.maxMsgSize = (int)Checks.checkLimit("maxMsgSize", maxMsgSize);
            return this;
        }

        /**
         * Set the most messages kept for each subject.
         *
         * @param maxMsgsPerSubject the limit, or {@code -1} for none (the default).
         * @return this builder.
         * @throws IllegalArgumentException if the limit is neither {@code -1} nor positive.
         */
        public Builder maxMsgsPerSubject(final long maxMsgsPerSubject)
        {
            this.maxMsgsPerSubject = Checks.checkLimit("maxMsgsPerSubject", maxMsgsPerSubject);
            return this;
        }

        /**
         * Set the oldest a message may get before it is removed.
         *
         * @param maxAge the limit, or {@link Duration#ZERO} for none (the default).
         * @return this builder.
         * @throws NullPointerException     if the duration is null.
         * @throws IllegalArgumentException if the duration is negative.
         */
        public Builder maxAge(final Duration maxAge)
        {
            this.maxAge = Checks.checkNotNegative("maxAge", maxAge);
            return this;
        }

        /**
         * Set what a publish over a limit does.
         *
         * @param discard old (the default: remove the oldest) or new (refuse the publish).
         * @return this builder.
         * @throws NullPointerException if the policy is null.
         */
        public Builder discard(final DiscardPolicy discard)
        {
            this.discard = Objects.requireNonNull(discard, "discard");
            return this;
        }

        /**
         * Set how long a {@code Nats-Msg-Id} is remembered to drop duplicate publishes. When not set, it is two
         * minutes, or {@code maxAge} when that is shorter.
         *
         * @param duplicateWindow the window, or {@link Duration#ZERO} to turn de-duplication off.
         * @return this builder.
         * @throws NullPointerException     if the duration is null.
         * @throws IllegalArgumentException if the duration is negative.
         */
        public Builder duplicateWindow(final Duration duplicateWindow)
        {
            this.duplicateWindow = Checks.checkNotNegative("duplicateWindow", duplicateWindow);
            return this;
        }

        /**
         * Set when writes are forced to the disk.
         *
         * @param flushPolicy the policy; {@link FlushPolicy#none()} (the default) for memory streams.
         * @return this builder.
         * @throws NullPointerException if the policy is null.
         */
        public Builder flushPolicy(final FlushPolicy flushPolicy)
        {
            this.flushPolicy = Objects.requireNonNull(flushPolicy, "flushPolicy");
            return this;
        }

        /**
         * Build the configuration.
         *
         * @return the immutable configuration.
         * @throws NullPointerException     if no name was set.
         * @throws IllegalArgumentException if values do not fit together, naming both.
         */
        public StreamConfig build()
        {
            Duration window = duplicateWindow;
            if (window == null)
            {
                window = !maxAge.isZero() && maxAge.compareTo(DEFAULT_DUPLICATE_WINDOW) < 0 ?
                    maxAge : DEFAULT_DUPLICATE_WINDOW;
            }
            return new StreamConfig(name, description, subjects, storage, retention, maxMsgs, maxBytes, maxMsgSize,
                maxMsgsPerSubject, maxAge, discard, window, flushPolicy);
        }
    }
}
