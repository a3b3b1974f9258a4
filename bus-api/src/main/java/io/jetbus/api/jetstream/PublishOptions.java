package io.jetbus.api.jetstream;

/**
 * Options of one JetStream publish: a message ID for de-duplication and expectations the stream checks before it
 * stores the message. A core publish carrying the equivalent headers ({@link #MSG_ID_HEADER} and the
 * {@code Nats-Expected-*} headers) gets the same treatment, as in NATS.
 *
 * @param messageId                   the ID used to drop duplicates within the stream's duplicate window, or
 *                                    {@code null}.
 * @param expectedStream              the stream that must capture the subject, or {@code null}.
 * @param expectedLastSequence        the stream's last sequence must be this (0: the stream must be empty), or
 *                                    {@link #UNSET_SEQUENCE}.
 * @param expectedLastSubjectSequence the sequence of the last message on the subject must be this (0: there must be
 *                                    none), or {@link #UNSET_SEQUENCE}.
 * @param expectedLastMessageId       the message ID of the stream's last message must be this, or {@code null}.
 */
public record PublishOptions(
    String messageId,
    String expectedStream,
    long expectedLastSequence,
    long expectedLastSubjectSequence,
    String expectedLastMessageId)
{
    /** The value of a sequence expectation that is not set: {@code -1} (0 is a real expectation: empty). */
    public static final long UNSET_SEQUENCE = -1;

    /** The header carrying the message ID, as in NATS. */
    public static final String MSG_ID_HEADER = "Nats-Msg-Id";
    /** The header carrying the expected stream, as in NATS. */
    public static final String EXPECTED_STREAM_HEADER = "Nats-Expected-Stream";
    /** The header carrying the expected last sequence, as in NATS. */
    public static final String EXPECTED_LAST_SEQUENCE_HEADER = "Nats-Expected-Last-Sequence";
    /** The header carrying the expected last sequence on the subject, as in NATS. */
    public static final String EXPECTED_LAST_SUBJECT_SEQUENCE_HEADER = "Nats-Expected-Last-Subject-Sequence";
    /** The header carrying the expected last message ID, as in NATS. */
    public static final String EXPECTED_LAST_MSG_ID_HEADER = "Nats-Expected-Last-Msg-Id";

    private static final PublishOptions NONE = new PublishOptions(null, null, UNSET_SEQUENCE, UNSET_SEQUENCE, null);

    /**
     * Validates the options.
     *
     * @param messageId                   the message ID, or {@code null}.
     * @param expectedStream              the expected stream, or {@code null}.
     * @param expectedLastSequence        the expected last sequence, or {@link #UNSET_SEQUENCE}.
     * @param expectedLastSubjectSequence the expected last sequence on the subject, or {@link #UNSET_SEQUENCE}.
     * @param expectedLastMessageId       the expected last message ID, or {@code null}.
     * @throws IllegalArgumentException if a text is empty, the stream name is invalid, or a sequence is below
     *                                  {@code -1}.
     */
    public PublishOptions
    {
        Checks.checkOptionalText("messageId", messageId);
        if (expectedStream != null)
        {
            Checks.checkName("expectedStream", expectedStream);
        }
        checkSequence("expectedLastSequence", expectedLastSequence);
        checkSequence("expectedLastSubjectSequence", expectedLastSubjectSequence);
        Checks.checkOptionalText("expectedLastMessageId", expectedLastMessageId);
    }

    /**
     * The options with nothing set.
     *
     * @return the shared empty options.
     */
    public static PublishOptions none()
    {
        return NONE;
    }

    /**
     * A builder with nothing set.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Whether any expectation is set (the message ID is not an expectation).
     *
     * @return {@code true} when the stream must check something before storing.
     */
    public boolean hasExpectations()
    {
        return expectedStream != null || expectedLastSequence != UNSET_SEQUENCE ||
            expectedLastSubjectSequence != UNSET_SEQUENCE || expectedLastMessageId != null;
    }

    private static long checkSequence(final String field, final long value)
    {
        if (value < UNSET_SEQUENCE)
        {
            throw new IllegalArgumentException("invalid " + field + " " + value +
                ": must be -1 (unset), 0 (none) or positive");
        }
        return value;
    }

    /**
     * Builds {@link PublishOptions}. Not safe for concurrent use.
     */
    public static final class Builder
    {
        private String messageId;
        private String expectedStream;
        private long expectedLastSequence = UNSET_SEQUENCE;
        private long expectedLastSubjectSequence = UNSET_SEQUENCE;
        private String expectedLastMessageId;

        private Builder()
        {
        }

        /**
         * Set the message ID used to drop duplicates.
         *
         * @param messageId a non-empty ID, or {@code null} for none.
         * @return this builder.
         * @throws IllegalArgumentException if the ID is empty.
         */
        public Builder messageId(final String messageId)
        {
            this.messageId = Checks.checkOptionalText("messageId", messageId);
            return this;
        }

        /**
         * Require that this stream captures the subject.
         *
         * @param expectedStream a stream name, or {@code null} for no expectation.
         * @return this builder.
         * @throws IllegalArgumentException if the name is invalid.
         */
        public Builder expectedStream(final String expectedStream)
        {
            this.expectedStream = expectedStream == null ? null : Checks.checkName("expectedStream", expectedStream);
            return this;
        }

        /**
         * Require that the stream's last sequence is this one.
         *
         * @param expectedLastSequence a sequence, 0 for an empty stream, or {@link #UNSET_SEQUENCE}.
         * @return this builder.
         * @throws IllegalArgumentException if the sequence is below {@code -1}.
         */
        public Builder expectedLastSequence(final long expectedLastSequence)
        {
            this.expectedLastSequence = checkSequence("expectedLastSequence", expectedLastSequence);
            return this;
        }

        /**
         * Require that the last message on the subject has this sequence.
         *
         * @param expectedLastSubjectSequence a sequence, 0 for no message on the subject, or {@link #UNSET_SEQUENCE}.
         * @return this builder.
         * @throws IllegalArgumentException if the sequence is below {@code -1}.
         */
        public Builder expectedLastSubjectSequence(final long expectedLastSubjectSequence)
        {
            this.expectedLastSubjectSequence =
                checkSequence("expectedLastSubjectSequence", expectedLastSubjectSequence);
            return this;
        }

        /**
         * Require that the stream's last message has this message ID.
         *
         * @param expectedLastMessageId a non-empty ID, or {@code null} for no expectation.
         * @return this builder.
         * @throws IllegalArgumentException if the ID is empty.
         */
        public Builder expectedLastMessageId(final String expectedLastMessageId)
        {
            this.expectedLastMessageId = Checks.checkOptionalText("expectedLastMessageId", expectedLastMessageId);
            return this;
        }

        /**
         * Build the options.
         *
         * @return the immutable options.
         */
        public PublishOptions build()
        {
            return new PublishOptions(messageId, expectedStream, expectedLastSequence, expectedLastSubjectSequence,
                expectedLastMessageId);
        }
    }
}
