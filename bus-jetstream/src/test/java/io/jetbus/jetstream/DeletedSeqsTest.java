package io.jetbus.jetstream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class DeletedSeqsTest
{
    @Test
    void shouldBehaveLikeASortedSetUnderRandomOperations()
    {
        final Random random = new Random(42);
        final DeletedSeqs set = new DeletedSeqs();
        final TreeSet<Long> oracle = new TreeSet<>();
        for (int i = 0; i < 5_000; i++)
        {
            final long seq = 1 + random.nextInt(300_000);
            switch (random.nextInt(6))
            {
                case 0, 1 -> assertThat(set.add(seq)).isEqualTo(oracle.add(seq));
                case 2 -> assertThat(set.remove(seq)).isEqualTo(oracle.remove(seq));
                case 3 ->
                {
                    final long to = seq + random.nextInt(3_000);
                    long added = 0;
                    for (long s = seq; s <= to; s++)
                    {
                        added += oracle.add(s) ? 1 : 0;
                    }
                    assertThat(set.addRange(seq, to)).isEqualTo(added);
                }
                case 4 ->
                {
                    set.removeBelow(seq / 4);
                    oracle.headSet(seq / 4).clear();
                }
                default ->
                {
                    final long to = seq + random.nextInt(70_000);
                    assertThat(set.countInRange(seq, to)).isEqualTo(oracle.subSet(seq, true, to, true).size());
                }
            }
            assertThat(set.size()).isEqualTo(oracle.size());
            assertThat(set.contains(seq)).isEqualTo(oracle.contains(seq));
            final Long ceiling = oracle.ceiling(seq);
            assertThat(set.nextSet(seq)).isEqualTo(ceiling == null ? -1 : ceiling);
            long clear = seq;
            while (oracle.contains(clear))
            {
                clear++;
            }
            assertThat(set.nextClear(seq)).isEqualTo(clear);
        }
        final List<long[]> runs = new ArrayList<>();
        set.forEachRun((a, b) -> runs.add(new long[] {a, b}));
        final DeletedSeqs rebuilt = new DeletedSeqs();
        runs.forEach(r -> rebuilt.addRange(r[0], r[1]));
        assertThat(rebuilt.size()).isEqualTo(oracle.size());
        for (int i = 1; i < runs.size(); i++)
        {
            assertThat(runs.get(i)[0]).isGreaterThan(runs.get(i - 1)[1] + 1);
        }
    }

    @Test
    void shouldAddHugeRangeCheaply()
    {
        final DeletedSeqs set = new DeletedSeqs();
        assertThat(set.addRange(5, 50_000_004)).isEqualTo(50_000_000);
        assertThat(set.nextClear(5)).isEqualTo(50_000_005);
        assertThat(set.countInRange(1, 100_000_000)).isEqualTo(50_000_000);
        set.removeBelow(25_000_000);
        assertThat(set.size()).isEqualTo(25_000_005);
        set.clear();
        assertThat(set.isEmpty()).isTrue();
        assertThat(set.nextSet(0)).isEqualTo(-1);
    }
}
