package io.jetbus.core;

/**
 * Layout of a message record in a dispatcher ring (after Agrona's own record header), all ints little-endian:
 * <pre>
 *   0  subscription slot   index into the dispatcher's subscription table
 *   4  subscription id     guards against a slot reused after unsubscribe
 *   8  subject length      UTF-8 bytes
 *  12  reply-to length     UTF-8 bytes, or -1 for none
 *  16  headers length      encoded by {@link HeadersCodec}, 0 for none
 *  20  data length
 *  24  subject | reply-to | headers | data
 * </pre>
 */
final class MessageDescriptor
{
    static final int MESSAGE_TYPE_ID = 1;
    static final int SLOT_OFFSET = 0;
    static final int SUBSCRIPTION_ID_OFFSET = 4;
    static final int SUBJECT_LENGTH_OFFSET = 8;
    static final int REPLY_TO_LENGTH_OFFSET = 12;
    static final int HEADERS_LENGTH_OFFSET = 16;
    static final int DATA_LENGTH_OFFSET = 20;
    static final int HEADER_LENGTH = 24;
    static final int NO_REPLY_TO = -1;

    private MessageDescriptor()
    {
    }
}
