package io.jetbus.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SubjectsTest
{
    private static final String LONG_SUBJECT = String.join(".", Collections.nCopies(10_000, "tok"));
    private static final String LONG_TOKEN = "x".repeat(100_000);
    private static final String WILDCARDS_IN_PUBLISH = "wildcards are not allowed in a publish subject";

    static Stream<String> validSubjects()
    {
        return Stream.of(
            "a",
            "foo",
            "foo.bar",
            "foo.bar.baz",
            "FOO.Bar.bAz",
            "_INBOX.abc123.1",
            "$JS.API.STREAM.INFO.ORDERS",
            "a-b_c.d~e",
            "a:b.c/d",
            "a\\b",
            "a\"b",
            "a#b.a+b.a=b",
            "123.456",
            "a.b.c.d.e.f.g.h.i.j",
            "\u65e5\u672c.\u6771\u4eac",
            "caf\u00e9.\u00fcber",
            "emoji.\uD83D\uDE00",
            "nbsp\u00a0is.not.ascii\u2003space",
            LONG_SUBJECT,
            LONG_TOKEN);
    }

    static Stream<String> validPatternsOnly()
    {
        return Stream.of(
            "*",
            ">",
            "a.*",
            "*.a",
            "a.*.c",
            "a.>",
            "*.>",
            "*.*",
            "*.*.*.>",
            "a.*.b.*.c.>",
            "$JS.API.>",
            "_INBOX.abc123.*",
            "\u65e5\u672c.*",
            LONG_SUBJECT + ".*.>");
    }

    static Stream<Arguments> invalidForBoth()
    {
        return Stream.of(
            arguments("", "invalid subject \"\": empty"),
            arguments(" ", "invalid subject \" \": whitespace at index 0"),
            arguments("  ", "invalid subject \"  \": whitespace at index 0"),
            arguments(".", "invalid subject \".\": empty token at position 1"),
            arguments("..", "invalid subject \"..\": empty token at position 1"),
            arguments("a..b", "invalid subject \"a..b\": empty token at position 2"),
            arguments(".a", "invalid subject \".a\": empty token at position 1"),
            arguments("a.", "invalid subject \"a.\": empty token at position 2"),
            arguments("a.b.", "invalid subject \"a.b.\": empty token at position 3"),
            arguments("a.b..c.d", "invalid subject \"a.b..c.d\": empty token at position 3"),
            arguments("a b", "invalid subject \"a b\": whitespace at index 1"),
            arguments(" a", "invalid subject \" a\": whitespace at index 0"),
            arguments("a ", "invalid subject \"a \": whitespace at index 1"),
            arguments("a.b c", "invalid subject \"a.b c\": whitespace at index 3"),
            arguments("a\tb", "invalid subject \"a\\tb\": whitespace at index 1"),
            arguments("a\nb", "invalid subject \"a\\nb\": whitespace at index 1"),
            arguments("a\rb", "invalid subject \"a\\rb\": whitespace at index 1"),
            arguments("a\fb", "invalid subject \"a\\u000cb\": whitespace at index 1"),
            arguments("a\u000bb", "invalid subject \"a\\u000bb\": whitespace at index 1"),
            arguments("a.b\r\n", "invalid subject \"a.b\\r\\n\": whitespace at index 3"),
            arguments("a\u0000b", "invalid subject \"a\\u0000b\": control character at index 1"),
            arguments("\u0001", "invalid subject \"\\u0001\": control character at index 0"),
            arguments("a.\u001f", "invalid subject \"a.\\u001f\": control character at index 2"),
            arguments("a\u007fb", "invalid subject \"a\\u007fb\": control character at index 1"),
            arguments("a*", "invalid subject \"a*\": '*' must be a whole token"),
            arguments("*a", "invalid subject \"*a\": '*' must be a whole token"),
            arguments("a*b", "invalid subject \"a*b\": '*' must be a whole token"),
            arguments(">x", "invalid subject \">x\": '>' must be a whole token"),
            arguments("a>", "invalid subject \"a>\": '>' must be a whole token"),
            arguments("a.b>c", "invalid subject \"a.b>c\": '>' must be a whole token"),
            arguments("**", "invalid subject \"**\": '*' must be a whole token"),
            arguments(">>", "invalid subject \">>\": '>' must be a whole token"),
            arguments("*>", "invalid subject \"*>\": '>' must be a whole token"),
            arguments(">*", "invalid subject \">*\": '*' must be a whole token"),
            arguments("a..b c", "invalid subject \"a..b c\": empty token at position 2"),
            arguments("a b..c", "invalid subject \"a b..c\": whitespace at index 1"),
            arguments("*a b", "invalid subject \"*a b\": '*' must be a whole token"),
            arguments(LONG_SUBJECT + "..x",
                "invalid subject \"" + LONG_SUBJECT + "..x\": empty token at position 10001"),
            arguments(LONG_TOKEN + " ", "invalid subject \"" + LONG_TOKEN + " \": whitespace at index 100000"));
    }

    static Stream<Arguments> invalidPublishOnly()
    {
        return Stream.of(
            arguments("*", "invalid subject \"*\": " + WILDCARDS_IN_PUBLISH),
            arguments(">", "invalid subject \">\": " + WILDCARDS_IN_PUBLISH),
            arguments("a.*", "invalid subject \"a.*\": " + WILDCARDS_IN_PUBLISH),
            arguments("*.a", "invalid subject \"*.a\": " + WILDCARDS_IN_PUBLISH),
            arguments("a.*.c", "invalid subject \"a.*.c\": " + WILDCARDS_IN_PUBLISH),
            arguments("a.>", "invalid subject \"a.>\": " + WILDCARDS_IN_PUBLISH),
            arguments("a.*.>", "invalid subject \"a.*.>\": " + WILDCARDS_IN_PUBLISH),
            arguments("_INBOX.abc123.*", "invalid subject \"_INBOX.abc123.*\": " + WILDCARDS_IN_PUBLISH));
    }

    static Stream<Arguments> invalidPublish()
    {
        return Stream.concat(Stream.concat(invalidForBoth(), invalidPublishOnly()), Stream.of(
            arguments("a.>.b", "invalid subject \"a.>.b\": " + WILDCARDS_IN_PUBLISH),
            arguments(">.a", "invalid subject \">.a\": " + WILDCARDS_IN_PUBLISH)));
    }

    static Stream<Arguments> invalidPatterns()
    {
        return Stream.concat(invalidForBoth(), Stream.of(
            arguments("a.>.b", "invalid subject \"a.>.b\": '>' must be the last token"),
            arguments(">.a", "invalid subject \">.a\": '>' must be the last token"),
            arguments(">.>", "invalid subject \">.>\": '>' must be the last token"),
            arguments("a.>.", "invalid subject \"a.>.\": '>' must be the last token"),
            arguments("a.b.>.*", "invalid subject \"a.b.>.*\": '>' must be the last token"),
            arguments(".>", "invalid subject \".>\": empty token at position 1"),
            arguments("a.*.", "invalid subject \"a.*.\": empty token at position 3"),
            arguments("> ", "invalid subject \"> \": whitespace at index 1"),
            arguments("a.* .b", "invalid subject \"a.* .b\": whitespace at index 3")));
    }

    static Stream<String> validPatterns()
    {
        return Stream.concat(validSubjects(), validPatternsOnly());
    }

    @ParameterizedTest
    @MethodSource("validSubjects")
    void shouldAcceptValidPublishSubject(final String subject)
    {
        assertThatCode(() -> Subjects.validatePublish(subject)).doesNotThrowAnyException();
        assertThat(Subjects.isValidPublish(subject)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("invalidPublish")
    void shouldRejectInvalidPublishSubjectWithExactMessage(final String subject, final String message)
    {
        assertThatThrownBy(() -> Subjects.validatePublish(subject))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
        assertThat(Subjects.isValidPublish(subject)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("validPatterns")
    void shouldAcceptValidPattern(final String pattern)
    {
        assertThatCode(() -> Subjects.validatePattern(pattern)).doesNotThrowAnyException();
        assertThat(Subjects.isValidPattern(pattern)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("invalidPatterns")
    void shouldRejectInvalidPatternWithExactMessage(final String pattern, final String message)
    {
        assertThatThrownBy(() -> Subjects.validatePattern(pattern))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
        assertThat(Subjects.isValidPattern(pattern)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("validPatternsOnly")
    void shouldRejectPatternWhenPublishing(final String pattern)
    {
        assertThat(Subjects.isValidPublish(pattern)).isFalse();
        assertThatThrownBy(() -> Subjects.validatePublish(pattern))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageEndingWith(WILDCARDS_IN_PUBLISH);
    }

    @Test
    void shouldThrowNullPointerExceptionWhenSubjectIsNull()
    {
        assertThatThrownBy(() -> Subjects.validatePublish(null))
            .isInstanceOf(NullPointerException.class)
            .hasMessage("subject");
        assertThatThrownBy(() -> Subjects.validatePattern(null))
            .isInstanceOf(NullPointerException.class)
            .hasMessage("subject");
        assertThatThrownBy(() -> Subjects.validateQueueName(null))
            .isInstanceOf(NullPointerException.class)
            .hasMessage("queueName");
    }

    @Test
    void shouldReportInvalidWithoutThrowingWhenNull()
    {
        assertThat(Subjects.isValidPublish(null)).isFalse();
        assertThat(Subjects.isValidPattern(null)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("validQueueNames")
    void shouldAcceptValidQueueName(final String queueName)
    {
        assertThatCode(() -> Subjects.validateQueueName(queueName)).doesNotThrowAnyException();
    }

    static Stream<String> validQueueNames()
    {
        return Stream.of("q", "workers", "workers.eu", "a*", ">", "q-1_2", "\u65e5\u672c", "..", LONG_TOKEN);
    }

    @ParameterizedTest
    @MethodSource("invalidQueueNames")
    void shouldRejectInvalidQueueNameWithExactMessage(final String queueName, final String message)
    {
        assertThatThrownBy(() -> Subjects.validateQueueName(queueName))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
    }

    static Stream<Arguments> invalidQueueNames()
    {
        return Stream.of(
            arguments("", "invalid queue name \"\": empty"),
            arguments(" ", "invalid queue name \" \": whitespace at index 0"),
            arguments("a b", "invalid queue name \"a b\": whitespace at index 1"),
            arguments("workers\t", "invalid queue name \"workers\\t\": whitespace at index 7"),
            arguments("a\nb", "invalid queue name \"a\\nb\": whitespace at index 1"),
            arguments("a\u0000", "invalid queue name \"a\\u0000\": control character at index 1"),
            arguments("\u007f", "invalid queue name \"\\u007f\": control character at index 0"));
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        a           | a           | true
        a           | b           | false
        a           | ab          | false
        ab          | a           | false
        foo         | foobar      | false
        foo.bar     | foo.bar     | true
        foo.bar     | foo.baz     | false
        foo.bar     | foo.barx    | false
        foo.bar     | foo.ba      | false
        foo.bar     | foo         | false
        foo         | foo.bar     | false
        ab.c        | a.bc        | false
        a.b.c       | a.b.c       | true
        *           | a           | true
        *           | abc         | true
        *           | a.b         | false
        *.b         | a.b         | true
        *.b         | a.c         | false
        a.*         | a.b         | true
        a.*         | a           | false
        a.*         | a.b.c       | false
        a.*         | b.b         | false
        *.*         | a.b         | true
        *.*         | a           | false
        *.*         | a.b.c       | false
        *.*.*       | a.b.c       | true
        *.*.*       | a.b         | false
        a.*.c       | a.b.c       | true
        a.*.c       | a.x.c       | true
        a.*.c       | a.b.d       | false
        a.*.c       | a.c         | false
        >           | a           | true
        >           | a.b         | true
        >           | a.b.c.d.e   | true
        a.>         | a           | false
        a.>         | a.b         | true
        a.>         | a.b.c       | true
        a.>         | b.c         | false
        a.>         | ab.c        | false
        *.>         | a           | false
        *.>         | a.b         | true
        *.>         | a.b.c       | true
        a.*.>       | a.b         | false
        a.*.>       | a.b.c       | true
        a.*.>       | a.b.c.d     | true
        a.b.>       | a.b.c       | true
        a.b.>       | a.c.c       | false
        _INBOX.x.*  | _INBOX.x.42 | true
        _INBOX.x.*  | _INBOX.y.42 | false
        日本.*       | 日本.東京    | true
        日本.>       | 日本        | false
        东京        | 東京        | false
        """)
    void shouldMatchPatternAgainstSubject(final String pattern, final String subject, final boolean expected)
    {
        assertThat(Subjects.matches(pattern, subject)).isEqualTo(expected);
    }

    @Test
    void shouldMatchLongSubjects()
    {
        assertThat(Subjects.matches(LONG_SUBJECT, LONG_SUBJECT)).isTrue();
        assertThat(Subjects.matches("tok.>", LONG_SUBJECT)).isTrue();
        assertThat(Subjects.matches(LONG_SUBJECT + ".*", LONG_SUBJECT)).isFalse();
        assertThat(Subjects.matches(LONG_SUBJECT + ".*", LONG_SUBJECT + ".x")).isTrue();
        assertThat(Subjects.matches(LONG_TOKEN, LONG_TOKEN)).isTrue();
        assertThat(Subjects.matches("*", LONG_TOKEN)).isTrue();
        assertThat(Subjects.matches(LONG_TOKEN, LONG_TOKEN + "y")).isFalse();
    }

    @Test
    void shouldRejectInvalidArgumentsWhenMatching()
    {
        assertThatThrownBy(() -> Subjects.matches("a..b", "a"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid subject \"a..b\": empty token at position 2");
        assertThatThrownBy(() -> Subjects.matches("a.*", "a.*"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid subject \"a.*\": " + WILDCARDS_IN_PUBLISH);
        assertThatThrownBy(() -> Subjects.matches(null, "a"))
            .isInstanceOf(NullPointerException.class)
            .hasMessage("pattern");
        assertThatThrownBy(() -> Subjects.matches("a", null))
            .isInstanceOf(NullPointerException.class)
            .hasMessage("subject");
    }

    @Test
    void shouldAgreeWithSplittingReferenceWhenMatchingRandomSubjects()
    {
        final Random random = new Random(42);
        final String[] literals = {"a", "b", "ab", "ba"};
        int matched = 0;
        for (int n = 0; n < 20_000; n++)
        {
            final String pattern = randomPattern(random, literals);
            final String subject = randomSubject(random, literals);
            final boolean expected = referenceMatches(pattern, subject);
            assertThat(Subjects.matches(pattern, subject)).as("%s vs %s", pattern, subject).isEqualTo(expected);
            matched += expected ? 1 : 0;
        }
        assertThat(matched).as("the sample must exercise both outcomes").isBetween(1_000, 19_000);
    }

    private static String randomPattern(final Random random, final String[] literals)
    {
        final int tokens = 1 + random.nextInt(4);
        final List<String> parts = new ArrayList<>();
        for (int t = 0; t < tokens; t++)
        {
            final int kind = random.nextInt(10);
            if (t == tokens - 1 && kind == 0)
            {
                parts.add(">");
            }
            else if (kind < 3)
            {
                parts.add("*");
            }
            else
            {
                parts.add(literals[random.nextInt(literals.length)]);
            }
        }
        return String.join(".", parts);
    }

    private static String randomSubject(final Random random, final String[] literals)
    {
        final int tokens = 1 + random.nextInt(4);
        final List<String> parts = new ArrayList<>();
        for (int t = 0; t < tokens; t++)
        {
            parts.add(literals[random.nextInt(literals.length)]);
        }
        return String.join(".", parts);
    }

    /**
     * An obviously correct matcher that splits, to check the index-arithmetic one against.
     */
    private static boolean referenceMatches(final String pattern, final String subject)
    {
        final List<String> p = Arrays.asList(pattern.split("\\.", -1));
        final List<String> s = Arrays.asList(subject.split("\\.", -1));
        for (int i = 0; i < p.size(); i++)
        {
            if (p.get(i).equals(">"))
            {
                return s.size() > i;
            }
            if (i >= s.size() || !(p.get(i).equals("*") || p.get(i).equals(s.get(i))))
            {
                return false;
            }
        }
        return p.size() == s.size();
    }
}
