package io.jetbus.jetstream;

import io.jetbus.api.Headers;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The stored form of a message's {@link Headers} (what {@link StreamStore#append} keeps and
 * {@link StoredMessage#headers()} returns): an int pair count, then per name-value pair an int name length, the
 * name (US-ASCII), an int value length and the value (UTF-8); little-endian ints. The same layout as the core bus's
 * ring records. Consumers decode stored headers with {@link #decode(byte[])}.
 */
final class StoredHeaders
{
    static final byte[] EMPTY = new byte[0];

    private StoredHeaders()
    {
    }

    /**
     * @param headers the headers, or null.
     * @return their stored form; {@link #EMPTY} when there are none.
     */
    static byte[] encode(final Headers headers)
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

    /**
     * @param bytes stored headers, possibly empty.
     * @return read-only headers; {@link Headers#empty()} when there are none.
     * @throws IllegalArgumentException if the bytes are not stored headers.
     */
    static Headers decode(final byte[] bytes)
    {
        if (bytes == null || bytes.length == 0)
        {
            return Headers.empty();
        }
        final ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final Headers headers = new Headers();
        try
        {
            final int count = buf.getInt();
            for (int i = 0; i < count; i++)
            {
                final String name = string(buf, StandardCharsets.US_ASCII);
                headers.add(name, string(buf, StandardCharsets.UTF_8));
            }
        }
        catch (final RuntimeException e)
        {
            throw new IllegalArgumentException("invalid stored headers of " + bytes.length + " bytes: " + e, e);
        }
        return headers.readOnlyCopy();
    }

    /**
     * The first value of one header, without decoding the others into a {@link Headers}.
     *
     * @param bytes stored headers, possibly empty.
     * @param name  the header name.
     * @return its first value, or null when absent.
     */
    static String first(final byte[] bytes, final String name)
    {
        if (bytes == null || bytes.length == 0)
        {
            return null;
        }
        return decode(bytes).first(name);
    }

    private static String string(final ByteBuffer buf, final java.nio.charset.Charset charset)
    {
        final int length = buf.getInt();
        if (length < 0 || length > buf.remaining())
        {
            throw new IllegalArgumentException("length " + length + " at position " + (buf.position() - 4));
        }
        final String s = new String(buf.array(), buf.position(), length, charset);
        buf.position(buf.position() + length);
        return s;
    }

    private static void writeInt(final ByteArrayOutputStream out, final int value)
    {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }
}
