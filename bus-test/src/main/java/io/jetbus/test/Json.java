package io.jetbus.test;

import java.util.Objects;

/**
 * A well-formedness check for the JSON the kit publishes (RFC 8259 syntax, no values built), so that a typo in a
 * test's payload fails where it is written instead of in the handler under test.
 */
final class Json
{
    private static final int MAX_DEPTH = 512;

    private final String text;
    private int pos;
    private int depth;

    private Json(final String text)
    {
        this.text = text;
    }

    /** Throws IllegalArgumentException naming the offset and what was expected unless {@code json} is one value. */
    static void check(final String json)
    {
        Objects.requireNonNull(json, "json");
        final Json parser = new Json(json);
        parser.skipSpace();
        parser.value();
        parser.skipSpace();
        if (parser.pos != json.length())
        {
            throw parser.error("end of input");
        }
    }

    private void value()
    {
        if (pos >= text.length())
        {
            throw error("a value");
        }
        final char c = text.charAt(pos);
        switch (c)
        {
            case '{':
                object();
                break;
            case '[':
                array();
                break;
            case '"':
                string();
                break;
            case 't':
                literal("true");
                break;
            case 'f':
                literal("false");
                break;
            case 'n':
                literal("null");
                break;
            default:
                if (c == '-' || isDigit(c))
                {
                    number();
                }
                else
                {
                    throw error("a value");
                }
        }
    }

    private void object()
    {
        enter();
        pos++;
        skipSpace();
        if (peek() == '}')
        {
            pos++;
            depth--;
            return;
        }
        while (true)
        {
            skipSpace();
            if (peek() != '"')
            {
                throw error("a string key");
            }
            string();
            skipSpace();
            expect(':');
            skipSpace();
            value();
            skipSpace();
            if (peek() == ',')
            {
                pos++;
            }
            else
            {
                expect('}');
                depth--;
                return;
            }
        }
    }

    private void array()
    {
        enter();
        pos++;
        skipSpace();
        if (peek() == ']')
        {
            pos++;
            depth--;
            return;
        }
        while (true)
        {
            skipSpace();
            value();
            skipSpace();
            if (peek() == ',')
            {
                pos++;
            }
            else
            {
                expect(']');
                depth--;
                return;
            }
        }
    }

    private void string()
    {
        pos++;
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c == '"')
            {
                pos++;
                return;
            }
            if (c < 0x20)
            {
                throw error("no control character in a string");
            }
            if (c == '\\')
            {
                pos++;
                final char e = peek();
                if (e == 'u')
                {
                    for (int i = 1; i <= 4; i++)
                    {
                        if (pos + i >= text.length() || Character.digit(text.charAt(pos + i), 16) < 0)
                        {
                            pos += i;
                            throw error("a hex digit");
                        }
                    }
                    pos += 4;
                }
                else if ("\"\\/bfnrt".indexOf(e) < 0 || e == 0)
                {
                    throw error("an escape character");
                }
            }
            pos++;
        }
        throw error("a closing quote");
    }

    private void number()
    {
        if (peek() == '-')
        {
            pos++;
        }
        if (peek() == '0')
        {
            pos++;
        }
        else
        {
            digits();
        }
        if (peek() == '.')
        {
            pos++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E')
        {
            pos++;
            if (peek() == '+' || peek() == '-')
            {
                pos++;
            }
            digits();
        }
    }

    private void digits()
    {
        if (!isDigit(peek()))
        {
            throw error("a digit");
        }
        while (isDigit(peek()))
        {
            pos++;
        }
    }

    private void literal(final String word)
    {
        if (!text.startsWith(word, pos))
        {
            throw error("\"" + word + "\"");
        }
        pos += word.length();
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("'" + c + "'");
        }
        pos++;
    }

    private void enter()
    {
        if (++depth > MAX_DEPTH)
        {
            throw error("at most " + MAX_DEPTH + " levels of nesting");
        }
    }

    private void skipSpace()
    {
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                return;
            }
            pos++;
        }
    }

    /** The character at the position, or 0 at the end. */
    private char peek()
    {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private static boolean isDigit(final char c)
    {
        return c >= '0' && c <= '9';
    }

    private IllegalArgumentException error(final String expected)
    {
        final String found = pos < text.length() ?
            "'" + text.charAt(pos) + "'" : "the end";
        final int from = Math.max(0, pos - 20);
        final int to = Math.min(text.length(), pos + 20);
        return new IllegalArgumentException("invalid JSON at offset " + pos + ": expected " + expected + " but found " +
            found + " in \"" + (from > 0 ? "..." : "") + text.substring(from, to) + (to < text.length() ? "..." : "") +
            "\"");
    }
}
