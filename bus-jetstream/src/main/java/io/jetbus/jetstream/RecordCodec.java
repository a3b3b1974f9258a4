package io.jetbus.jetstream;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The layout of one message record in a file stream (RELIABILITY.md 3.4), little-endian:
 * <pre>
 *  0  u16 magic 0x424A ("JB")      2  u8 version     3  u8 flags (0)
 *  4  u64 stream sequence
 * 12  u64 timestamp, ns since the epoch
 * 20  u16 subject length           22 u32 headers length      26 u32 data length
 * 30  subject (UTF-8) | headers | data
 *  n  u32 CRC32C of bytes 0..n-1
 * </pre>
 * A record is accepted only if its CRC, magic, version, lengths and sequence all check out.
 */
final class RecordCodec
{
    static final int MAGIC = 0x424A;
    static final int VERSION = 1;
    static final int HEADER_LENGTH = 30;
    static final int CRC_LENGTH = 4;
    static final int OVERHEAD = HEADER_LENGTH + CRC_LENGTH;
    static final int MAX_SUBJECT_BYTES = 0xFFFF;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private RecordCodec()
    {
    }

    /**
     * The size a message is accounted at (its encoded record), the same for file and memory stores.
     *
     * @param subjectBytes UTF-8 length of the subject.
     * @param headers      headers length.
     * @param data         data length.
     * @return the stored size in bytes.
     */
    static long storedSize(final int subjectBytes, final int headers, final int data)
    {
        return (long)OVERHEAD + subjectBytes + headers + data;
    }

    /**
     * @param s a string.
     * @return its UTF-8 length, without encoding it.
     */
    static int utf8Length(final String s)
    {
        final int n = s.length();
        int len = n;
        for (int i = 0; i < n; i++)
        {
            final char c = s.charAt(i);
            if (c >= 0x80)
            {
                if (c < 0x800)
                {
                    len += 1;
                }
                else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1)))
                {
                    len += 2;
                    i++;
                }
                else
                {
                    len += 2;
                }
            }
        }
        return len;
    }

    /**
     * Encodes records into a reusable buffer. One thread at a time (the store's append lock).
     */
    static final class Encoder
    {
        private final CRC32C crc = new CRC32C();
        private byte[] buffer = new byte[512];

        /**
         * @return the buffer holding the last encoded record, from offset 0.
         */
        byte[] buffer()
        {
            return buffer;
        }

        /**
         * @return the encoded length.
         */
        int encode(
            final long seq, final long timestampNs, final byte[] subject, final byte[] headers, final byte[] data)
        {
            final int length = OVERHEAD + subject.length + headers.length + data.length;
            if (buffer.length < length)
            {
                buffer = new byte[Math.max(length, buffer.length * 2)];
            }
            final byte[] b = buffer;
            SHORT.set(b, 0, (short)MAGIC);
            b[2] = (byte)VERSION;
            b[3] = 0;
            LONG.set(b, 4, seq);
            LONG.set(b, 12, timestampNs);
            SHORT.set(b, 20, (short)subject.length);
            INT.set(b, 22, headers.length);
            INT.set(b, 26, data.length);
            int pos = HEADER_LENGTH;
            System.arraycopy(subject, 0, b, pos, subject.length);
            pos += subject.length;
            System.arraycopy(headers, 0, b, pos, headers.length);
            pos += headers.length;
            System.arraycopy(data, 0, b, pos, data.length);
            pos += data.length;
            crc.reset();
            crc.update(b, 0, pos);
            INT.set(b, pos, (int)crc.getValue());
            return length;
        }
    }

    /**
     * Checks a record read back from storage.
     *
     * @param b           the bytes, from offset 0.
     * @param length      the record length.
     * @param expectedSeq the sequence the record must hold.
     * @return null if the record is sound, otherwise why not.
     */
    static String check(final byte[] b, final int length, final long expectedSeq)
    {
        if (length < OVERHEAD)
        {
            return "record too short (" + length + " bytes)";
        }
        final CRC32C crc = new CRC32C();
        crc.update(b, 0, length - CRC_LENGTH);
        final int stored = (int)INT.get(b, length - CRC_LENGTH);
        if (stored != (int)crc.getValue())
        {
            return "CRC32C mismatch (stored 0x" + Integer.toHexString(stored) + ", computed 0x" +
                Long.toHexString(crc.getValue()) + ", " + length + " bytes)";
        }
        final int magic = Short.toUnsignedInt((short)SHORT.get(b, 0));
        if (magic != MAGIC || b[2] != VERSION)
        {
            return "not a Jetbus record (magic 0x" + Integer.toHexString(magic) + ", version " + b[2] + ")";
        }
        final long sum = (long)HEADER_LENGTH + subjectLength(b) + headersLength(b) + dataLength(b) + CRC_LENGTH;
        if (headersLength(b) < 0 || dataLength(b) < 0 || sum != length)
        {
            return "record lengths do not add up (subject " + subjectLength(b) + ", headers " + headersLength(b) +
                ", data " + dataLength(b) + ", record " + length + " bytes)";
        }
        final long seq = seq(b);
        if (seq != expectedSeq)
        {
            return "record holds seq " + seq + " where seq " + expectedSeq + " belongs";
        }
        return null;
    }

    static long seq(final byte[] b)
    {
        return (long)LONG.get(b, 4);
    }

    static long timestampNs(final byte[] b)
    {
        return (long)LONG.get(b, 12);
    }

    static int subjectLength(final byte[] b)
    {
        return Short.toUnsignedInt((short)SHORT.get(b, 20));
    }

    static int headersLength(final byte[] b)
    {
        return (int)INT.get(b, 22);
    }

    static int dataLength(final byte[] b)
    {
        return (int)INT.get(b, 26);
    }

    static String subject(final byte[] b)
    {
        return new String(b, HEADER_LENGTH, subjectLength(b), StandardCharsets.UTF_8);
    }

    static byte[] headers(final byte[] b)
    {
        final byte[] h = new byte[headersLength(b)];
        System.arraycopy(b, HEADER_LENGTH + subjectLength(b), h, 0, h.length);
        return h;
    }

    static byte[] data(final byte[] b)
    {
        final byte[] d = new byte[dataLength(b)];
        System.arraycopy(b, HEADER_LENGTH + subjectLength(b) + headersLength(b), d, 0, d.length);
        return d;
    }

    /**
     * @return the checked record as a message.
     */
    static StoredMessage toMessage(final byte[] b)
    {
        return new StoredMessage(seq(b), timestampNs(b), subject(b), headers(b), data(b));
    }
}
