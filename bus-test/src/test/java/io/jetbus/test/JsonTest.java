package io.jetbus.test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest
{
    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "[]", " { \"a\" : [1, -2.5e+3, 0, 0.1E-2, true, false, null, \"x\\n\\u00e9\"] } ", "\"text\"", "42",
        "{\"nested\":{\"list\":[{},[]]}}"})
    void shouldAcceptWellFormedJson(final String json)
    {
        assertThatCode(() -> Json.check(json)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"id\":42,}|invalid JSON at offset 9: expected a string key but found '}' in \"{\"id\":42,}\"",
        "{\"id\" 42}|invalid JSON at offset 6: expected ':' but found '4' in \"{\"id\" 42}\"",
        "[1, 2|invalid JSON at offset 5: expected ']' but found the end in \"[1, 2\"",
        "{'id':1}|invalid JSON at offset 1: expected a string key but found ''' in \"{'id':1}\"",
        "01|invalid JSON at offset 1: expected end of input but found '1' in \"01\"",
        "tru|invalid JSON at offset 0: expected \"true\" but found 't' in \"tru\"",
        "``|invalid JSON at offset 0: expected a value but found the end in \"\"",
        "\"a\\x\"|invalid JSON at offset 3: expected an escape character but found 'x' in \"\"a\\x\"\"",
    })
    void shouldRejectMalformedJsonNamingTheOffset(final String json, final String message)
    {
        assertThatThrownBy(() -> Json.check(json))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(ints = {30})
    void shouldShowOnlyTheTextAroundTheError(final int padding)
    {
        final String json = "[" + "1,".repeat(padding) + "x]";

        assertThatThrownBy(() -> Json.check(json))
            .hasMessage("invalid JSON at offset 61: expected a value but found 'x' in \"...1,1,1,1,1,1,1,1,1,1,x]\"");
    }
}
