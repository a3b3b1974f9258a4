package io.jetbus.jetstream;

import io.jetbus.api.Headers;
import io.jetbus.core.HeadersCodec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The stored form of a message's {@link Headers} (what {@link StreamStore#append} keeps and
 * {@link StoredMessage#headers()} returns): an int pair count, then per name-value pair an int name length, the
 * name (US-ASCII), an int value length and the value (UTF-8); little-endian ints: the core bus's {@link HeadersCodec}
 * form, which encodes them. Stored bytes come from disk, so {@link #decode(byte[])} checks them as it reads.
 */
final class StoredHeaders
{
    static final byte[] EMPTY = HeadersCodec.EMPTY;

    private StoredHeaders()
    {
    }

    /**
     * @param headers the headers, or null.
     * @return their stored form; {@link #EMPTY} when there are none.
     */
    static byte[] encode(final Headers headers)
    {
        return HeadersCodec.encode(headers);
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
}
