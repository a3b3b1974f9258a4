package io.jetbus.core;

import io.jetbus.api.Headers;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Binary form of {@link Headers}: an int pair count, then per name-value pair an int name length, the name bytes,
 * an int value length and the value bytes (UTF-8, little-endian ints). Compact, and decoded only when a handler
 * asks for the headers. Public for the JetStream engine, which stores headers in the same form.
 */
public final class HeadersCodec
{
    /** The encoding of no headers. */
    public static final byte[] EMPTY = new byte[0];

    private HeadersCodec()
    {
    }

    /**
     * @param headers the headers, or null.
     * @return their binary form; {@link #EMPTY} when there are none.
     */
    public static byte[] encode(final Headers headers)
    {
        if (headers == null || headers.isEmpty())
        {
            return EMPTY;
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        final int[] count = new int[1];
        headers.forEach((name, value) -> count[0]++);
        writeInt(out, count[0]);
        headers.forEach((name, value) ->
        {
            final byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            final byte[] v = value.getBytes(StandardCharsets.UTF_8);
            writeInt(out, n.length);
            out.write(n, 0, n.length);
            writeInt(out, v.length);
            out.write(v, 0, v.length);
        });
        return out.toByteArray();
    }

    static Headers decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length == 0)
        {
            return Headers.empty();
        }
        final Headers headers = new Headers();
        int index = offset;
        final int count = buffer.getInt(index, LITTLE_ENDIAN);
        index += Integer.BYTES;
        for (int i = 0; i < count; i++)
        {
            final int nameLength = buffer.getInt(index, LITTLE_ENDIAN);
            index += Integer.BYTES;
            final String name = buffer.getStringWithoutLengthAscii(index, nameLength);
            index += nameLength;
            final int valueLength = buffer.getInt(index, LITTLE_ENDIAN);
            index += Integer.BYTES;
            final String value = buffer.getStringWithoutLengthUtf8(index, valueLength);
            index += valueLength;
            headers.add(name, value);
        }
        return headers.readOnlyCopy();
    }

    static Headers decode(final byte[] bytes)
    {
        return decode(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static void writeInt(final ByteArrayOutputStream out, final int value)
    {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }
}
