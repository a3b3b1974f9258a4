package io.jetbus.jetstream;

import io.jetbus.api.jetstream.JetStreamApiException;
import io.jetbus.api.jetstream.PubAck;

/**
 * The NATS JSON a stream replies with to a core publish that has a reply subject: {@code {"stream":"S","seq":N}}
 * (with {@code "duplicate":true} for a duplicate), or
 * {@code {"error":{"code":400,"err_code":10071,"description":"..."}}}.
 */
final class PubAckJson
{
    private PubAckJson()
    {
    }

    static String ack(final PubAck ack)
    {
        final StringBuilder sb = new StringBuilder(48).append("{\"stream\":");
        quote(sb, ack.stream()).append(",\"seq\":").append(ack.seq());
        if (ack.duplicate())
        {
            sb.append(",\"duplicate\":true");
        }
        return sb.append('}').toString();
    }

    /**
     * @param failure why the message was not stored.
     * @return the error reply: the NATS error code of a {@link JetStreamApiException}, else
     *     {@link JetStreamApiException#STREAM_STORE_FAILED} with HTTP-like code 500.
     */
    static String error(final RuntimeException failure)
    {
        final boolean api = failure instanceof JetStreamApiException;
        final int code = api ? 400 : 500;
        final int errCode = api ? ((JetStreamApiException)failure).errorCode() :
            JetStreamApiException.STREAM_STORE_FAILED;
        final String description = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        final StringBuilder sb = new StringBuilder(96).append("{\"error\":{\"code\":").append(code)
            .append(",\"err_code\":").append(errCode).append(",\"description\":");
        return quote(sb, description).append("}}").toString();
    }

    static StringBuilder quote(final StringBuilder sb, final String s)
    {
        sb.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
