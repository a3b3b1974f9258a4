package io.jetbus.jetstream;

import io.jetbus.api.NoRespondersException;

/**
 * A JetStream publish to a subject that no stream captures: the NATS server answers such a publish with "no
 * responders", so this is a {@link NoRespondersException}, with a message that says what is missing.
 */
final class NoStreamException extends NoRespondersException
{
    private static final long serialVersionUID = 1L;

    private final String subject;

    /**
     * @param subject the subject published to.
     */
    NoStreamException(final String subject)
    {
        super(subject);
        this.subject = subject;
    }

    @Override
    public String getMessage()
    {
        return "no stream matches subject \"" + subject + "\": add a stream whose subjects capture it";
    }
}
