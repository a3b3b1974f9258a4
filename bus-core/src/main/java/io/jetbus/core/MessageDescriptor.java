package io.jetbus.core;

/**
 * Layout of a message record in a dispatcher ring. Agrona's record header already carries the record's length and
 * an int type; the type holds the target subscription's key and which optional parts follow, so a plain message
 * (no reply subject, no headers, to a subscription on a literal subject) adds no byte to its payload:
 * <pre>
 *   type      key &lt;&lt; 3 | flags    key: the subscription's key in its dispatcher (1 to {@link #MAX_KEY})
 *   body      [int length, UTF-8 subject]     when {@link #SUBJECT} is set
 *             [int length, UTF-8 reply-to]    when {@link #REPLY_TO} is set
 *             [int length, headers]           when {@link #HEADERS} is set, encoded by {@link HeadersCodec}
 *             data                            the rest of the record
 * </pre>
 * A subscription to a literal subject receives only that subject, so its records leave the subject out and the
 * handler reads it from the subscription. Ints are little-endian, as Agrona writes them.
 */
final class MessageDescriptor
{
    /** The record carries its subject (the subscription has wildcards). */
    static final int SUBJECT = 1;
    /** The record carries a reply subject. */
    static final int REPLY_TO = 2;
    /** The record carries encoded headers. */
    static final int HEADERS = 4;
    static final int FLAG_BITS = 3;
    static final int FLAG_MASK = (1 << FLAG_BITS) - 1;
    /** The largest subscription key: the type must stay a positive int. */
    static final int MAX_KEY = (1 << (Integer.SIZE - 1 - FLAG_BITS)) - 1;
    /** The length prefix of each optional part. */
    static final int PART_LENGTH = Integer.BYTES;

    private MessageDescriptor()
    {
    }

    static int type(final int key, final int flags)
    {
        return key << FLAG_BITS | flags;
    }

    static int key(final int type)
    {
        return type >>> FLAG_BITS;
    }

    static int flags(final int type)
    {
        return type & FLAG_MASK;
    }
}
