package io.jetbus.api.jetstream;

import io.jetbus.api.Subjects;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Argument checks shared by the configuration records. Each builds its message only on the failing branch.
 *
 * <p>{@link #checkPattern(String)} is a stand-in for {@code io.jetbus.api.Subjects.validatePattern(String)}, which
 * is being added to {@code bus-api} separately; once it is there this method should delegate to it.
 */
final class Checks
{
    /** The longest stream or consumer name, as in NATS ({@code JSMaxNameLen}). */
    static final int MAX_NAME_LENGTH = 255;

    private static final String NAME_RULE =
        "a name may not contain '.', '*', '>', '/', '\\', whitespace or control characters";

    private Checks()
    {
    }

    /**
     * Check a stream or consumer name: not empty, at most {@link #MAX_NAME_LENGTH} characters, and none of
     * {@code . * > / \}, whitespace or control characters (NATS rejects the first three and path separators; names
     * also become file names).
     */
    static String checkName(final String what, final String name)
    {
        Objects.requireNonNull(name, what);
        if (name.isEmpty())
        {
            throw new IllegalArgumentException("invalid " + what + " \"\": must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException("invalid " + what + " \"" + name + "\": " + name.length() +
                " characters, more than the maximum " + MAX_NAME_LENGTH);
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c == '.' || c == '*' || c == '>' || c == '/' || c == '\\' || Character.isWhitespace(c) ||
                Character.isISOControl(c))
            {
                throw new IllegalArgumentException("invalid " + what + " \"" + name + "\": " + describe(c) +
                    " at index " + i + " (" + NAME_RULE + ")");
            }
        }
        return name;
    }

    /**
     * Check a subscription pattern with the bus's one set of subject rules.
     */
    static String checkPattern(final String pattern)
    {
        Subjects.validatePattern(pattern);
        return pattern;
    }

    /**
     * Check a list of patterns: each valid, none repeated, no two overlapping (some subject matches both).
     */
    static List<String> checkPatterns(final String what, final List<String> patterns, final boolean allowOverlap)
    {
        Objects.requireNonNull(patterns, what);
        final List<String> copy = List.copyOf(patterns);
        final Set<String> seen = new HashSet<>();
        final List<String> checked = new ArrayList<>(copy.size());
        for (final String pattern : copy)
        {
            checkPattern(pattern);
            if (!seen.add(pattern))
            {
                throw new IllegalArgumentException("invalid " + what + " " + copy + ": \"" + pattern +
                    "\" appears more than once");
            }
            if (!allowOverlap)
            {
                for (final String other : checked)
                {
                    if (overlap(other, pattern))
                    {
                        throw new IllegalArgumentException("invalid " + what + " " + copy + ": \"" + other +
                            "\" and \"" + pattern + "\" overlap");
                    }
                }
            }
            checked.add(pattern);
        }
        return copy;
    }

    /**
     * Whether some subject matches both valid patterns.
     */
    static boolean overlap(final String a, final String b)
    {
        final String[] ta = a.split("\\.", -1);
        final String[] tb = b.split("\\.", -1);
        final int common = Math.min(ta.length, tb.length);
        for (int i = 0; i < common; i++)
        {
            if (ta[i].equals(">") || tb[i].equals(">"))
            {
                return true;
            }
            if (!ta[i].equals("*") && !tb[i].equals("*") && !ta[i].equals(tb[i]))
            {
                return false;
            }
        }
        return ta.length == tb.length;
    }

    /** Check a limit that is {@code -1} for unlimited or positive. */
    static long checkLimit(final String field, final long value)
    {
        if (value != -1 && value <= 0)
        {
            throw new IllegalArgumentException("invalid " + field + " " + value +
                ": must be -1 (unlimited) or positive");
        }
        return value;
    }

    /** Check a duration that is zero or positive. */
    static Duration checkNotNegative(final String field, final Duration value)
    {
        Objects.requireNonNull(value, field);
        if (value.isNegative())
        {
            throw new IllegalArgumentException("invalid " + field + " " + value + ": must not be negative");
        }
        return value;
    }

    /** Check a duration that is positive. */
    static Duration checkPositive(final String field, final Duration value)
    {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero())
        {
            throw new IllegalArgumentException("invalid " + field + " " + value + ": must be positive");
        }
        return value;
    }

    /** Check an optional text: {@code null} for absent, otherwise not empty. */
    static String checkOptionalText(final String field, final String value)
    {
        if (value != null && value.isEmpty())
        {
            throw new IllegalArgumentException("invalid " + field + " \"\": must be null (absent) or not empty");
        }
        return value;
    }

    private static String describe(final char c)
    {
        if (Character.isWhitespace(c))
        {
            return String.format("whitespace U+%04X", (int)c);
        }
        if (Character.isISOControl(c))
        {
            return String.format("control character U+%04X", (int)c);
        }
        return "'" + c + "'";
    }
}
