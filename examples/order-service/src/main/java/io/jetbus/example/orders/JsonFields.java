package io.jetbus.example.orders;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads fields of the flat JSON objects this example writes: strings without escapes and whole numbers. Enough for an
 * example; a real service would use a JSON library.
 */
final class JsonFields
{
    private JsonFields()
    {
    }

    /** The value of a string field, e.g. {@code "sku"} in {@code {"sku":"apple"}}. */
    static String string(final String json, final String field)
    {
        return find(json, field, "\"([^\"\\\\]*)\"");
    }

    /** The value of a whole-number field, e.g. {@code "quantity"} in {@code {"quantity":3}}. */
    static long number(final String json, final String field)
    {
        return Long.parseLong(find(json, field, "(-?[0-9]{1,18})"));
    }

    /** Whether the object has the field. */
    static boolean has(final String json, final String field)
    {
        Objects.requireNonNull(json, "json");
        return json.contains("\"" + field + "\":");
    }

    private static String find(final String json, final String field, final String valuePattern)
    {
        Objects.requireNonNull(json, "json");
        final Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*" + valuePattern).matcher(json);
        if (!m.find())
        {
            throw new IllegalArgumentException("invalid JSON " + json + ": no field \"" + field + "\" of the " +
                "expected type");
        }
        return m.group(1);
    }
}
