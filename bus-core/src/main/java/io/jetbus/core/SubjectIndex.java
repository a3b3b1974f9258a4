package io.jetbus.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The subject index: which subscriptions (plain, or members of queue groups) a published subject reaches, with NATS
 * semantics. Safe for concurrent use.
 *
 * <p><b>Trie.</b> Patterns are stored in a token trie: each node has its literal children (a {@link SubjectTokenMap}),
 * a {@code *} child and a {@code >} child, and holds the entries whose pattern ends there, plain ones in a list and
 * queue ones grouped by queue name. {@link #match(String)} walks the trie one token at a time by index arithmetic
 * over the subject, keeping the set of nodes still alive after each token (a literal and a {@code *} branch can both
 * continue); a {@code >} child takes every remaining token, so it needs at least one.
 *
 * <p><b>Entries.</b> Each {@link #add} makes one entry, counted once wherever it matches. Adding the same value under
 * two patterns that both match a subject, or twice under one pattern, makes it appear twice in the result, as two
 * NATS subscriptions of one client each get the message; {@link #remove} removes one entry. Queue entries are merged
 * by queue name over all matching patterns, as nats-server's sublist does: {@code foo.*} and {@code foo.bar} in queue
 * {@code q} form one group {@code q} for {@code foo.bar}, and each message goes to one of its members.
 *
 * <p><b>Cache and locking.</b> A {@link ConcurrentHashMap} from subject to its immutable {@link Result} makes a hot
 * subject cost one hash lookup, lock-free and allocation-free. A miss walks the trie under the read lock and caches
 * the result under the same read lock. {@link #add} and {@link #remove} change the trie under the write lock and,
 * before releasing it, drop the cached subjects the changed pattern matches (only the pattern itself when it is
 * literal). So a result can enter the cache only while no mutation runs, and every mutation removes the results it
 * makes stale: a match that starts after {@code add} or {@code remove} returned sees the change.
 *
 * <p><b>Cache bound.</b> When the cache holds {@code cacheCapacity} subjects, a miss first drops about a quarter of
 * them, chosen at random so that no subject is favoured (nats-server sweeps its cache the same way); a dropped hot
 * subject costs one more trie walk. Concurrent misses may overshoot the bound by the number of threads. A capacity of
 * zero disables the cache.
 *
 * <p><b>Inbox families.</b> Replies go to subjects made for one message each, {@code _INBOX.<bus>-<conn>.<token>}:
 * cached by subject, every reply would miss, walk the trie and then push a useful subject out of the cache. So a
 * subject that starts with {@code _INBOX.} is first looked up by its <em>family</em>, the subject without its last
 * token ({@code _INBOX.<bus>-<conn>.}), in a {@link SubjectFamilyCache}: a lock-free lookup of a region of the
 * subject, with no allocation, and one entry per connection however many requests it makes. The family's result is
 * what every subject of the family reaches when that does not depend on the last token: the entries under a
 * {@code *} or {@code >} child of the nodes the family's tokens reach (the connection's own {@code <prefix>*}, a
 * user's {@code _INBOX.>}), in a walk that never looks at the last token. It is exact only if none of those nodes has
 * a literal child holding entries ({@code _INBOX.<bus>-<conn>.k3} subscribed literally, or {@code _INBOX.*.k3}); the
 * walk checks that, and a family for which it fails is cached as mixed, and its subjects take the ordinary path
 * below, cached by subject as before. {@link #add} and {@link #remove} drop, under the write lock, every family with
 * a subject the pattern matches ({@link #matchesFamily}), so the family results keep the guarantees of the subject
 * cache. The family cache holds about {@code min(cacheCapacity, }{@value #FAMILY_CAPACITY}{@code )} families and is
 * disabled with the subject cache. This keeps NATS semantics exactly while a reply costs one hash of its family, no
 * lock and no allocation: the simpler choice, never caching {@code _INBOX.} subjects, would still take the read lock,
 * walk the trie and build a result for every reply, and would stop caching the long-lived inboxes of
 * {@code createInbox()}.
 *
 * @param <T> the subscription type; entries are compared by identity.
 */
final class SubjectIndex<T>
{
    /** The most inbox families cached. */
    static final int FAMILY_CAPACITY = 4096;

    private static final String INBOX_PREFIX = "_INBOX.";

    /** The family result of a family whose subjects' results depend on their last token: look them up one by one. */
    private static final Result<?> MIXED = new Result<>(Result.NO_VALUES, new String[0], new Object[0][]);

    private final ReentrantReadWriteLock.ReadLock readLock;
    private final ReentrantReadWriteLock.WriteLock writeLock;
    private final ConcurrentHashMap<String, Result<T>> cache = new ConcurrentHashMap<>();
    private final int cacheCapacity;
    private final SubjectFamilyCache<Result<T>> families;
    private final Node<T> root = new Node<>();
    private int size;

    /**
     * An empty index.
     *
     * @param cacheCapacity the most subjects whose results are cached, or zero for no cache.
     */
    SubjectIndex(final int cacheCapacity)
    {
        if (cacheCapacity < 0)
        {
            throw new IllegalArgumentException("cacheCapacity must be >= 0: " + cacheCapacity);
        }
        this.cacheCapacity = cacheCapacity;
        families = new SubjectFamilyCache<>(Math.min(cacheCapacity, FAMILY_CAPACITY));
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        readLock = lock.readLock();
        writeLock = lock.writeLock();
    }

    /**
     * Add an entry.
     *
     * @param pattern   a valid subscription pattern (see {@link io.jetbus.api.Subjects#validatePattern}).
     * @param queueName the queue group, or {@code null} for a plain entry.
     * @param value     the subscription.
     */
    void add(final String pattern, final String queueName, final T value)
    {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(value, "value");
        writeLock.lock();
        try
        {
            final int length = pattern.length();
            Node<T> node = root;
            int start = 0;
            while (start <= length)
            {
                final int end = tokenEnd(pattern, start);
                node = node.childOrCreate(pattern, start, end);
                start = end + 1;
            }
            node.addEntry(queueName, value);
            size++;
            invalidate(pattern);
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * Remove one entry of the value under this pattern and queue, and prune the trie nodes left empty.
     *
     * @param pattern   the pattern it was added with.
     * @param queueName the queue group it was added with, or {@code null}.
     * @param value     the subscription, compared by identity.
     * @return {@code true} if such an entry was found and removed.
     */
    boolean remove(final String pattern, final String queueName, final T value)
    {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(value, "value");
        writeLock.lock();
        try
        {
            final int length = pattern.length();
            final int depth = tokenCount(pattern);
            @SuppressWarnings("unchecked") // generic array of the private Node type, never exposed
            final Node<T>[] path = (Node<T>[])new Node<?>[depth + 1];
            final int[] starts = new int[depth];
            path[0] = root;
            int start = 0;
            for (int d = 0; d < depth; d++)
            {
                final int end = tokenEnd(pattern, start);
                final Node<T> child = path[d].child(pattern, start, end);
                if (child == null)
                {
                    return false;
                }
                starts[d] = start;
                path[d + 1] = child;
                start = end + 1;
            }
            if (!path[depth].removeEntry(queueName, value))
            {
                return false;
            }
            size--;
            for (int d = depth; d > 0 && path[d].isEmpty(); d--)
            {
                path[d - 1].removeChild(pattern, starts[d - 1], tokenEnd(pattern, starts[d - 1]));
            }
            invalidate(pattern);
            return true;
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * The entries a subject reaches.
     *
     * @param subject a valid literal subject (see {@link io.jetbus.api.Subjects#validatePublish}).
     * @return the result, shared and immutable; {@link Result#empty()} when nothing matches.
     */
    Result<T> match(final String subject)
    {
        if (cacheCapacity > 0 && subject.startsWith(INBOX_PREFIX))
        {
            final int familyEnd = subject.lastIndexOf('.') + 1;
            Result<T> family = families.get(subject, familyEnd);
            if (family == null)
            {
                family = matchFamily(subject, familyEnd);
            }
            if (family != MIXED)
            {
                return family;
            }
        }
        Result<T> result = cache.get(subject);
        if (result != null)
        {
            return result;
        }
        readLock.lock();
        try
        {
            result = cache.get(subject);
            if (result == null)
            {
                result = walk(subject, false);
                if (cacheCapacity > 0)
                {
                    if (cache.size() >= cacheCapacity)
                    {
                        evict();
                    }
                    final Result<T> raced = cache.putIfAbsent(subject, result);
                    if (raced != null)
                    {
                        // Computed under the same read lock, so equal; share one instance for round-robin.
                        result = raced;
                    }
                }
            }
            return result;
        }
        finally
        {
            readLock.unlock();
        }
    }

    /**
     * The result of the family {@code subject[0, familyEnd)}, computed and cached: see the class javadoc.
     *
     * @return the result every subject of the family reaches, or {@link #MIXED}.
     */
    private Result<T> matchFamily(final String subject, final int familyEnd)
    {
        readLock.lock();
        try
        {
            final Result<T> known = families.get(subject, familyEnd);
            if (known != null)
            {
                return known;
            }
            final Result<T> result = walk(subject, true);
            return families.putIfAbsent(subject, familyEnd, result != null ? result : mixed());
        }
        finally
        {
            readLock.unlock();
        }
    }

    /**
     * The number of entries.
     *
     * @return entries added and not yet removed.
     */
    int size()
    {
        readLock.lock();
        try
        {
            return size;
        }
        finally
        {
            readLock.unlock();
        }
    }

    /**
     * The number of subjects whose results are cached now.
     *
     * @return the cache size.
     */
    int cachedSubjects()
    {
        return cache.size();
    }

    /**
     * The number of subject families whose results are cached now, mixed ones included.
     *
     * @return the family cache size.
     */
    int cachedFamilies()
    {
        return families.size();
    }

    /**
     * The number of trie nodes, the root included: 1 when the index is empty and fully pruned. For tests.
     *
     * @return the node count.
     */
    int nodeCount()
    {
        readLock.lock();
        try
        {
            int count = 0;
            final ArrayDeque<Node<T>> stack = new ArrayDeque<>();
            stack.push(root);
            while (!stack.isEmpty())
            {
                final Node<T> node = stack.pop();
                count++;
                if (node.literals != null)
                {
                    node.literals.addValuesTo(stack);
                }
                if (node.star != null)
                {
                    stack.push(node.star);
                }
                if (node.fwc != null)
                {
                    stack.push(node.fwc);
                }
            }
            return count;
        }
        finally
        {
            readLock.unlock();
        }
    }

    /**
     * Walk the trie for a subject.
     *
     * @param subject      a valid literal subject.
     * @param anyLastToken whether to ignore the last token, for a family: follow only the {@code *} and {@code >}
     *                     children at the last step, and give up if a literal child there holds entries.
     * @return the result; {@code null} only when {@code anyLastToken} and it would depend on the last token.
     */
    private Result<T> walk(final String subject, final boolean anyLastToken)
    {
        final int length = subject.length();
        final Collector<T> collector = new Collector<>();
        ArrayList<Node<T>> current = new ArrayList<>();
        ArrayList<Node<T>> next = new ArrayList<>();
        current.add(root);
        int start = 0;
        while (true)
        {
            final int end = tokenEnd(subject, start);
            final boolean last = end == length;
            for (int i = 0, n = current.size(); i < n; i++)
            {
                final Node<T> node = current.get(i);
                if (node.fwc != null)
                {
                    collector.collect(node.fwc);
                }
                if (node.star != null)
                {
                    next.add(node.star);
                }
                if (last && anyLastToken)
                {
                    if (node.literals != null && node.literals.anyValue(Node::hasEntries))
                    {
                        return null;
                    }
                    continue;
                }
                final Node<T> literal = node.literalChild(subject, start, end);
                if (literal != null)
                {
                    next.add(literal);
                }
            }
            if (last)
            {
                for (int i = 0, n = next.size(); i < n; i++)
                {
                    collector.collect(next.get(i));
                }
                return collector.result();
            }
            if (next.isEmpty())
            {
                return collector.result();
            }
            final ArrayList<Node<T>> swap = current;
            current = next;
            next = swap;
            next.clear();
            start = end + 1;
        }
    }

    @SuppressWarnings("unchecked") // MIXED holds no value of any type
    private static <T> Result<T> mixed()
    {
        return (Result<T>)MIXED;
    }

    private void evict()
    {
        final int size = cache.size();
        final int toDrop = size - (cacheCapacity - Math.max(1, cacheCapacity / 4));
        if (toDrop <= 0)
        {
            return;
        }
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        int dropped = 0;
        // Each key goes with probability toDrop / size; a second pass makes up for an unlucky first one.
        for (int pass = 0; pass < 2 && dropped < toDrop; pass++)
        {
            for (final Iterator<String> it = cache.keySet().iterator(); it.hasNext() && dropped < toDrop; )
            {
                it.next();
                if (pass == 1 || random.nextInt(size) < toDrop)
                {
                    it.remove();
                    dropped++;
                }
            }
        }
    }

    private void invalidate(final String pattern)
    {
        if (mayMatchInbox(pattern))
        {
            families.removeIf(family -> matchesFamily(pattern, family));
        }
        if (cache.isEmpty())
        {
            return;
        }
        if (isLiteral(pattern))
        {
            cache.remove(pattern);
            return;
        }
        for (final Iterator<String> it = cache.keySet().iterator(); it.hasNext(); )
        {
            if (matches(pattern, it.next()))
            {
                it.remove();
            }
        }
    }

    /**
     * {@link io.jetbus.api.Subjects#matches} without validating its arguments again.
     */
    static boolean matches(final String pattern, final String subject)
    {
        final int patternLength = pattern.length();
        final int subjectLength = subject.length();
        int p = 0;
        int s = 0;
        while (p <= patternLength && s <= subjectLength)
        {
            final int patternEnd = tokenEnd(pattern, p);
            final int tokenLength = patternEnd - p;
            if (tokenLength == 1 && pattern.charAt(p) == '>')
            {
                return true;
            }
            final int subjectEnd = tokenEnd(subject, s);
            final boolean anyToken = tokenLength == 1 && pattern.charAt(p) == '*';
            if (!anyToken && (tokenLength != subjectEnd - s || !pattern.regionMatches(p, subject, s, tokenLength)))
            {
                return false;
            }
            p = patternEnd + 1;
            s = subjectEnd + 1;
        }
        return p > patternLength && s > subjectLength;
    }

    /**
     * Whether the pattern matches some subject of the family: {@code family} followed by any one token.
     *
     * @param pattern a valid pattern.
     * @param family  a valid subject without its last token, ending with the dot before it.
     */
    static boolean matchesFamily(final String pattern, final String family)
    {
        final int patternLength = pattern.length();
        final int familyLength = family.length();
        int p = 0;
        int f = 0;
        while (f < familyLength)
        {
            if (p > patternLength)
            {
                return false;
            }
            final int patternEnd = tokenEnd(pattern, p);
            final int tokenLength = patternEnd - p;
            if (tokenLength == 1 && pattern.charAt(p) == '>')
            {
                return true;
            }
            final int familyEnd = family.indexOf('.', f);
            final boolean anyToken = tokenLength == 1 && pattern.charAt(p) == '*';
            if (!anyToken && (tokenLength != familyEnd - f || !pattern.regionMatches(p, family, f, tokenLength)))
            {
                return false;
            }
            p = patternEnd + 1;
            f = familyEnd + 1;
        }
        // Past the family's tokens: the pattern must have exactly one more, which matches some last token.
        return p <= patternLength && pattern.indexOf('.', p) < 0;
    }

    /** Whether the pattern can match a subject that starts with {@code _INBOX.}: a cheap filter. */
    private static boolean mayMatchInbox(final String pattern)
    {
        final int end = tokenEnd(pattern, 0);
        if (end == 1)
        {
            return isWildcard(pattern.charAt(0));
        }
        return end == INBOX_PREFIX.length() - 1 && pattern.regionMatches(0, INBOX_PREFIX, 0, end);
    }

    private static boolean isLiteral(final String pattern)
    {
        final int length = pattern.length();
        int start = 0;
        while (start <= length)
        {
            final int end = tokenEnd(pattern, start);
            if (end - start == 1 && isWildcard(pattern.charAt(start)))
            {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    private static boolean isWildcard(final char c)
    {
        return c == '*' || c == '>';
    }

    private static int tokenEnd(final String text, final int start)
    {
        final int end = text.indexOf('.', start);
        return end < 0 ? text.length() : end;
    }

    private static int tokenCount(final String text)
    {
        int count = 1;
        for (int i = 0, length = text.length(); i < length; i++)
        {
            if (text.charAt(i) == '.')
            {
                count++;
            }
        }
        return count;
    }

    /**
     * A trie node. Guarded by the index's lock: read under the read lock, changed under the write lock.
     */
    private static final class Node<T>
    {
        private SubjectTokenMap<Node<T>> literals;
        private Node<T> star;
        private Node<T> fwc;
        private ArrayList<T> plain;
        private LinkedHashMap<String, ArrayList<T>> queues;

        Node<T> literalChild(final String text, final int start, final int end)
        {
            return literals == null ? null : literals.get(text, start, end);
        }

        Node<T> child(final String text, final int start, final int end)
        {
            if (end - start == 1)
            {
                final char c = text.charAt(start);
                if (c == '*')
                {
                    return star;
                }
                if (c == '>')
                {
                    return fwc;
                }
            }
            return literalChild(text, start, end);
        }

        Node<T> childOrCreate(final String text, final int start, final int end)
        {
            Node<T> child = child(text, start, end);
            if (child == null)
            {
                child = new Node<>();
                final char c = text.charAt(start);
                if (end - start == 1 && c == '*')
                {
                    star = child;
                }
                else if (end - start == 1 && c == '>')
                {
                    fwc = child;
                }
                else
                {
                    if (literals == null)
                    {
                        literals = new SubjectTokenMap<>();
                    }
                    literals.put(text.substring(start, end), child);
                }
            }
            return child;
        }

        void removeChild(final String text, final int start, final int end)
        {
            final char c = text.charAt(start);
            if (end - start == 1 && c == '*')
            {
                star = null;
            }
            else if (end - start == 1 && c == '>')
            {
                fwc = null;
            }
            else if (literals != null)
            {
                literals.remove(text, start, end);
                if (literals.isEmpty())
                {
                    literals = null;
                }
            }
        }

        void addEntry(final String queueName, final T value)
        {
            if (queueName == null)
            {
                if (plain == null)
                {
                    plain = new ArrayList<>(2);
                }
                plain.add(value);
            }
            else
            {
                if (queues == null)
                {
                    queues = new LinkedHashMap<>();
                }
                queues.computeIfAbsent(queueName, name -> new ArrayList<>(2)).add(value);
            }
        }

        boolean removeEntry(final String queueName, final T value)
        {
            if (queueName == null)
            {
                if (plain == null || !removeIdentity(plain, value))
                {
                    return false;
                }
                if (plain.isEmpty())
                {
                    plain = null;
                }
                return true;
            }
            final ArrayList<T> members = queues == null ? null : queues.get(queueName);
            if (members == null || !removeIdentity(members, value))
            {
                return false;
            }
            if (members.isEmpty())
            {
                queues.remove(queueName);
                if (queues.isEmpty())
                {
                    queues = null;
                }
            }
            return true;
        }

        boolean isEmpty()
        {
            return plain == null && queues == null && literals == null && star == null && fwc == null;
        }

        boolean hasEntries()
        {
            return plain != null || queues != null;
        }

        private static <T> boolean removeIdentity(final ArrayList<T> list, final T value)
        {
            for (int i = list.size() - 1; i >= 0; i--)
            {
                if (list.get(i) == value)
                {
                    list.remove(i);
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Gathers the entries of the matching nodes during one trie walk.
     */
    private static final class Collector<T>
    {
        private ArrayList<T> plain;
        private LinkedHashMap<String, ArrayList<T>> groups;

        void collect(final Node<T> node)
        {
            if (node.plain != null)
            {
                if (plain == null)
                {
                    plain = new ArrayList<>(node.plain.size());
                }
                plain.addAll(node.plain);
            }
            if (node.queues != null)
            {
                if (groups == null)
                {
                    groups = new LinkedHashMap<>();
                }
                for (final Map.Entry<String, ArrayList<T>> entry : node.queues.entrySet())
                {
                    groups.computeIfAbsent(entry.getKey(), name -> new ArrayList<>()).addAll(entry.getValue());
                }
            }
        }

        Result<T> result()
        {
            if (plain == null && groups == null)
            {
                return Result.empty();
            }
            final Object[] plainArray = plain == null ? Result.NO_VALUES : plain.toArray();
            final int groupCount = groups == null ? 0 : groups.size();
            final String[] names = new String[groupCount];
            final Object[][] members = new Object[groupCount][];
            if (groups != null)
            {
                int g = 0;
                for (final Map.Entry<String, ArrayList<T>> entry : groups.entrySet())
                {
                    names[g] = entry.getKey();
                    members[g] = entry.getValue().toArray();
                    g++;
                }
            }
            return new Result<>(plainArray, names, members);
        }
    }

    /**
     * The entries one subject reaches: the plain ones, and the queue groups with their members. Immutable apart from
     * each group's round-robin cursor; iterate it by index, without allocation:
     * <pre>{@code
     * for (int i = 0; i < result.plainCount(); i++) deliver(result.plain(i));
     * for (int g = 0; g < result.groupCount(); g++) deliver(result.pick(g));
     * }</pre>
     * Safe for concurrent use.
     *
     * @param <T> the subscription type.
     */
    static final class Result<T>
    {
        static final Object[] NO_VALUES = new Object[0];

        /**
         * The shared result that reaches nothing.
         */
        static final Result<?> EMPTY = new Result<>(NO_VALUES, new String[0], new Object[0][]);

        private final Object[] plain;
        private final String[] queueNames;
        private final Object[][] members;
        private final AtomicInteger[] cursors;

        Result(final Object[] plain, final String[] queueNames, final Object[][] members)
        {
            this.plain = plain;
            this.queueNames = queueNames;
            this.members = members;
            cursors = new AtomicInteger[members.length];
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int g = 0; g < members.length; g++)
            {
                // A random start, so that a result rebuilt after every invalidation does not favour member 0.
                cursors[g] = new AtomicInteger(random.nextInt(members[g].length));
            }
        }

        /**
         * The shared empty result, typed.
         *
         * @param <T> the subscription type.
         * @return {@link #EMPTY}.
         */
        @SuppressWarnings("unchecked") // EMPTY holds no value of any type
        static <T> Result<T> empty()
        {
            return (Result<T>)EMPTY;
        }

        boolean isEmpty()
        {
            return plain.length == 0 && members.length == 0;
        }

        int plainCount()
        {
            return plain.length;
        }

        @SuppressWarnings("unchecked") // plain holds only T, from Node.plain
        T plain(final int i)
        {
            return (T)plain[i];
        }

        int groupCount()
        {
            return members.length;
        }

        String queueName(final int g)
        {
            return queueNames[g];
        }

        int groupSize(final int g)
        {
            return members[g].length;
        }

        @SuppressWarnings("unchecked") // members holds only T, from Node.queues
        T member(final int g, final int i)
        {
            return (T)members[g][i];
        }

        /**
         * One member of a queue group, round-robin: over any n * groupSize consecutive picks each member is picked
         * n times, whichever threads pick (the int cursor wraps once every 2^32 picks, a negligible skew).
         *
         * @param g the group index.
         * @return the member to deliver to.
         */
        @SuppressWarnings("unchecked") // members holds only T, from Node.queues
        T pick(final int g)
        {
            final Object[] group = members[g];
            return (T)group[Math.floorMod(cursors[g].getAndIncrement(), group.length)];
        }

        @Override
        public String toString()
        {
            final StringBuilder sb = new StringBuilder("Result{plain=").append(Arrays.toString(plain));
            for (int g = 0; g < members.length; g++)
            {
                sb.append(", ").append(queueNames[g]).append('=').append(Arrays.toString(members[g]));
            }
            return sb.append('}').toString();
        }
    }
}
