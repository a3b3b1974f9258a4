package io.jetbus.api;

/**
 * The root of the failures Jetbus reports that are not caller mistakes. Caller mistakes are
 * {@link IllegalArgumentException} (a bad value) and {@link IllegalStateException} (wrong state, such as closed).
 */
public class JetbusException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A failure with a message.
     *
     * @param message what went wrong.
     */
    public JetbusException(final String message)
    {
        super(message);
    }

    /**
     * A failure with a message and a cause.
     *
     * @param message what went wrong.
     * @param cause   the underlying failure.
     */
    public JetbusException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
