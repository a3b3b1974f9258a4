package io.jetbus.core;

import io.jetbus.api.Subjects;
import io.jetbus.api.Subscription;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.jetbus.core.MessageDescriptor.HEADERS;
import static io.jetbus.core.MessageDescriptor.PART_LENGTH;
import static io.jetbus.core.MessageDescriptor.REPLY_TO;
import static io.jetbus.core.MessageDescriptor.SUBJECT;

/**
 * One message being published: its parts, measured once, then written into each target's ring (or copied for a
 * synchronous subscription). Reused per publishing thread; one thread only.
 */
class Outgoing extends LinePadding
{
    /** Padded ({@link LinePadding}): the publishing thread rewrites its instance on every publish. */
    private static final ThreadLocal<Outgoing> CACHE = ThreadLocal.withInitial(Padded::new);
    private static final int NO_REPLY_TO = -1;

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

    /** The {@link MessageDescriptor} flags of the optional parts this message has, the subject aside. */
    int partFlags()
    {
        return (replyToLength == NO_REPLY_TO ? 0 : REPLY_TO) | (headers.length == 0 ? 0 : HEADERS);
    }

    /** The body length of this message's record with the given {@link MessageDescriptor} flags. */
    int encodedLength(final int flags)
    {
        int length = dataLength;
        if ((flags & SUBJECT) != 0)
        {
            length += PART_LENGTH + subjectLength;
        }
        if ((flags & REPLY_TO) != 0)
        {
            length += PART_LENGTH + replyToLength;
        }
        if ((flags & HEADERS) != 0)
        {
            length += PART_LENGTH + headers.length;
        }
        return length;
    }

    /** The longest record this message can take: with its subject. */
    int maxEncodedLength()
    {
        return encodedLength(SUBJECT | partFlags());
    }

    /** Write the record body laid out by {@code flags} at {@code index}, which has room for it. */
    void writeTo(final MutableDirectBuffer buffer, final int index, final int flags)
    {
        int offset = index;
        if ((flags & SUBJECT) != 0)
        {
            offset = putText(buffer, offset, subject, subjectUtf8, subjectLength);
        }
        if ((flags & REPLY_TO) != 0)
        {
            offset = putText(buffer, offset, replyTo, replyToUtf8, replyToLength);
        }
        if ((flags & HEADERS) != 0)
        {
            buffer.putInt(offset, headers.length);
            buffer.putBytes(offset + PART_LENGTH, headers);
            offset += PART_LENGTH + headers.length;
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

    /** Write a length-prefixed text part; returns the index after it. */
    private static int putText(
        final MutableDirectBuffer buffer, final int index, final String text, final byte[] utf8, final int length)
    {
        buffer.putInt(index, length);
        if (utf8 == null)
        {
            buffer.putStringWithoutLengthAscii(index + PART_LENGTH, text);
        }
        else
        {
            buffer.putBytes(index + PART_LENGTH, utf8);
        }
        return index + PART_LENGTH + length;
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

    /** The thread's instance, with padding after its fields. */
    static final class Padded extends Outgoing
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
