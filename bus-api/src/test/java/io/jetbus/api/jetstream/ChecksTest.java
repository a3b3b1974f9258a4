package io.jetbus.api.jetstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChecksTest
{
    @ParameterizedTest
    @ValueSource(strings = {"a", "orders", "orders.created", "orders.*", "orders.>", ">", "*", "*.b.>", "a-b_c$d"})
    void shouldAcceptValidPatterns(final String pattern)
    {
        assertThat(Checks.checkPattern(pattern)).isEqualTo(pattern);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a..b|invalid subject \"a..b\": empty token at position 2",
        ".a|invalid subject \".a\": empty token at position 1",
        "a.|invalid subject \"a.\": empty token at position 2",
        "a.>.b|invalid subject \"a.>.b\": '>' must be the last token",
        "a.b*|invalid subject \"a.b*\": '*' must be a whole token",
        "a>|invalid subject \"a>\": '>' must be a whole token",
        "'a b'|invalid subject \"a b\": whitespace at index 1",
    })
    void shouldRejectInvalidPatternsNamingTheRule(final String pattern, final String message)
    {
        assertThatThrownBy(() -> Checks.checkPattern(pattern))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
    }

    @Test
    void shouldRejectEmptyPattern()
    {
        assertThatThrownBy(() -> Checks.checkPattern(""))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid subject \"\": empty");
    }

    @Test
    void shouldRejectControlCharacterInPattern()
    {
        assertThatThrownBy(() -> Checks.checkPattern("a\u0001b"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid subject \"a\\u0001b\": control character at index 1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a.b|a.b|true",
        "a.*|a.b|true",
        "a.>|a.b.c|true",
        "a.>|a|false",
        "a.*|a.b.c|false",
        "*.b|a.*|true",
        "a.b|a.c|false",
        ">|x|true",
        "a.*.c|a.b.d|false",
    })
    void shouldDetectOverlapBothWays(final String a, final String b, final boolean overlap)
    {
        assertThat(Checks.overlap(a, b)).isEqualTo(overlap);
        assertThat(Checks.overlap(b, a)).isEqualTo(overlap);
    }

    @Test
    void shouldRejectRepeatedPattern()
    {
        assertThatThrownBy(() -> Checks.checkPatterns("subjects", List.of("a", "b", "a"), true))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid subjects [a, b, a]: \"a\" appears more than once");
    }

    @Test
    void shouldRejectOverlappingPatternsWhenNotAllowed()
    {
        assertThat(Checks.checkPatterns("subjects", List.of("a.*", "a.b"), true)).containsExactly("a.*", "a.b");
        assertThatThrownBy(() -> Checks.checkPatterns("filterSubjects", List.of("a.*", "a.b"), false))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid filterSubjects [a.*, a.b]: \"a.*\" and \"a.b\" overlap");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a.b|invalid stream name \"a.b\": '.' at index 1",
        "a*|invalid stream name \"a*\": '*' at index 1",
        ">|invalid stream name \">\": '>' at index 0",
        "a/b|invalid stream name \"a/b\": '/' at index 1",
        "a\\b|invalid stream name \"a\\b\": '\\' at index 1",
        "'a b'|invalid stream name \"a b\": whitespace U+0020 at index 1",
    })
    void shouldRejectInvalidNamesNamingTheCharacter(final String name, final String prefix)
    {
        assertThatThrownBy(() -> Checks.checkName("stream name", name))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(prefix + " (a name may not contain '.', '*', '>', '/', '\\', whitespace or control " +
                "characters)");
    }

    @Test
    void shouldRejectEmptyAndTooLongNames()
    {
        assertThatThrownBy(() -> Checks.checkName("stream name", ""))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid stream name \"\": must not be empty");
        final String longName = "N".repeat(256);
        assertThatThrownBy(() -> Checks.checkName("consumer name", longName))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid consumer name \"" + longName + "\": 256 characters, more than the maximum 255");
        assertThat(Checks.checkName("stream name", "N".repeat(255))).hasSize(255);
    }

    @Test
    void shouldRejectNullNameNamingIt()
    {
        assertThatThrownBy(() -> Checks.checkName("stream name", null))
            .isInstanceOf(NullPointerException.class)
            .hasMessage("stream name");
    }
}
