package io.jetbus.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code 250ms}, {@code 10s}, {@code 30m}, {@code 2h} or an ISO-8601 duration ({@code PT30M}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration>
{
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(final String value)
    {
        final Matcher m = SHORT.matcher(value.trim());
        if (m.matches())
        {
            final long amount = Long.parseLong(m.group(1));
            return switch (m.group(2))
            {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try
        {
            return Duration.parse(value);
        }
        catch (final RuntimeException e)
        {
            throw new CommandLine.TypeConversionException("invalid duration \"" + value + "\": use 250ms, 10s, 30m, " +
                "2h or ISO-8601 such as PT30M");
        }
    }
}
