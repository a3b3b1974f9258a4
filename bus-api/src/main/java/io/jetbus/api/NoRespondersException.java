package io.jetbus.api;

/**
 * A request was sent to a subject that no subscriber listens to, so no reply can come.
 */
public class NoRespondersException extends JetbusException
{
    private static final long serialVersionUID = 1L;

    /**
     * A request to {@code subject} found no responders.
     *
     * @param subject the request subject.
     */
    public NoRespondersException(final String subject)
    {
        super("no responders for request to \"" + subject + "\"");
    }
}
