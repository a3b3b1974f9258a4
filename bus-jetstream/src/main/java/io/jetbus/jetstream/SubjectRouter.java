package io.jetbus.jetstream;

import io.jetbus.api.Subjects;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which stream captures a subject. Safe for concurrent use: lookups read an immutable snapshot of the streams and a
 * cache of answers (misses included) that a change of streams replaces, so a hit is one hash lookup and allocates
 * nothing. The cache is bounded: when full it is dropped and refilled.
 */
final class SubjectRouter
{
    static final int MAX_CACHED = 16_384;

    private static final Object NONE = new Object();

    private volatile Snapshot snapshot = new Snapshot(new Stream[0]);
    /** The last answer of {@link #findValidating}, for publishers repeating one subject; racy but immutable. */
    private Hit last;

    private record Hit(Snapshot snapshot, String subject, Stream stream)
    {
    }

    private static final class Snapshot
    {
        final Stream[] streams;
        final ConcurrentHashMap<String, Object> cache = new ConcurrentHashMap<>();

        Snapshot(final Stream[] streams)
        {
            this.streams = streams;
        }
    }

    /**
     * Replace the streams (after an add, update or delete).
     *
     * @param streams every stream, with its current subjects.
     */
    void update(final List<Stream> streams)
    {
        snapshot = new Snapshot(streams.toArray(new Stream[0]));
    }

    /**
     * @param subject a valid publish subject.
     * @return whether some stream captures it.
     */
    boolean captures(final String subject)
    {
        return find(subject) != null;
    }

    /**
     * Like {@link #find}, for a subject not validated yet: a cached answer proves the subject valid (only valid
     * subjects are cached), so a repeated subject is not checked again.
     *
     * @param subject a publish subject.
     * @return the stream that captures it, or null.
     * @throws IllegalArgumentException if it is not a valid publish subject.
     */
    Stream findValidating(final String subject)
    {
        final Snapshot s = snapshot;
        final Hit h = last;
        if (h != null && h.subject == subject && h.snapshot == s)
        {
            return h.stream;
        }
        final Object hit = subject == null ? null : s.cache.get(subject);
        final Stream found;
        if (hit != null)
        {
            found = hit == NONE ? null : (Stream)hit;
        }
        else
        {
            Subjects.validatePublish(subject);
            found = find(subject);
        }
        last = new Hit(s, subject, found);
        return found;
    }

    /**
     * @param subject a valid publish subject.
     * @return the stream that captures it, or null.
     */
    Stream find(final String subject)
    {
        final Snapshot s = snapshot;
        if (s.streams.length == 0)
        {
            return null;
        }
        final Object hit = s.cache.get(subject);
        if (hit != null)
        {
            return hit == NONE ? null : (Stream)hit;
        }
        Stream found = null;
        for (final Stream stream : s.streams)
        {
            if (captures(stream.config().subjects(), subject))
            {
                found = stream;
                break;
            }
        }
        if (s.cache.size() >= MAX_CACHED)
        {
            s.cache.clear();
        }
        s.cache.put(subject, found == null ? NONE : found);
        return found;
    }

    private static boolean captures(final List<String> patterns, final String subject)
    {
        for (int i = 0, n = patterns.size(); i < n; i++)
        {
            if (Subjects.matches(patterns.get(i), subject))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether some subject matches both valid patterns.
     *
     * @param a a pattern.
     * @param b another pattern.
     * @return true when they overlap.
     */
    static boolean overlap(final String a, final String b)
    {
        final String[] ta = a.split("\\.", -1);
        final String[] tb = b.split("\\.", -1);
        final int common = Math.min(ta.length, tb.length);
        for (int i = 0; i < common; i++)
        {
            if (">".equals(ta[i]) || ">".equals(tb[i]))
            {
                return true;
            }
            if (!"*".equals(ta[i]) && !"*".equals(tb[i]) && !ta[i].equals(tb[i]))
            {
                return false;
            }
        }
        return ta.length == tb.length;
    }
}
