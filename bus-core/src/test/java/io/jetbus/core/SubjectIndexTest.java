package io.jetbus.core;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.jetbus.api.Subjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubjectIndexTest
{
    /**
     * A subscription stand-in; equal by id, but the index compares by identity.
     */
    record Sub(int id)
    {
        @Override
        public String toString()
        {
            return "s" + id;
        }
    }

    private final SubjectIndex<Sub> index = new SubjectIndex<>(1024);

    @Test
    void shouldMatchLiteralSubject()
    {
        final Sub s1 = new Sub(1);
        index.add("foo.bar", null, s1);

        assertThat(plain(index.match("foo.bar"))).containsExactly(s1);
        assertThat(index.match("foo.baz").isEmpty()).isTrue();
        assertThat(index.match("foo").isEmpty()).isTrue();
        assertThat(index.match("foo.bar.baz").isEmpty()).isTrue();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void shouldReturnSharedEmptyResultWhenNothingMatches()
    {
        index.add("a.b", null, new Sub(1));

        final SubjectIndex.Result<Sub> result = index.match("x.y");
        assertThat(result).isSameAs(SubjectIndex.Result.empty()).isSameAs(SubjectIndex.Result.EMPTY);
        assertThat(result.isEmpty()).isTrue();
        assertThat(result.plainCount()).isZero();
        assertThat(result.groupCount()).isZero();
        assertThat(new SubjectIndex<Sub>(16).match("a").isEmpty()).isTrue();
    }

    @Test
    void shouldMatchStarAgainstExactlyOneToken()
    {
        final Sub s1 = new Sub(1);
        final Sub s2 = new Sub(2);
        index.add("a.*", null, s1);
        index.add("*", null, s2);

        assertThat(plain(index.match("a.b"))).containsExactly(s1);
        assertThat(plain(index.match("a"))).containsExactly(s2);
        assertThat(plain(index.match("b"))).containsExactly(s2);
        assertThat(index.match("a.b.c").isEmpty()).isTrue();
    }

    @Test
    void shouldMatchFullWildcardAgainstOneOrMoreTokens()
    {
        final Sub s1 = new Sub(1);
        final Sub s2 = new Sub(2);
        index.add("a.>", null, s1);
        index.add(">", null, s2);

        assertThat(plain(index.match("a"))).containsExactly(s2);
        assertThat(plain(index.match("a.b"))).containsExactlyInAnyOrder(s1, s2);
        assertThat(plain(index.match("a.b.c.d"))).containsExactlyInAnyOrder(s1, s2);
        assertThat(plain(index.match("b.c"))).containsExactly(s2);
    }

    @Test
    void shouldCollectEntriesOfEveryMatchingPattern()
    {
        final List<Sub> subs = new ArrayList<>();
        final String[] patterns = {"a.b", "a.*", "*.b", "*.*", ">", "a.>", "*.>", "a.b.>", "a", "b.*", "a.c"};
        for (int i = 0; i < patterns.length; i++)
        {
            final Sub sub = new Sub(i);
            subs.add(sub);
            index.add(patterns[i], null, sub);
        }

        assertThat(plain(index.match("a.b"))).containsExactlyInAnyOrderElementsOf(subs.subList(0, 7));
        assertThat(plain(index.match("a"))).containsExactlyInAnyOrder(subs.get(4), subs.get(8));
        assertThat(plain(index.match("a.b.c"))).containsExactlyInAnyOrder(
            subs.get(4), subs.get(5), subs.get(6), subs.get(7));
    }

    @Test
    void shouldMergeQueueGroupsByNameAcrossPatterns()
    {
        final Sub s1 = new Sub(1);
        final Sub s2 = new Sub(2);
        final Sub s3 = new Sub(3);
        final Sub s4 = new Sub(4);
        index.add("foo.*", "q", s1);
        index.add("foo.bar", "q", s2);
        index.add("foo.>", "r", s3);
        index.add("foo.bar", null, s4);

        final SubjectIndex.Result<Sub> bar = index.match("foo.bar");
        assertThat(plain(bar)).containsExactly(s4);
        assertThat(groups(bar)).containsOnly(entry("q", List.of(s1, s2)), entry("r", List.of(s3)));

        final SubjectIndex.Result<Sub> baz = index.match("foo.baz");
        assertThat(plain(baz)).isEmpty();
        assertThat(groups(baz)).containsOnly(entry("q", List.of(s1)), entry("r", List.of(s3)));
    }

    @Test
    void shouldKeepPlainAndQueueEntriesOfOneValueApart()
    {
        final Sub s1 = new Sub(1);
        index.add("a", null, s1);
        index.add("a", "q", s1);

        final SubjectIndex.Result<Sub> result = index.match("a");
        assertThat(plain(result)).containsExactly(s1);
        assertThat(groups(result)).containsOnly(entry("q", List.of(s1)));

        assertThat(index.remove("a", "q", s1)).isTrue();
        assertThat(groups(index.match("a"))).isEmpty();
        assertThat(plain(index.match("a"))).containsExactly(s1);
    }

    @Test
    void shouldCountEachEntryOnceWhenValueAddedUnderSeveralPatterns()
    {
        final Sub s1 = new Sub(1);
        index.add("a.*", null, s1);
        index.add("a.b", null, s1);
        index.add("a.b", null, s1);

        assertThat(index.size()).isEqualTo(3);
        assertThat(plain(index.match("a.b"))).containsExactly(s1, s1, s1);
        assertThat(index.remove("a.b", null, s1)).isTrue();
        assertThat(plain(index.match("a.b"))).containsExactly(s1, s1);
        assertThat(plain(index.match("a.c"))).containsExactly(s1);
    }

    @Test
    void shouldPickEachMemberEquallyWhenRoundRobin()
    {
        final Sub s1 = new Sub(1);
        final Sub s2 = new Sub(2);
        final Sub s3 = new Sub(3);
        index.add("work", "q", s1);
        index.add("work", "q", s2);
        index.add("work.>", "other", s3);
        index.add("*", "q", s3);

        final SubjectIndex.Result<Sub> result = index.match("work");
        assertThat(result.groupCount()).isEqualTo(1);
        assertThat(result.queueName(0)).isEqualTo("q");
        assertThat(result.groupSize(0)).isEqualTo(3);
        final Map<Sub, Integer> counts = new TreeMap<>((a, b) -> Integer.compare(a.id(), b.id()));
        for (int i = 0; i < 3000; i++)
        {
            counts.merge(result.pick(0), 1, Integer::sum);
        }
        assertThat(counts).containsExactly(entry(s1, 1000), entry(s2, 1000), entry(s3, 1000));
    }

    @Test
    void shouldReturnSameResultInstanceWhenCached()
    {
        index.add("a.*", null, new Sub(1));

        final SubjectIndex.Result<Sub> first = index.match("a.b");
        assertThat(index.match("a.b")).isSameAs(first);
        assertThat(index.match(new String("a.b"))).isSameAs(first);
        assertThat(index.cachedSubjects()).isEqualTo(1);
    }

    @Test
    void shouldNotAllocateWhenMatchingCachedSubject()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        index.add("orders.*", null, new Sub(1));
        index.add("orders.>", "q", new Sub(2));
        index.add("orders.>", "q", new Sub(3));
        final String subject = "orders.created";
        final long id = Thread.currentThread().getId();
        long sum = 0;
        for (int i = 0; i < 20_000; i++)
        {
            sum += deliver(index.match(subject));
        }
        final long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++)
        {
            sum += deliver(index.match(subject));
        }
        final long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(sum).as("one plain and one pick per match, picks alternating")
            .isEqualTo(120_000L + 60_000L * (2 + 3));
        // Under one byte per call: the smallest object is 16 bytes, so any per-call allocation fails this by far,
        // while the JVM's own occasional allocations on this thread (JIT transitions) stay well below it.
        assertThat(allocated).isLessThan(100_000);
    }

    private static long deliver(final SubjectIndex.Result<Sub> result)
    {
        long sum = 0;
        for (int i = 0; i < result.plainCount(); i++)
        {
            sum += result.plain(i).id();
        }
        for (int g = 0; g < result.groupCount(); g++)
        {
            sum += result.pick(g).id();
        }
        return sum;
    }

    @Test
    void shouldSeeNewSubscriptionWhenSubjectWasCachedBefore()
    {
        final Sub s1 = new Sub(1);
        final Sub s2 = new Sub(2);
        assertThat(index.match("a.b").isEmpty()).isTrue();
        index.add("a.*", null, s1);
        assertThat(plain(index.match("a.b"))).containsExactly(s1);
        index.add(">", "q", s2);
        assertThat(groups(index.match("a.b"))).containsOnly(entry("q", List.of(s2)));
        assertThat(plain(index.match("a.b"))).containsExactly(s1);
    }

    @Test
    void shouldNotSeeRemovedSubscriptionWhenSubjectWasCachedBefore()
    {
        final Sub s1 = new Sub(1);
        final Sub s2 = new Sub(2);
        index.add("a.>", null, s1);
        index.add("a.b", "q", s2);
        assertThat(plain(index.match("a.b"))).containsExactly(s1);

        assertThat(index.remove("a.>", null, s1)).isTrue();
        assertThat(plain(index.match("a.b"))).isEmpty();
        assertThat(index.remove("a.b", "q", s2)).isTrue();
        assertThat(index.match("a.b")).isSameAs(SubjectIndex.Result.empty());
    }

    @Test
    void shouldKeepCachedResultsThatChangedPatternDoesNotMatch()
    {
        index.add("x.y", null, new Sub(1));
        final SubjectIndex.Result<Sub> xy = index.match("x.y");
        final SubjectIndex.Result<Sub> ab = index.match("a.b");
        final SubjectIndex.Result<Sub> abc = index.match("a.b.c");

        index.add("a.*", null, new Sub(2));
        assertThat(index.match("x.y")).isSameAs(xy);
        assertThat(index.match("a.b.c")).isSameAs(abc);
        assertThat(index.match("a.b")).isNotSameAs(ab);

        final SubjectIndex.Result<Sub> ab2 = index.match("a.b");
        index.add("a.b.c", null, new Sub(3));
        assertThat(index.match("a.b")).isSameAs(ab2);
        assertThat(index.match("x.y")).isSameAs(xy);
        assertThat(plain(index.match("a.b.c"))).containsExactly(new Sub(3));
    }

    @Test
    void shouldReturnFalseWhenRemovingUnknownEntry()
    {
        final Sub s1 = new Sub(1);
        index.add("a.b", "q", s1);

        assertThat(index.remove("a.c", "q", s1)).isFalse();
        assertThat(index.remove("a", "q", s1)).isFalse();
        assertThat(index.remove("a.b.c", "q", s1)).isFalse();
        assertThat(index.remove("a.*", "q", s1)).isFalse();
        assertThat(index.remove("a.b", null, s1)).isFalse();
        assertThat(index.remove("a.b", "r", s1)).isFalse();
        assertThat(index.remove("a.b", "q", new Sub(1))).as("equal but not the same").isFalse();
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.remove("a.b", "q", s1)).isTrue();
        assertThat(index.remove("a.b", "q", s1)).isFalse();
    }

    @Test
    void shouldRemoveByIdentity()
    {
        final Sub first = new Sub(7);
        final Sub second = new Sub(7);
        index.add("a", null, first);
        index.add("a", null, second);

        assertThat(index.remove("a", null, second)).isTrue();
        assertThat(index.match("a").plain(0)).isSameAs(first);
    }

    @Test
    void shouldPruneTrieWhenEverythingRemoved()
    {
        final String[] patterns = {"a.b.c", "a.b", "a.*.c", "a.>", ">", "*", "x.y.z.w", "a.b.c"};
        final List<Sub> subs = new ArrayList<>();
        for (int i = 0; i < patterns.length; i++)
        {
            subs.add(new Sub(i));
            index.add(patterns[i], i % 2 == 0 ? null : "q", subs.get(i));
        }
        assertThat(index.nodeCount()).isEqualTo(13);

        assertThat(index.remove("x.y.z.w", "q", subs.get(6))).isFalse();
        assertThat(index.remove("x.y.z.w", null, subs.get(6))).isTrue();
        assertThat(index.nodeCount()).isEqualTo(9);
        for (int i = 0; i < patterns.length; i++)
        {
            if (i != 6)
            {
                assertThat(index.remove(patterns[i], i % 2 == 0 ? null : "q", subs.get(i))).isTrue();
            }
        }
        assertThat(index.size()).isZero();
        assertThat(index.nodeCount()).isEqualTo(1);
        assertThat(index.match("a.b.c").isEmpty()).isTrue();
    }

    @Test
    void shouldBoundCacheWhenFull()
    {
        final SubjectIndex<Sub> small = new SubjectIndex<>(8);
        final Sub s1 = new Sub(1);
        small.add("s.*", null, s1);
        for (int i = 0; i < 200; i++)
        {
            assertThat(plain(small.match("s." + i))).containsExactly(s1);
            assertThat(small.cachedSubjects()).isLessThanOrEqualTo(8);
        }
        final SubjectIndex.Result<Sub> last = small.match("s.199");
        assertThat(small.match("s.199")).isSameAs(last);
    }

    @Test
    void shouldComputeEveryTimeWhenCacheDisabled()
    {
        final SubjectIndex<Sub> uncached = new SubjectIndex<>(0);
        final Sub s1 = new Sub(1);
        uncached.add("a", null, s1);

        final SubjectIndex.Result<Sub> first = uncached.match("a");
        assertThat(uncached.match("a")).isNotSameAs(first);
        assertThat(plain(uncached.match("a"))).containsExactly(s1);
        assertThat(uncached.cachedSubjects()).isZero();
    }

    @Test
    void shouldRejectNegativeCacheCapacity()
    {
        assertThatThrownBy(() -> new SubjectIndex<Sub>(-1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("cacheCapacity must be >= 0: -1");
    }

    @Test
    void shouldHandleVeryDeepPatterns()
    {
        final String deep = String.join(".", Collections.nCopies(20_000, "t"));
        final Sub s1 = new Sub(1);
        final Sub s2 = new Sub(2);
        index.add(deep, null, s1);
        index.add("t.>", null, s2);

        assertThat(plain(index.match(deep))).containsExactlyInAnyOrder(s1, s2);
        assertThat(plain(index.match(deep + ".t"))).containsExactly(s2);
        assertThat(index.remove(deep, null, s1)).isTrue();
        assertThat(index.nodeCount()).isEqualTo(3);
    }

    @Test
    void shouldAgreeWithBruteForceWhenPatternsAreRandom()
    {
        final Random random = new Random(20240611L);
        final SubjectIndex<Sub> index = new SubjectIndex<>(512);
        final List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 2000; i++)
        {
            final Entry entry = new Entry(randomPattern(random, 5), randomQueue(random), new Sub(i));
            entries.add(entry);
            index.add(entry.pattern, entry.queue, entry.sub);
        }
        final List<String> subjects = allSubjects(new String[]{"a", "b", "c", "d"}, 5);
        assertThat(subjects).hasSize(1364);

        final List<String> expectedBefore = expectAll(entries, subjects);
        assertAgrees(index, expectedBefore, subjects);
        assertAgrees(index, expectedBefore, subjects);

        Collections.shuffle(entries, random);
        final List<Entry> removed = new ArrayList<>(entries.subList(0, entries.size() / 2));
        entries.removeAll(removed);
        for (final Entry entry : removed)
        {
            assertThat(index.remove(entry.pattern, entry.queue, entry.sub)).isTrue();
        }
        assertThat(index.size()).isEqualTo(entries.size());
        assertAgrees(index, expectAll(entries, subjects), subjects);

        for (final Entry entry : entries)
        {
            assertThat(index.remove(entry.pattern, entry.queue, entry.sub)).isTrue();
        }
        assertThat(index.size()).isZero();
        assertThat(index.nodeCount()).isEqualTo(1);
        for (final String subject : subjects)
        {
            assertThat(index.match(subject).isEmpty()).isTrue();
        }
    }

    @Test
    void shouldPickEvenlyWhenManyThreadsPick() throws Exception
    {
        final Sub[] members = {new Sub(0), new Sub(1), new Sub(2)};
        for (final Sub member : members)
        {
            index.add("work", "q", member);
        }
        final SubjectIndex.Result<Sub> result = index.match("work");
        final int threads = 4;
        final int picksPerThread = 3000;
        final CountDownLatch start = new CountDownLatch(1);
        final ExecutorService executor = Executors.newFixedThreadPool(threads);
        try
        {
            final List<Future<int[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                futures.add(executor.submit(() ->
                {
                    final int[] counts = new int[members.length];
                    start.await();
                    for (int i = 0; i < picksPerThread; i++)
                    {
                        counts[result.pick(0).id()]++;
                    }
                    return counts;
                }));
            }
            start.countDown();
            final int[] total = new int[members.length];
            for (final Future<int[]> future : futures)
            {
                final int[] counts = future.get(30, TimeUnit.SECONDS);
                for (int m = 0; m < members.length; m++)
                {
                    total[m] += counts[m];
                }
            }
            assertThat(total).containsExactly(4000, 4000, 4000);
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    @ParameterizedTest(name = "cacheCapacity={0}")
    @ValueSource(ints = {0, 8, 1024})
    void shouldOnlyReturnResultsOfAnExistingPatternSetWhenMutatedConcurrently(final int cacheCapacity)
        throws Exception
    {
        checkConcurrentMutations(cacheCapacity, "a", "b");
    }

    @ParameterizedTest(name = "cacheCapacity={0}")
    @ValueSource(ints = {0, 8, 1024})
    void shouldOnlyReturnResultsOfAnExistingPatternSetWhenInboxSubjectsAreMutatedConcurrently(final int cacheCapacity)
        throws Exception
    {
        checkConcurrentMutations(cacheCapacity, "_INBOX", "a");
    }

    private static void checkConcurrentMutations(final int cacheCapacity, final String... literals) throws Exception
    {
        final Random random = new Random(7L + cacheCapacity);
        final List<Entry> pool = new ArrayList<>();
        for (int i = 0; i < 30; i++)
        {
            pool.add(new Entry(randomPattern(random, 3, literals), randomQueue(random), new Sub(i)));
        }
        final List<String> subjects = allSubjects(literals, 3);
        final int steps = 3000;
        final int[] toggles = new int[steps];
        final String[][] expected = new String[steps + 1][subjects.size()];
        final boolean[] present = new boolean[pool.size()];
        final List<Entry> live = new ArrayList<>();
        expectAll(expected[0], live, subjects);
        for (int k = 0; k < steps; k++)
        {
            final int e = random.nextInt(pool.size());
            toggles[k] = e;
            present[e] = !present[e];
            if (present[e])
            {
                live.add(pool.get(e));
            }
            else
            {
                live.remove(pool.get(e));
            }
            expectAll(expected[k + 1], live, subjects);
        }

        final SubjectIndex<Sub> index = new SubjectIndex<>(cacheCapacity);
        final AtomicInteger version = new AtomicInteger();
        final AtomicBoolean done = new AtomicBoolean();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final CountDownLatch start = new CountDownLatch(1);
        final int readers = 3;
        final ExecutorService executor = Executors.newFixedThreadPool(readers + 1);
        try
        {
            final List<Future<Integer>> futures = new ArrayList<>();
            for (int r = 0; r < readers; r++)
            {
                final int seed = r;
                futures.add(executor.submit(() ->
                {
                    final Random pick = new Random(seed);
                    int matches = 0;
                    start.await();
                    while ((matches < 100 || !done.get()) && failures.size() < 10)
                    {
                        final int s = pick.nextInt(subjects.size());
                        final int from = version.get();
                        final String actual = describe(index.match(subjects.get(s)));
                        final int to = Math.min(version.get() + 1, steps);
                        if (!anyEquals(expected, from, to, s, actual))
                        {
                            failures.add(subjects.get(s) + " -> " + actual + " not in states " + from + ".." + to);
                        }
                        matches++;
                    }
                    return matches;
                }));
            }
            final Future<Integer> writer = executor.submit(() ->
            {
                final boolean[] in = new boolean[pool.size()];
                start.await();
                for (int k = 0; k < steps; k++)
                {
                    final Entry entry = pool.get(toggles[k]);
                    in[toggles[k]] = !in[toggles[k]];
                    if (in[toggles[k]])
                    {
                        index.add(entry.pattern, entry.queue, entry.sub);
                    }
                    else if (!index.remove(entry.pattern, entry.queue, entry.sub))
                    {
                        failures.add("remove failed at step " + k);
                    }
                    version.set(k + 1);
                }
                done.set(true);
                return steps;
            });
            start.countDown();
            assertThat(writer.get(30, TimeUnit.SECONDS)).isEqualTo(steps);
            for (final Future<Integer> future : futures)
            {
                assertThat(future.get(30, TimeUnit.SECONDS)).isPositive();
            }
        }
        finally
        {
            executor.shutdownNow();
        }
        assertThat(failures).isEmpty();
        for (int s = 0; s < subjects.size(); s++)
        {
            assertThat(describe(index.match(subjects.get(s)))).as(subjects.get(s)).isEqualTo(expected[steps][s]);
        }
        assertThat(index.size()).isEqualTo(live.size());
    }

    @Test
    void shouldMatchEveryReplyOfAnInboxThroughOneFamilyEntry()
    {
        final Sub inbox = new Sub(1);
        index.add("_INBOX.b1-7.*", null, inbox);
        index.add("orders.*", null, new Sub(2));
        final SubjectIndex.Result<Sub> orders = index.match("orders.created");

        final SubjectIndex.Result<Sub> first = index.match("_INBOX.b1-7.1");
        for (int token = 2; token < 2000; token++)
        {
            assertThat(index.match("_INBOX.b1-7." + Integer.toString(token, 36))).isSameAs(first);
        }

        assertThat(plain(first)).containsExactly(inbox);
        assertThat(index.cachedFamilies()).isEqualTo(1);
        assertThat(index.cachedSubjects()).as("replies pushed nothing into the subject cache").isEqualTo(1);
        assertThat(index.match("orders.created")).isSameAs(orders);
        assertThat(index.match("_INBOX.b1-8.1").isEmpty()).isTrue();
        assertThat(index.cachedFamilies()).isEqualTo(2);
    }

    @Test
    void shouldReachEveryOtherSubscriptionMatchingReplySubject()
    {
        final Sub inbox = new Sub(1);
        final Sub allInboxes = new Sub(2);
        final Sub threeTokens = new Sub(3);
        final Sub everything = new Sub(4);
        final Sub member = new Sub(5);
        final Sub otherConnection = new Sub(6);
        final Sub deeper = new Sub(7);
        index.add("_INBOX.b1-7.*", null, inbox);
        index.add("_INBOX.>", null, allInboxes);
        index.add("*.*.*", null, threeTokens);
        index.add(">", null, everything);
        index.add("_INBOX.*.*", "q", member);
        index.add("_INBOX.b1-8.*", null, otherConnection);
        index.add("_INBOX.b1-7.*.x", null, deeper);

        final SubjectIndex.Result<Sub> reply = index.match("_INBOX.b1-7.k3");

        assertThat(plain(reply)).containsExactlyInAnyOrder(inbox, allInboxes, threeTokens, everything);
        assertThat(groups(reply)).containsOnly(entry("q", List.of(member)));
        assertThat(index.match("_INBOX.b1-7.k4")).isSameAs(reply);
        assertThat(plain(index.match("_INBOX.b1-7.k3.x"))).containsExactlyInAnyOrder(deeper, allInboxes, everything);
    }

    @Test
    void shouldLookUpRepliesOneByOneWhileLiteralReplySubjectIsSubscribed()
    {
        final Sub inbox = new Sub(1);
        final Sub literal = new Sub(2);
        final Sub lastLiteral = new Sub(3);
        index.add("_INBOX.b1-7.*", null, inbox);
        final SubjectIndex.Result<Sub> family = index.match("_INBOX.b1-7.k1");

        index.add("_INBOX.b1-7.k3", null, literal);
        index.add("_INBOX.*.k5", "q", lastLiteral);

        assertThat(plain(index.match("_INBOX.b1-7.k3"))).containsExactlyInAnyOrder(inbox, literal);
        assertThat(plain(index.match("_INBOX.b1-7.k4"))).containsExactly(inbox);
        assertThat(groups(index.match("_INBOX.b1-7.k4"))).isEmpty();
        assertThat(plain(index.match("_INBOX.b1-7.k5"))).containsExactly(inbox);
        assertThat(groups(index.match("_INBOX.b1-7.k5"))).containsOnly(entry("q", List.of(lastLiteral)));

        assertThat(index.remove("_INBOX.b1-7.k3", null, literal)).isTrue();
        assertThat(plain(index.match("_INBOX.b1-7.k3"))).containsExactly(inbox);
        assertThat(index.remove("_INBOX.*.k5", "q", lastLiteral)).isTrue();
        final SubjectIndex.Result<Sub> again = index.match("_INBOX.b1-7.k5");
        assertThat(again).isNotSameAs(family);
        assertThat(plain(again)).containsExactly(inbox);
        assertThat(groups(again)).isEmpty();
        assertThat(index.match("_INBOX.b1-7.k9")).isSameAs(again);
    }

    @Test
    void shouldSeeSubscriptionChangesWhenFamilyWasCachedBefore()
    {
        final Sub inbox = new Sub(1);
        final Sub allInboxes = new Sub(2);
        final Sub literal = new Sub(3);
        index.add("_INBOX.b1-7.*", null, inbox);
        final SubjectIndex.Result<Sub> before = index.match("_INBOX.b1-7.1");
        final SubjectIndex.Result<Sub> other = index.match("_INBOX.b1-8.1");

        index.add("_INBOX.>", null, allInboxes);
        assertThat(plain(index.match("_INBOX.b1-7.2"))).containsExactlyInAnyOrder(inbox, allInboxes);
        index.add("_INBOX.b1-7.3", null, literal);
        assertThat(plain(index.match("_INBOX.b1-7.3"))).containsExactlyInAnyOrder(inbox, allInboxes, literal);
        assertThat(index.remove("_INBOX.>", null, allInboxes)).isTrue();
        assertThat(index.remove("_INBOX.b1-7.3", null, literal)).isTrue();
        assertThat(plain(index.match("_INBOX.b1-7.3"))).containsExactly(inbox);
        assertThat(index.remove("_INBOX.b1-7.*", null, inbox)).isTrue();
        assertThat(index.match("_INBOX.b1-7.4").isEmpty()).isTrue();

        assertThat(before.isEmpty()).isFalse();
        assertThat(other.isEmpty()).isTrue();
        index.add("orders.>", null, new Sub(4));
        assertThat(index.match("_INBOX.b1-8.1")).as("an unrelated pattern keeps the family").isSameAs(other);
        assertThat(index.nodeCount()).isEqualTo(3);
    }

    @Test
    void shouldTellWhetherPatternMatchesSomeSubjectOfFamily()
    {
        assertThat(SubjectIndex.matchesFamily("_INBOX.b1-7.*", "_INBOX.b1-7.")).isTrue();
        assertThat(SubjectIndex.matchesFamily("_INBOX.b1-7.k3", "_INBOX.b1-7.")).isTrue();
        assertThat(SubjectIndex.matchesFamily("_INBOX.b1-7.>", "_INBOX.b1-7.")).isTrue();
        assertThat(SubjectIndex.matchesFamily("_INBOX.>", "_INBOX.b1-7.")).isTrue();
        assertThat(SubjectIndex.matchesFamily(">", "_INBOX.b1-7.")).isTrue();
        assertThat(SubjectIndex.matchesFamily("*.*.k3", "_INBOX.b1-7.")).isTrue();
        assertThat(SubjectIndex.matchesFamily("_INBOX.b1-7", "_INBOX.b1-7.")).isFalse();
        assertThat(SubjectIndex.matchesFamily("_INBOX.b1-7.*.x", "_INBOX.b1-7.")).isFalse();
        assertThat(SubjectIndex.matchesFamily("_INBOX.b1-8.*", "_INBOX.b1-7.")).isFalse();
        assertThat(SubjectIndex.matchesFamily("_INBOX.b1-7x.*", "_INBOX.b1-7.")).isFalse();
        assertThat(SubjectIndex.matchesFamily("_INBOX", "_INBOX.")).isFalse();
        assertThat(SubjectIndex.matchesFamily("_INBOX.*", "_INBOX.")).isTrue();
    }

    @Test
    void shouldAgreeWithSubjectMatchingWhenTellingFamilyMatches()
    {
        final Random random = new Random(99);
        final String[] literals = {"_INBOX", "a", "b"};
        final List<String> families = new ArrayList<>();
        for (final String subject : allSubjects(literals, 3))
        {
            families.add(subject + ".");
        }
        for (int i = 0; i < 2000; i++)
        {
            final String pattern = randomPattern(random, 5, literals);
            for (final String family : families)
            {
                boolean some = false;
                for (final String last : new String[] {"_INBOX", "a", "b", "other"})
                {
                    some |= Subjects.matches(pattern, family + last);
                }
                assertThat(SubjectIndex.matchesFamily(pattern, family)).as(pattern + " ~ " + family).isEqualTo(some);
            }
        }
    }

    @Test
    void shouldAgreeWithBruteForceWhenInboxPatternsAreRandom()
    {
        final Random random = new Random(20240612L);
        final String[] literals = {"_INBOX", "a", "b"};
        final List<String> subjects = allSubjects(literals, 4);
        for (final int patterns : new int[] {3, 10, 60})
        {
            final SubjectIndex<Sub> index = new SubjectIndex<>(512);
            final List<Entry> entries = new ArrayList<>();
            for (int round = 0; round < 40; round++)
            {
                if (entries.isEmpty() || entries.size() < patterns && random.nextBoolean())
                {
                    final Entry entry = new Entry(randomPattern(random, 4, literals), randomQueue(random),
                        new Sub(round));
                    entries.add(entry);
                    index.add(entry.pattern, entry.queue, entry.sub);
                }
                else
                {
                    final Entry entry = entries.remove(random.nextInt(entries.size()));
                    assertThat(index.remove(entry.pattern, entry.queue, entry.sub)).isTrue();
                }
                for (final String subject : subjects)
                {
                    assertThat(describe(index.match(subject))).as(subject + " after round " + round)
                        .isEqualTo(expected(entries, subject));
                }
            }
        }
    }

    @Test
    void shouldNotAllocateWhenMatchingRepliesOfCachedFamily()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        index.add("_INBOX.b1-7.*", null, new Sub(1));
        index.add("_INBOX.>", null, new Sub(2));
        final String[] replies = new String[10_000];
        for (int i = 0; i < replies.length; i++)
        {
            replies[i] = "_INBOX.b1-7." + Integer.toString(i + 1, 36);
        }
        final long id = Thread.currentThread().getId();
        long sum = 0;
        for (int i = 0; i < 20_000; i++)
        {
            sum += deliver(index.match(replies[i % replies.length]));
        }
        final long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++)
        {
            sum += deliver(index.match(replies[i % replies.length]));
        }
        final long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(sum).isEqualTo(120_000L * 3);
        assertThat(allocated).isLessThan(100_000);
    }

    private record Entry(String pattern, String queue, Sub sub)
    {
    }

    private static boolean anyEquals(
        final String[][] expected, final int from, final int to, final int s, final String actual)
    {
        for (int k = from; k <= to; k++)
        {
            if (expected[k][s].equals(actual))
            {
                return true;
            }
        }
        return false;
    }

    private static void expectAll(final String[] into, final List<Entry> live, final List<String> subjects)
    {
        for (int s = 0; s < subjects.size(); s++)
        {
            into[s] = expected(live, subjects.get(s));
        }
    }

    private static List<String> expectAll(final List<Entry> entries, final List<String> subjects)
    {
        final List<String> expected = new ArrayList<>(subjects.size());
        for (final String subject : subjects)
        {
            expected.add(expected(entries, subject));
        }
        return expected;
    }

    private static void assertAgrees(
        final SubjectIndex<Sub> index, final List<String> expected, final List<String> subjects)
    {
        int nonEmpty = 0;
        for (int s = 0; s < subjects.size(); s++)
        {
            final SubjectIndex.Result<Sub> result = index.match(subjects.get(s));
            final String actual = describe(result);
            if (!actual.equals(expected.get(s)))
            {
                assertThat(actual).as(subjects.get(s)).isEqualTo(expected.get(s));
            }
            nonEmpty += result.isEmpty() ? 0 : 1;
        }
        assertThat(nonEmpty).as("the sample must match something").isGreaterThan(subjects.size() / 2);
    }

    /**
     * The brute-force answer, in the same canonical form as {@link #describe}.
     */
    private static String expected(final List<Entry> entries, final String subject)
    {
        final List<Integer> plain = new ArrayList<>();
        final Map<String, List<Integer>> groups = new TreeMap<>();
        for (final Entry entry : entries)
        {
            if (Subjects.matches(entry.pattern, subject))
            {
                if (entry.queue == null)
                {
                    plain.add(entry.sub.id());
                }
                else
                {
                    groups.computeIfAbsent(entry.queue, q -> new ArrayList<>()).add(entry.sub.id());
                }
            }
        }
        return canonical(plain, groups);
    }

    private static String describe(final SubjectIndex.Result<Sub> result)
    {
        final List<Integer> plain = new ArrayList<>();
        for (int i = 0; i < result.plainCount(); i++)
        {
            plain.add(result.plain(i).id());
        }
        final Map<String, List<Integer>> groups = new TreeMap<>();
        for (int g = 0; g < result.groupCount(); g++)
        {
            final List<Integer> members = new ArrayList<>();
            for (int i = 0; i < result.groupSize(g); i++)
            {
                members.add(result.member(g, i).id());
            }
            if (groups.put(result.queueName(g), members) != null)
            {
                return "duplicate group " + result.queueName(g);
            }
        }
        if (result.isEmpty() != (plain.isEmpty() && groups.isEmpty()))
        {
            return "isEmpty() wrong";
        }
        return canonical(plain, groups);
    }

    private static String canonical(final List<Integer> plain, final Map<String, List<Integer>> groups)
    {
        Collections.sort(plain);
        groups.values().forEach(Collections::sort);
        return "plain=" + plain + " groups=" + groups;
    }

    private static List<Sub> plain(final SubjectIndex.Result<Sub> result)
    {
        final List<Sub> plain = new ArrayList<>();
        for (int i = 0; i < result.plainCount(); i++)
        {
            plain.add(result.plain(i));
        }
        return plain;
    }

    private static Map<String, List<Sub>> groups(final SubjectIndex.Result<Sub> result)
    {
        final Map<String, List<Sub>> groups = new TreeMap<>();
        for (int g = 0; g < result.groupCount(); g++)
        {
            final List<Sub> members = new ArrayList<>();
            for (int i = 0; i < result.groupSize(g); i++)
            {
                members.add(result.member(g, i));
            }
            groups.put(result.queueName(g), members);
        }
        return groups;
    }

    private static String randomQueue(final Random random)
    {
        final int n = random.nextInt(10);
        return n < 6 ? null : "q" + (n - 6);
    }

    private static String randomPattern(final Random random, final int maxTokens)
    {
        return randomPattern(random, maxTokens, "a", "b", "c", "d");
    }

    private static String randomPattern(final Random random, final int maxTokens, final String... literals)
    {
        final int tokens = 1 + random.nextInt(maxTokens);
        final StringBuilder sb = new StringBuilder();
        for (int t = 0; t < tokens; t++)
        {
            if (t > 0)
            {
                sb.append('.');
            }
            final int kind = random.nextInt(10);
            if (t == tokens - 1 && kind < 2)
            {
                sb.append('>');
            }
            else if (kind < 5)
            {
                sb.append('*');
            }
            else
            {
                sb.append(literals[random.nextInt(literals.length)]);
            }
        }
        final String pattern = sb.toString();
        Subjects.validatePattern(pattern);
        return pattern;
    }

    private static List<String> allSubjects(final String[] literals, final int maxTokens)
    {
        final List<String> subjects = new ArrayList<>();
        List<String> level = List.of("");
        for (int t = 1; t <= maxTokens; t++)
        {
            final List<String> next = new ArrayList<>();
            for (final String prefix : level)
            {
                for (final String literal : literals)
                {
                    next.add(prefix.isEmpty() ? literal : prefix + "." + literal);
                }
            }
            subjects.addAll(next);
            level = next;
        }
        return subjects;
    }
}
