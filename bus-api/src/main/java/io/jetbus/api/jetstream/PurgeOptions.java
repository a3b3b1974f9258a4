package io.jetbus.api.jetstream;

/**
 * What {@link JetStreamManagement#purgeStream(String, PurgeOptions)} removes: every message, or those on a subject,
 * below a sequence, or all but the newest few. {@code upToSeq} and {@code keep} exclude each other, as in NATS.
 *
 * @param subject a subject or pattern to purge, or {@code null} for every subject.
 * @param upToSeq purge messages with a sequence below this one (up to but not including it, as in NATS), or
 *                {@link #UNSET}.
 * @param keep    keep this many of the newest messages (per {@code subject} when set), or {@link #UNSET}.
 */
public record PurgeOptions(String subject, long upToSeq, long keep)
{
    /** The value of {@code upToSeq} or {@code keep} when not set: {@code 0}. */
    public static final long UNSET = 0;

    /**
     * Validates the options.
     *
     * @param subject the subject filter, or {@code null}.
     * @param upToSeq the exclusive upper sequence, or {@link #UNSET}.
     * @param keep    how many to keep, or {@link #UNSET}.
     * @throws IllegalArgumentException if the subject is invalid, a number is negative, or both numbers are set.
     */
    public PurgeOptions
    {
        if (subject != null)
        {
            Checks.checkPattern(subject);
        }
        checkNumber("upToSeq", upToSeq);
        checkNumber("keep", keep);
        if (upToSeq != UNSET && keep != UNSET)
        {
            throw new IllegalArgumentException("upToSeq=" + upToSeq + " and keep=" + keep +
                " are mutually exclusive: set one of them");
        }
    }

    /**
     * A builder with nothing set: purge everything.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    private static long checkNumber(final String field, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("invalid " + field + " " + value + ": must be positive, or 0 (unset)");
        }
        return value;
    }

    /**
     * Builds {@link PurgeOptions}. Not safe for concurrent use.
     */
    public static final class Builder
    {
        private String subject;
        private long upToSeq = UNSET;
        private long keep = UNSET;

        private Builder()
        {
        }

        /**
         * Purge only messages on this subject or pattern.
         *
         * @param subject a subject or pattern, or {@code null} for every subject.
         * @return this builder.
         * @throws IllegalArgumentException if the subject is invalid.
         */
        public Builder subject(final String subject)
        {
            this.subject = subject == null ? null : Checks.checkPattern(subject);
            return this;
        }

        /**
         * Purge only messages with a sequence below this one.
         *
         * @param upToSeq the exclusive upper sequence, or {@link #UNSET}.
         * @return this builder.
         * @throws IllegalArgumentException if the sequence is negative.
         */
        public Builder upToSeq(final long upToSeq)
        {
            this.upToSeq = checkNumber("upToSeq", upToSeq);
            return this;
        }

        /**
         * Keep this many of the newest messages.
         *
         * @param keep how many to keep, or {@link #UNSET}.
         * @return this builder.
         * @throws IllegalArgumentException if the count is negative.
         */
        public Builder keep(final long keep)
        {
            this.keep = checkNumber("keep", keep);
            return this;
        }

        /**
         * Build the options.
         *
         * @return the immutable options.
         * @throws IllegalArgumentException if both {@code upToSeq} and {@code keep} are set, naming both.
         */
        public PurgeOptions build()
        {
            return new PurgeOptions(subject, upToSeq, keep);
        }
    }
}
