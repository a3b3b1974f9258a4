package io.jetbus.core;

import io.jetbus.api.Subjects;
import io.jetbus.api.Subscription;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.jetbus.core.MessageDescriptor.DATA_LENGTH_OFFSET;
import static io.jetbus.core.MessageDescriptor.HEADERS_LENGTH_OFFSET;
import static io.jetbus.core.MessageDescriptor.HEADER_LENGTH;
import static io.jetbus.core.MessageDescriptor.NO_REPLY_TO;
import static io.jetbus.core.MessageDescriptor.REPLY_TO_LENGTH_OFFSET;
import static io.jetbus.core.MessageDescriptor.SLOT_OFFSET;
import static io.jetbus.core.MessageDescriptor.SUBJECT_LENGTH_OFFSET;
import static io.jetbus.core.MessageDescriptor.SUBSCRIPTION_ID_OFFSET;

/**
 * One message being published: its parts, measured once, then written into each target's ring (or copied for a
 * synchronous subscription). Reused per publishing thread; one thread only.
 */
final class Outgoing
{
    private static final ThreadLocal<Outgoing> CACHE = ThreadLocal.withInitial(Outgoing::new);

    String subject;
    private byte[] subjectUtf8;
    private int subjectLength;
    String replyTo;
    private byte[] replyToUtf8;
    private int replyToLength;
    byte[] headers;
    private byte[] dataArray;
    private int dataOffset;
    private ByteBuffer dataBuffer;
    int dataLength;
    private boolean inUse;
    /** The last subject this thread validated (strings are immutable: it stays valid) and its UTF-8, null if ASCII. */
    private String knownSubject;
    private byte[] knownSubjectUtf8;

    /**
     * The calling thread's instance, or a fresh one when it is already in use further up the stack (a reply future
     * completed inline can publish again).
     */
    static Outgoing acquire()
    {
        final Outgoing cached = CACHE.get();
        if (cached.inUse)
        {
            final Outgoing fresh = new Outgoing();
            fresh.inUse = true;
            return fresh;
        }
        cached.inUse = true;
        return cached;
    }

    void release()
    {
        inUse = false;
        subject = null;
        replyTo = null;
        subjectUtf8 = null;
        replyToUtf8 = null;
        headers = null;
        dataArray = null;
        dataBuffer = null;
    }

    /**
     * Validate the subjects of a publish; a publisher that sends to the same subject string again skips the scan.
     *
     * @throws IllegalArgumentException if either is invalid; NullPointerException if the subject is null.
     */
    void checkSubjects(final String subject, final String replyTo)
    {
        if (subject != knownSubject)
        {
            Subjects.validatePublish(subject);
            knownSubjectUtf8 = asciiOrUtf8(subject);
            knownSubject = subject;
        }
        if (replyTo != null)
        {
            Subjects.validatePublish(replyTo);
        }
    }

    Outgoing set(final String subject, final String replyTo, final byte[] headers)
    {
        this.subject = subject;
        subjectUtf8 = subject == knownSubject ? knownSubjectUtf8 : asciiOrUtf8(subject);
        subjectLength = subjectUtf8 == null ? subject.length() : subjectUtf8.length;
        this.replyTo = replyTo;
        if (replyTo == null)
        {
            replyToUtf8 = null;
            replyToLength = NO_REPLY_TO;
        }
        else
        {
            replyToUtf8 = asciiOrUtf8(replyTo);
            replyToLength = replyToUtf8 == null ? replyTo.length() : replyToUtf8.length;
        }
        this.headers = headers;
        return this;
    }

    Outgoing data(final byte[] array)
    {
        dataArray = array == null ? HeadersCodec.EMPTY : array;
        dataOffset = 0;
        dataLength = dataArray.length;
        dataBuffer = null;
        return this;
    }

    Outgoing data(final ByteBuffer buffer)
    {
        dataBuffer = buffer;
        dataArray = null;
        dataOffset = buffer.position();
        dataLength = buffer.remaining();
        return this;
    }

    int encodedLength()
    {
        return HEADER_LENGTH + subjectLength + Math.max(replyToLength, 0) + headers.length + dataLength;
    }

    void writeTo(final MutableDirectBuffer buffer, final int index, final int slot, final int subscriptionId)
    {
        buffer.putInt(index + SLOT_OFFSET, slot);
        buffer.putInt(index + SUBSCRIPTION_ID_OFFSET, subscriptionId);
        buffer.putInt(index + SUBJECT_LENGTH_OFFSET, subjectLength);
        buffer.putInt(index + REPLY_TO_LENGTH_OFFSET, replyToLength);
        buffer.putInt(index + HEADERS_LENGTH_OFFSET, headers.length);
        buffer.putInt(index + DATA_LENGTH_OFFSET, dataLength);
        int offset = index + HEADER_LENGTH;
        offset += putText(buffer, offset, subject, subjectUtf8, subjectLength);
        if (replyToLength > 0)
        {
            offset += putText(buffer, offset, replyTo, replyToUtf8, replyToLength);
        }
        if (headers.length > 0)
        {
            buffer.putBytes(offset, headers);
            offset += headers.length;
        }
        if (dataArray != null)
        {
            buffer.putBytes(offset, dataArray, dataOffset, dataLength);
        }
        else
        {
            buffer.putBytes(offset, dataBuffer, dataOffset, dataLength);
        }
    }

    byte[] copyData()
    {
        final byte[] copy = new byte[dataLength];
        if (dataArray != null)
        {
            System.arraycopy(dataArray, dataOffset, copy, 0, dataLength);
        }
        else
        {
            dataBuffer.get(dataOffset, copy, 0, dataLength);
        }
        return copy;
    }

    ImmutableMessage toMessage(final Subscription subscription)
    {
        return new ImmutableMessage(subject, replyTo, headers.length == 0 ? null : HeadersCodec.decode(headers),
            copyData(), subscription);
    }

    private static int putText(
        final MutableDirectBuffer buffer, final int index, final String text, final byte[] utf8, final int length)
    {
        if (utf8 == null)
        {
            for (int i = 0; i < length; i++)
            {
                buffer.putByte(index + i, (byte)text.charAt(i));
            }
        }
        else
        {
            buffer.putBytes(index, utf8);
        }
        return length;
    }

    /** Null when the text is ASCII (the common case: written char by char, no allocation), else its UTF-8. */
    private static byte[] asciiOrUtf8(final String text)
    {
        for (int i = 0, n = text.length(); i < n; i++)
        {
            if (text.charAt(i) >= 0x80)
            {
                return text.getBytes(StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
