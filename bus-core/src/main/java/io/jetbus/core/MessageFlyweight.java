package io.jetbus.core;

import io.jetbus.api.Headers;
import io.jetbus.api.Message;
import io.jetbus.api.Subscription;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;

import static io.jetbus.core.MessageDescriptor.HEADERS;
import static io.jetbus.core.MessageDescriptor.PART_LENGTH;
import static io.jetbus.core.MessageDescriptor.REPLY_TO;
import static io.jetbus.core.MessageDescriptor.SUBJECT;

/**
 * A view over one message record in a dispatcher's ring, handed to handlers. Strings and headers are decoded only
 * when asked, and the payload is copied only by {@link #data()}. Valid until the handler returns; dispatcher thread
 * only.
 *
 * <p>The dispatcher thread rewrites it for every message, so it is padded on both sides ({@link LinePadding}, and
 * {@link Padded}, the class to instantiate): a publisher reading an object the collector happened to place beside it
 * would otherwise lose that cache line on every message.
 */
class MessageFlyweight extends LinePadding implements Message
{
    private DirectBuffer buffer;
    private ByteBuffer readOnlyView;
    private BusSubscription subscription;
    private int subjectOffset;
    private int subjectLength;
    private int replyToOffset;
    private int replyToLength;
    private int headersOffset;
    private int headersLength;
    private int dataOffset;
    private int dataLength;
    private String subject;
    private String replyTo;
    private Headers headers;

    /** The read-only view of the ring about to be read, for {@link #dataBuffer()}. */
    void view(final ByteBuffer readOnlyView)
    {
        this.readOnlyView = readOnlyView;
    }

    /**
     * Point at a record's body laid out as {@code flags} say ({@link MessageDescriptor}).
     *
     * @return the payload length.
     */
    int wrap(
        final DirectBuffer buffer, final int index, final int length, final int flags,
        final BusSubscription subscription)
    {
        this.buffer = buffer;
        this.subscription = subscription;
        subject = null;
        replyTo = null;
        headers = null;
        int offset = index;
        if ((flags & SUBJECT) != 0)
        {
            subjectLength = buffer.getInt(offset);
            subjectOffset = offset + PART_LENGTH;
            offset = subjectOffset + subjectLength;
        }
        else
        {
            subject = subscription.subject(); // a literal subscription receives its own subject only
        }
        replyToLength = -1;
        if ((flags & REPLY_TO) != 0)
        {
            replyToLength = buffer.getInt(offset);
            replyToOffset = offset + PART_LENGTH;
            offset = replyToOffset + replyToLength;
        }
        headersLength = 0;
        if ((flags & HEADERS) != 0)
        {
            headersLength = buffer.getInt(offset);
            headersOffset = offset + PART_LENGTH;
            offset = headersOffset + headersLength;
        }
        dataOffset = offset;
        dataLength = index + length - offset;
        return dataLength;
    }

    void clear()
    {
        buffer = null;
        subscription = null;
        subject = null;
        replyTo = null;
        headers = null;
    }

    @Override
    public String subject()
    {
        if (subject == null)
        {
            subject = buffer.getStringWithoutLengthUtf8(subjectOffset, subjectLength);
        }
        return subject;
    }

    @Override
    public String replyTo()
    {
        if (replyTo == null && replyToLength >= 0)
        {
            replyTo = buffer.getStringWithoutLengthUtf8(replyToOffset, replyToLength);
        }
        return replyTo;
    }

    @Override
    public boolean hasHeaders()
    {
        return headersLength > 0;
    }

    @Override
    public Headers headers()
    {
        if (headers == null)
        {
            headers = HeadersCodec.decode(buffer, headersOffset, headersLength);
        }
        return headers;
    }

    @Override
    public int dataLength()
    {
        return dataLength;
    }

    @Override
    public byte[] data()
    {
        final byte[] copy = new byte[dataLength];
        buffer.getBytes(dataOffset, copy);
        return copy;
    }

    @Override
    public ByteBuffer dataBuffer()
    {
        readOnlyView.clear();
        readOnlyView.position(dataOffset).limit(dataOffset + dataLength);
        return readOnlyView;
    }

    @Override
    public Subscription subscription()
    {
        return subscription;
    }

    @Override
    public Message copy()
    {
        return new ImmutableMessage(subject(), replyTo(), hasHeaders() ? headers() : null, data(), subscription);
    }

    @Override
    public String toString()
    {
        return "Message{subject=" + subject() + ", dataLength=" + dataLength + " (flyweight)}";
    }

    /** The flyweight with padding after its fields. */
    static final class Padded extends MessageFlyweight
    {
        @SuppressWarnings("unused")
        private long q0;
        @SuppressWarnings("unused")
        private long q1;
        @SuppressWarnings("unused")
        private long q2;
        @SuppressWarnings("unused")
        private long q3;
        @SuppressWarnings("unused")
        private long q4;
        @SuppressWarnings("unused")
        private long q5;
        @SuppressWarnings("unused")
        private long q6;
    }
}
