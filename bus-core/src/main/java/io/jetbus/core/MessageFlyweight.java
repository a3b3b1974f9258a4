package io.jetbus.core;

import io.jetbus.api.Headers;
import io.jetbus.api.Message;
import io.jetbus.api.Subscription;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;

import static io.jetbus.core.MessageDescriptor.DATA_LENGTH_OFFSET;
import static io.jetbus.core.MessageDescriptor.HEADERS_LENGTH_OFFSET;
import static io.jetbus.core.MessageDescriptor.HEADER_LENGTH;
import static io.jetbus.core.MessageDescriptor.REPLY_TO_LENGTH_OFFSET;
import static io.jetbus.core.MessageDescriptor.SUBJECT_LENGTH_OFFSET;

/**
 * A view over one message record in a dispatcher's ring, handed to handlers. Strings and headers are decoded only
 * when asked, and the payload is copied only by {@link #data()}. Valid until the handler returns; dispatcher thread
 * only.
 */
final class MessageFlyweight implements Message
{
    private DirectBuffer buffer;
    private ByteBuffer readOnlyView;
    private int index;
    private BusSubscription subscription;
    private String subject;
    private String replyTo;
    private boolean replyToDecoded;
    private Headers headers;

    /** The read-only view of the ring about to be read, for {@link #dataBuffer()}. */
    void view(final ByteBuffer readOnlyView)
    {
        this.readOnlyView = readOnlyView;
    }

    void wrap(final DirectBuffer buffer, final int index, final BusSubscription subscription)
    {
        this.buffer = buffer;
        this.index = index;
        this.subscription = subscription;
        subject = subscription.isLiteral() ? subscription.subject() : null;
        replyTo = null;
        replyToDecoded = false;
        headers = null;
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
            subject = buffer.getStringWithoutLengthUtf8(index + HEADER_LENGTH, subjectLength());
        }
        return subject;
    }

    @Override
    public String replyTo()
    {
        if (!replyToDecoded)
        {
            final int length = replyToLength();
            replyTo = length < 0 ? null : buffer.getStringWithoutLengthUtf8(index + HEADER_LENGTH + subjectLength(),
                length);
            replyToDecoded = true;
        }
        return replyTo;
    }

    @Override
    public boolean hasHeaders()
    {
        return headersLength() > 0;
    }

    @Override
    public Headers headers()
    {
        if (headers == null)
        {
            headers = HeadersCodec.decode(buffer, headersOffset(), headersLength());
        }
        return headers;
    }

    @Override
    public int dataLength()
    {
        return buffer.getInt(index + DATA_LENGTH_OFFSET);
    }

    @Override
    public byte[] data()
    {
        final byte[] copy = new byte[dataLength()];
        buffer.getBytes(dataOffset(), copy);
        return copy;
    }

    @Override
    public ByteBuffer dataBuffer()
    {
        final int offset = dataOffset();
        readOnlyView.clear();
        readOnlyView.position(offset).limit(offset + dataLength());
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
        return "Message{subject=" + subject() + ", dataLength=" + dataLength() + " (flyweight)}";
    }

    private int subjectLength()
    {
        return buffer.getInt(index + SUBJECT_LENGTH_OFFSET);
    }

    private int replyToLength()
    {
        return buffer.getInt(index + REPLY_TO_LENGTH_OFFSET);
    }

    private int headersLength()
    {
        return buffer.getInt(index + HEADERS_LENGTH_OFFSET);
    }

    private int headersOffset()
    {
        return index + HEADER_LENGTH + subjectLength() + Math.max(replyToLength(), 0);
    }

    private int dataOffset()
    {
        return headersOffset() + headersLength();
    }
}
