package io.jetbus.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Message headers: names mapped to one or more values, in insertion order. Names are case-sensitive, as in NATS.
 *
 * <p>A name is one or more printable ASCII characters other than {@code :}; a value is any text without CR or LF.
 * Not safe for concurrent modification; headers of a received message are read-only.
 */
public final class Headers
{
    private static final Headers EMPTY = new Headers(Collections.emptyMap(), true);

    private final Map<String, List<String>> map;
    private final boolean readOnly;

    /**
     * Empty, modifiable headers.
     */
    public Headers()
    {
        this(new LinkedHashMap<>(), false);
    }

    private Headers(final Map<String, List<String>> map, final boolean readOnly)
    {
        this.map = map;
        this.readOnly = readOnly;
    }

    /**
     * The empty, read-only headers.
     *
     * @return the shared empty instance.
     */
    public static Headers empty()
    {
        return EMPTY;
    }

    /**
     * Add values to a name, after any values it already has.
     *
     * @param name   the header name.
     * @param values one or more values.
     * @return these headers.
     * @throws IllegalArgumentException if the name or a value is invalid, or no value is given.
     * @throws UnsupportedOperationException if these headers are read-only.
     */
    public Headers add(final String name, final String... values)
    {
        checkWritable();
        checkName(name);
        checkValues(name, values);
        final List<String> list = map.computeIfAbsent(name, k -> new ArrayList<>(values.length));
        Collections.addAll(list, values);
        return this;
    }

    /**
     * Set a name to the given values, replacing any it had.
     *
     * @param name   the header name.
     * @param values one or more values.
     * @return these headers.
     * @throws IllegalArgumentException if the name or a value is invalid, or no value is given.
     * @throws UnsupportedOperationException if these headers are read-only.
     */
    public Headers put(final String name, final String... values)
    {
        checkWritable();
        checkName(name);
        checkValues(name, values);
        final List<String> list = new ArrayList<>(values.length);
        Collections.addAll(list, values);
        map.put(name, list);
        return this;
    }

    /**
     * Remove a name and all its values.
     *
     * @param name the header name.
     * @return {@code true} if the name was present.
     * @throws UnsupportedOperationException if these headers are read-only.
     */
    public boolean remove(final String name)
    {
        checkWritable();
        return map.remove(name) != null;
    }

    /**
     * The values of a name.
     *
     * @param name the header name.
     * @return the values in insertion order, read-only; empty when the name is absent.
     */
    public List<String> get(final String name)
    {
        final List<String> values = map.get(name);
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    /**
     * The first value of a name.
     *
     * @param name the header name.
     * @return the first value, or {@code null} when the name is absent.
     */
    public String first(final String name)
    {
        final List<String> values = map.get(name);
        return values == null ? null : values.get(0);
    }

    /**
     * The last value of a name.
     *
     * @param name the header name.
     * @return the last value, or {@code null} when the name is absent.
     */
    public String last(final String name)
    {
        final List<String> values = map.get(name);
        return values == null ? null : values.get(values.size() - 1);
    }

    /**
     * Whether a name is present.
     *
     * @param name the header name.
     * @return {@code true} if it has at least one value.
     */
    public boolean contains(final String name)
    {
        return map.containsKey(name);
    }

    /**
     * The names in insertion order.
     *
     * @return a read-only view of the names.
     */
    public Set<String> names()
    {
        return Collections.unmodifiableSet(map.keySet());
    }

    /**
     * Call the action for each name and value, in order; a name with several values is passed once per value.
     *
     * @param action receives each name and value.
     */
    public void forEach(final BiConsumer<String, String> action)
    {
        for (final Map.Entry<String, List<String>> entry : map.entrySet())
        {
            for (final String value : entry.getValue())
            {
                action.accept(entry.getKey(), value);
            }
        }
    }

    /**
     * The number of names.
     *
     * @return the count of distinct names.
     */
    public int size()
    {
        return map.size();
    }

    /**
     * Whether there are no headers.
     *
     * @return {@code true} when empty.
     */
    public boolean isEmpty()
    {
        return map.isEmpty();
    }

    /**
     * Whether these headers can be changed.
     *
     * @return {@code true} for the headers of a received message.
     */
    public boolean isReadOnly()
    {
        return readOnly;
    }

    /**
     * A read-only copy of these headers.
     *
     * @return the copy, or these headers if they are already read-only.
     */
    public Headers readOnlyCopy()
    {
        if (readOnly)
        {
            return this;
        }
        final LinkedHashMap<String, List<String>> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return new Headers(copy, true);
    }

    @Override
    public boolean equals(final Object o)
    {
        return this == o || (o instanceof Headers other && map.equals(other.map));
    }

    @Override
    public int hashCode()
    {
        return map.hashCode();
    }

    @Override
    public String toString()
    {
        return map.toString();
    }

    private void checkWritable()
    {
        if (readOnly)
        {
            throw new UnsupportedOperationException("headers are read-only");
        }
    }

    private static void checkName(final String name)
    {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty())
        {
            throw new IllegalArgumentException("invalid header name \"\": empty");
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c <= ' ' || c > '~' || c == ':')
            {
                throw new IllegalArgumentException("invalid header name \"" + name + "\": character at index " + i +
                    " is not printable ASCII other than ':'");
            }
        }
    }

    private static void checkValues(final String name, final String[] values)
    {
        Objects.requireNonNull(values, "values");
        if (values.length == 0)
        {
            throw new IllegalArgumentException("header \"" + name + "\" needs at least one value");
        }
        for (final String value : values)
        {
            Objects.requireNonNull(value, "value");
            for (int i = 0; i < value.length(); i++)
            {
                final char c = value.charAt(i);
                if (c == '\r' || c == '\n')
                {
                    throw new IllegalArgumentException("invalid value for header \"" + name +
                        "\": CR or LF at index " + i);
                }
            }
        }
    }
}
