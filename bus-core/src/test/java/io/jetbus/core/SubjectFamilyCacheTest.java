package io.jetbus.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectFamilyCacheTest
{
    private final SubjectFamilyCache<String> cache = new SubjectFamilyCache<>(1024);

    @Test
    void shouldLookUpFamilyByRegionOfAnySubjectInIt()
    {
        assertThat(cache.putIfAbsent("_INBOX.b1-7.1", 12, "seven")).isEqualTo("seven");
        assertThat(cache.putIfAbsent("_INBOX.b1-8.1", 12, "eight")).isEqualTo("eight");

        assertThat(cache.get("_INBOX.b1-7.zz", 12)).isEqualTo("seven");
        assertThat(cache.get("_INBOX.b1-8.k3", 12)).isEqualTo("eight");
        assertThat(cache.get("_INBOX.b1-9.k3", 12)).isNull();
        assertThat(cache.get("_INBOX.b1-70.k3", 13)).isNull();
        assertThat(cache.putIfAbsent("_INBOX.b1-7.2", 12, "other")).as("the first one stays").isEqualTo("seven");
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void shouldDropOnlyTheSelectedFamilies()
    {
        for (int i = 0; i < 200; i++)
        {
            final String subject = "_INBOX.b1-" + i + ".1";
            cache.putIfAbsent(subject, subject.length() - 1, "v" + i);
        }

        cache.removeIf(family -> family.endsWith("7."));

        assertThat(cache.size()).isEqualTo(180);
        assertThat(cache.get("_INBOX.b1-17.1", 13)).isNull();
        assertThat(cache.get("_INBOX.b1-18.1", 13)).isEqualTo("v18");
    }

    @Test
    void shouldStayBoundedWhenFamiliesKeepComing()
    {
        final SubjectFamilyCache<String> small = new SubjectFamilyCache<>(64);
        for (int i = 0; i < 10_000; i++)
        {
            final String subject = "_INBOX.b1-" + i + ".1";
            assertThat(small.putIfAbsent(subject, subject.length() - 1, "v" + i)).isEqualTo("v" + i);
            assertThat(small.get(subject, subject.length() - 1)).isEqualTo("v" + i);
        }
        assertThat(small.size()).isLessThanOrEqualTo(64);
    }
}
