package io.jetbus.test;

import io.jetbus.api.Message;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.Collection;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Short, readable renderings of messages for failure messages: subject and the start of the payload.
 */
final class Payloads
{
    static final int MAX_CHARS = 60;
    static final int MAX_LISTED = 20;

    private Payloads()
    {
    }

    /** {@code orders.created {"id":1}}, the payload cut to {@link #MAX_CHARS}; binary payloads as a byte count. */
    static String describe(final Message message)
    {
        return message.subject() + " " + payload(message.data());
    }

    static String payload(final byte[] data)
    {
        if (data.length == 0)
        {
            return "(empty)";
        }
        final String text;
        try
        {
            text = UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(data))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            return "(" + data.length + " bytes, not UTF-8)";
        }
        final StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < text.length() && out.length() < MAX_CHARS; i++)
        {
            final char c = text.charAt(i);
            if (c == '\n')
            {
                out.append("\\n");
            }
            else if (Character.isISOControl(c))
            {
                out.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        if (i < text.length())
        {
            out.append("... (").append(data.length).append(" bytes)");
        }
        return out.toString();
    }

    /** One numbered line per message, at most {@link #MAX_LISTED}, or {@code "  (none)"}. */
    static String list(final Collection<Message> messages)
    {
        if (messages.isEmpty())
        {
            return "  (none)";
        }
        final StringBuilder out = new StringBuilder();
        int i = 0;
        for (final Message message : messages)
        {
            if (i == MAX_LISTED)
            {
                out.append("\n  ... and ").append(messages.size() - MAX_LISTED).append(" more");
                break;
            }
            if (i > 0)
            {
                out.append('\n');
            }
            out.append("  ").append(++i).append(". ").append(describe(message));
        }
        return out.toString();
    }
}
