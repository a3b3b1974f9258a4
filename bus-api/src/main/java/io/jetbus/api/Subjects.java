package io.jetbus.api;

import java.util.Objects;

/**
 * Rules for subjects, subscription patterns and queue names, with NATS semantics.
 *
 * <p>A subject is one or more tokens separated by {@code .}, such as {@code orders.eu.created}. The rules:
 * <ul>
 *     <li>no empty token: no leading {@code .}, no trailing {@code .}, no {@code ..};</li>
 *     <li>no whitespace or control character anywhere: every char at or below {@code U+0020} (space, tab, CR, LF,
 *     ...) and {@code U+007F} (DEL) is rejected; any other char, including non-ASCII letters, is allowed;</li>
 *     <li>in a subscription pattern, the token {@code *} matches exactly one token and the token {@code >} matches
 *     one or more tokens at the tail, so {@code >} may only be the last token;</li>
 *     <li>{@code *} and {@code >} are wildcards only as a whole token; inside a longer token ({@code a*},
 *     {@code >x}) they are rejected rather than read as literals, unlike nats-server;</li>
 *     <li>a publish subject is literal: it has no wildcard token at all.</li>
 * </ul>
 *
 * <p>Validation scans the chars once and allocates nothing unless it fails; the exception message names the value
 * and the rule it broke, such as {@code invalid subject "a..b": empty token at position 2} (positions count tokens
 * from 1, indexes count chars from 0). Control characters are shown escaped in messages ({@code \t},
 * <code>&#92;u0001</code>). All methods are static and safe for concurrent use.
 */
public final class Subjects
{
    private static final long VALID = -1L;

    private static final int EMPTY = 1;
    private static final int EMPTY_TOKEN = 2;
    private static final int WHITESPACE = 3;
    private static final int CONTROL = 4;
    private static final int PARTIAL_WILDCARD = 5;
    private static final int FWC_NOT_LAST = 6;
    private static final int WILDCARD_IN_PUBLISH = 7;

    private Subjects()
    {
    }

    /**
     * Check that a subject is a valid literal subject to publish to: no wildcards.
     *
     * @param subject the subject to check.
     * @throws NullPointerException     if the subject is null.
     * @throws IllegalArgumentException if the subject breaks a rule; the message names the subject and the rule.
     */
    public static void validatePublish(final String subject)
    {
        Objects.requireNonNull(subject, "subject");
        final long result = check(subject, true);
        if (result != VALID)
        {
            throw new IllegalArgumentException(message("subject", subject, result));
        }
    }

    /**
     * Check that a subscription pattern is valid: a subject whose tokens may be the wildcards {@code *} and, as the
     * last token, {@code >}.
     *
     * @param pattern the pattern to check.
     * @throws NullPointerException     if the pattern is null (the message says {@code subject}, the name the
     *                                  public API gives it).
     * @throws IllegalArgumentException if the pattern breaks a rule; the message names the pattern and the rule.
     */
    public static void validatePattern(final String pattern)
    {
        Objects.requireNonNull(pattern, "subject");
        final long result = check(pattern, false);
        if (result != VALID)
        {
            throw new IllegalArgumentException(message("subject", pattern, result));
        }
    }

    /**
     * Whether a string is a valid literal subject to publish to.
     *
     * @param subject the string to check, may be null.
     * @return {@code true} if {@link #validatePublish(String)} would accept it.
     */
    public static boolean isValidPublish(final String subject)
    {
        return subject != null && check(subject, true) == VALID;
    }

    /**
     * Whether a string is a valid subscription pattern.
     *
     * @param pattern the string to check, may be null.
     * @return {@code true} if {@link #validatePattern(String)} would accept it.
     */
    public static boolean isValidPattern(final String pattern)
    {
        return pattern != null && check(pattern, false) == VALID;
    }

    /**
     * Check that a queue group name is valid: not empty, no whitespace or control character (the same char rule as
     * subjects). Dots and the chars {@code *} and {@code >} carry no meaning in a queue name and are allowed.
     *
     * @param queueName the queue group name to check.
     * @throws NullPointerException     if the queue name is null.
     * @throws IllegalArgumentException if the queue name is empty or has whitespace or a control character.
     */
    public static void validateQueueName(final String queueName)
    {
        Objects.requireNonNull(queueName, "queueName");
        final int length = queueName.length();
        if (length == 0)
        {
            throw new IllegalArgumentException(message("queue name", queueName, EMPTY));
        }
        for (int i = 0; i < length; i++)
        {
            if (isSpaceOrControl(queueName.charAt(i)))
            {
                throw new IllegalArgumentException(
                    message("queue name", queueName, encode(charError(queueName.charAt(i)), i)));
            }
        }
    }

    /**
     * Whether a subscription pattern matches a literal subject: each literal token equal, each {@code *} against
     * exactly one token, and a final {@code >} against one or more remaining tokens. So {@code a.>} matches
     * {@code a.b} and {@code a.b.c} but not {@code a}, and {@code *} matches {@code a} but not {@code a.b}.
     *
     * @param pattern a valid subscription pattern.
     * @param subject a valid literal subject.
     * @return {@code true} if the pattern matches the subject.
     * @throws NullPointerException     if either argument is null.
     * @throws IllegalArgumentException if the pattern or the subject is invalid, as by {@link #validatePattern} and
     *                                  {@link #validatePublish}.
     */
    public static boolean matches(final String pattern, final String subject)
    {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(subject, "subject");
        validatePattern(pattern);
        validatePublish(subject);

        final int patternLength = pattern.length();
        final int subjectLength = subject.length();
        int p = 0;
        int s = 0;
        // p and s are token starts; an index past the length means every token has been consumed.
        while (p <= patternLength && s <= subjectLength)
        {
            int patternEnd = pattern.indexOf('.', p);
            patternEnd = patternEnd < 0 ? patternLength : patternEnd;
            final int tokenLength = patternEnd - p;
            if (tokenLength == 1 && pattern.charAt(p) == '>')
            {
                return true;
            }
            int subjectEnd = subject.indexOf('.', s);
            subjectEnd = subjectEnd < 0 ? subjectLength : subjectEnd;
            final boolean anyToken = tokenLength == 1 && pattern.charAt(p) == '*';
            if (!anyToken && (tokenLength != subjectEnd - s || !pattern.regionMatches(p, subject, s, tokenLength)))
            {
                return false;
            }
            p = patternEnd + 1;
            s = subjectEnd + 1;
        }
        return p > patternLength && s > subjectLength;
    }

    /**
     * Scan once, left to right; the first char at which the text can no longer be valid decides the error.
     *
     * @return {@link #VALID}, or the error code and the char index where it was found, see {@link #encode}.
     */
    private static long check(final String text, final boolean publish)
    {
        final int length = text.length();
        if (length == 0)
        {
            return encode(EMPTY, 0);
        }
        int tokenStart = 0;
        char wildcard = 0;
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (isSpaceOrControl(c))
            {
                return encode(charError(c), i);
            }
            if (c == '.')
            {
                if (i == tokenStart)
                {
                    return encode(EMPTY_TOKEN, i);
                }
                if (wildcard != 0 && publish)
                {
                    return encode(WILDCARD_IN_PUBLISH, i);
                }
                if (wildcard == '>')
                {
                    return encode(FWC_NOT_LAST, i);
                }
                tokenStart = i + 1;
                wildcard = 0;
            }
            else if (c == '*' || c == '>')
            {
                if (i != tokenStart)
                {
                    return encode(PARTIAL_WILDCARD, i);
                }
                wildcard = c;
            }
            else if (wildcard != 0)
            {
                return encode(PARTIAL_WILDCARD, tokenStart);
            }
        }
        if (tokenStart == length)
        {
            return encode(EMPTY_TOKEN, length);
        }
        if (wildcard != 0 && publish)
        {
            return encode(WILDCARD_IN_PUBLISH, length);
        }
        return VALID;
    }

    private static boolean isSpaceOrControl(final char c)
    {
        return c <= ' ' || c == 0x7f;
    }

    private static int charError(final char c)
    {
        return c == ' ' || (c >= '\t' && c <= '\r') ? WHITESPACE : CONTROL;
    }

    private static long encode(final int code, final int index)
    {
        return ((long)index << 8) | code;
    }

    private static String message(final String what, final String text, final long result)
    {
        final int code = (int)(result & 0xff);
        final int index = (int)(result >>> 8);
        final StringBuilder sb = new StringBuilder(text.length() + 64).append("invalid ").append(what).append(" \"");
        appendEscaped(sb, text);
        sb.append("\": ");
        switch (code)
        {
            case EMPTY:
                sb.append("empty");
                break;
            case EMPTY_TOKEN:
                sb.append("empty token at position ").append(tokenPosition(text, index));
                break;
            case WHITESPACE:
                sb.append("whitespace at index ").append(index);
                break;
            case CONTROL:
                sb.append("control character at index ").append(index);
                break;
            case PARTIAL_WILDCARD:
                sb.append('\'').append(text.charAt(index)).append("' must be a whole token");
                break;
            case FWC_NOT_LAST:
                sb.append("'>' must be the last token");
                break;
            default:
                sb.append("wildcards are not allowed in a publish subject");
                break;
        }
        return sb.toString();
    }

    private static int tokenPosition(final String text, final int index)
    {
        int position = 1;
        for (int i = 0; i < index; i++)
        {
            if (text.charAt(i) == '.')
            {
                position++;
            }
        }
        return position;
    }

    private static void appendEscaped(final StringBuilder sb, final String text)
    {
        for (int i = 0, length = text.length(); i < length; i++)
        {
            final char c = text.charAt(i);
            if (c == ' ' || !isSpaceOrControl(c))
            {
                sb.append(c);
            }
            else if (c == '\t')
            {
                sb.append("\\t");
            }
            else if (c == '\n')
            {
                sb.append("\\n");
            }
            else if (c == '\r')
            {
                sb.append("\\r");
            }
            else
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
        }
    }
}
