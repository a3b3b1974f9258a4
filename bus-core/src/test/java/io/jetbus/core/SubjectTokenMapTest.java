package io.jetbus.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectTokenMapTest
{
    private final SubjectTokenMap<Integer> map = new SubjectTokenMap<>();

    @Test
    void shouldFindTokenGivenAsRegionOfLongerText()
    {
        map.put("bar", 1);
        map.put("foo", 2);

        final String text = "foo.bar.baz";
        assertThat(map.get(text, 0, 3)).isEqualTo(2);
        assertThat(map.get(text, 4, 7)).isEqualTo(1);
        assertThat(map.get(text, 8, 11)).isNull();
        assertThat(map.get(text, 4, 6)).as("a prefix of a key is another token").isNull();
        assertThat(map.size()).isEqualTo(2);
    }

    @Test
    void shouldHashRegionLikeSubstring()
    {
        final String text = "orders.\u65e5\u672c.x";
        assertThat(SubjectTokenMap.hash(text, 7, 9)).isEqualTo("\u65e5\u672c".hashCode());
        assertThat(SubjectTokenMap.hash(text, 0, 6)).isEqualTo("orders".hashCode());
        assertThat(SubjectTokenMap.hash(text, 3, 3)).isEqualTo("".hashCode());
    }

    @Test
    void shouldReplaceValueWhenTokenPutAgain()
    {
        map.put("a", 1);
        map.put("a", 2);

        assertThat(map.get("a", 0, 1)).isEqualTo(2);
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void shouldAgreeWithHashMapUnderRandomPutsAndRemoves()
    {
        final Random random = new Random(99);
        final Map<String, Integer> reference = new HashMap<>();
        final List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 300; i++)
        {
            tokens.add(Integer.toString(i, 36) + (i % 7 == 0 ? "x" : ""));
        }
        for (int op = 0; op < 50_000; op++)
        {
            final String token = tokens.get(random.nextInt(tokens.size()));
            final String text = "p." + token + ".s";
            final int start = 2;
            final int end = start + token.length();
            if (random.nextInt(3) == 0)
            {
                assertThat(map.remove(text, start, end)).isEqualTo(reference.remove(token));
            }
            else if (random.nextBoolean())
            {
                map.put(token, op);
                reference.put(token, op);
            }
            else
            {
                assertThat(map.get(text, start, end)).isEqualTo(reference.get(token));
            }
            assertThat(map.size()).isEqualTo(reference.size());
        }
        for (final String token : tokens)
        {
            assertThat(map.get(token, 0, token.length())).as(token).isEqualTo(reference.get(token));
        }
        final List<Integer> values = new ArrayList<>();
        map.addValuesTo(values);
        assertThat(values).containsExactlyInAnyOrderElementsOf(reference.values());

        for (final String token : tokens)
        {
            map.remove(token, 0, token.length());
        }
        assertThat(map.isEmpty()).isTrue();
    }
}
