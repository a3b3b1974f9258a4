package io.jetbus.api.jetstream;

import io.jetbus.api.JetbusException;

import java.util.Objects;

/**
 * Stored data failed an integrity check: a record's checksum or embedded sequence did not match, a record could not
 * be parsed, or a storage file is damaged. The damaged data is never returned.
 *
 * <p>The exception names the stream (or other owner of the file), the file, the byte position in it when known, and
 * the affected stream sequences when known. A position or sequence of {@value #UNKNOWN} means unknown.
 */
public class CorruptRecordException extends JetbusException
{
    /**
     * The value of {@link #position()}, {@link #firstSeq()} or {@link #lastSeq()} when it is not known.
     */
    public static final long UNKNOWN = -1;

    private static final long serialVersionUID = 1L;

    private final String stream;
    private final String file;
    private final long position;
    private final long firstSeq;
    private final long lastSeq;

    /**
     * Damage affecting one record.
     *
     * @param stream   the stream, or the owner of the damaged file.
     * @param file     the damaged file.
     * @param position the byte position of the damaged record in the file, or {@value #UNKNOWN}.
     * @param seq      the stream sequence of the damaged record, or {@value #UNKNOWN}.
     * @param reason   what check failed, e.g. {@code "CRC32C mismatch"}.
     * @throws NullPointerException if {@code stream}, {@code file} or {@code reason} is null.
     */
    public CorruptRecordException(
        final String stream, final String file, final long position, final long seq, final String reason)
    {
        this(stream, file, position, seq, seq, reason);
    }

    /**
     * Damage affecting a range of sequences.
     *
     * @param stream   the stream, or the owner of the damaged file.
     * @param file     the damaged file.
     * @param position the byte position of the first damaged byte or record in the file, or {@value #UNKNOWN}.
     * @param firstSeq the first affected stream sequence, or {@value #UNKNOWN}.
     * @param lastSeq  the last affected stream sequence, or {@value #UNKNOWN}.
     * @param reason   what check failed.
     * @throws NullPointerException if {@code stream}, {@code file} or {@code reason} is null.
     */
    public CorruptRecordException(
        final String stream,
        final String file,
        final long position,
        final long firstSeq,
        final long lastSeq,
        final String reason)
    {
        super(describe(stream, file, position, firstSeq, lastSeq, reason));
        this.stream = stream;
        this.file = file;
        this.position = position;
        this.firstSeq = firstSeq;
        this.lastSeq = lastSeq;
    }

    /**
     * The stream (or other owner) whose data is damaged.
     *
     * @return the stream name.
     */
    public String stream()
    {
        return stream;
    }

    /**
     * The damaged file.
     *
     * @return the file path as text.
     */
    public String file()
    {
        return file;
    }

    /**
     * The byte position of the damage in {@link #file()}.
     *
     * @return the position, or {@value #UNKNOWN}.
     */
    public long position()
    {
        return position;
    }

    /**
     * The first affected stream sequence.
     *
     * @return the sequence, or {@value #UNKNOWN}.
     */
    public long firstSeq()
    {
        return firstSeq;
    }

    /**
     * The last affected stream sequence; equal to {@link #firstSeq()} when one record is damaged.
     *
     * @return the sequence, or {@value #UNKNOWN}.
     */
    public long lastSeq()
    {
        return lastSeq;
    }

    private static String describe(
        final String stream,
        final String file,
        final long position,
        final long firstSeq,
        final long lastSeq,
        final String reason)
    {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
        final StringBuilder sb = new StringBuilder("corrupt data in stream ").append(stream)
            .append(", file ").append(file);
        if (position != UNKNOWN)
        {
            sb.append(", position ").append(position);
        }
        if (firstSeq != UNKNOWN)
        {
            if (lastSeq == firstSeq || lastSeq == UNKNOWN)
            {
                sb.append(", seq ").append(firstSeq);
            }
            else
            {
                sb.append(", seqs ").append(firstSeq).append("..").append(lastSeq);
            }
        }
        return sb.append(": ").append(reason).toString();
    }
}
