package dev.sgw;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The listing rules of {@link BucketIndex}, on cases S3Proxy's filesystem store cannot be asked about. */
class BucketIndexTest {

    private final BucketIndex index = new BucketIndex();

    private void keys(String... keys) {
        for (String key : keys) {
            index.put(key, new BucketIndex.Entry(key.length(), 1_000L, "e-" + key, null));
        }
    }

    /** Every page's entries as "key" for objects and "key*" for common prefixes, pages split by "|". */
    private String pages(String prefix, String delimiter, String marker, int maxKeys) {
        List<String> out = new ArrayList<>();
        String next = marker;
        for (int i = 0; i < 100; i++) {
            BucketIndex.Page page = index.list(prefix, delimiter, next, maxKeys);
            List<String> names = new ArrayList<>();
            page.objects().stream().map(Map.Entry::getKey).forEach(names::add);
            page.commonPrefixes().forEach(p -> names.add(p + "*"));
            names.sort(String::compareTo);
            out.add(String.join(",", names));
            if (page.nextMarker() == null) {
                return String.join("|", out);
            }
            next = page.nextMarker();
        }
        throw new AssertionError("listing did not end");
    }

    @Test
    void anyDelimiterRollsUpAfterThePrefix() {
        keys("log-2024-01", "log-2024-02", "log-2025-01", "log", "other");
        assertThat(pages("log-", "-", null, 1000)).isEqualTo("log-2024-*,log-2025-*");
        assertThat(pages("", "-", null, 1000)).isEqualTo("log,log-*,other");
        assertThat(pages("log-2024", "-", null, 1)).isEqualTo("log-2024-*");
        assertThat(pages("", "--", null, 1000)).isEqualTo("log,log-2024-01,log-2024-02,log-2025-01,other");
    }

    @Test
    void markersBeforeInsideAndPastThePrefix() {
        keys("a/1", "a/2", "a/3", "b/1");
        assertThat(pages("a/", null, "0", 2)).isEqualTo("a/1,a/2|a/3");
        assertThat(pages("a/", null, "a/1", 2)).isEqualTo("a/2,a/3");
        assertThat(pages("a/", null, "a/3", 2)).isEqualTo("");
        assertThat(pages("a/", null, "b", 2)).isEqualTo("");
        assertThat(pages("", "/", "a/", 5)).isEqualTo("b/*");
        assertThat(pages("", "/", "a/2", 5)).isEqualTo("b/*"); // a/ sorts before the marker
    }

    @Test
    void aFullPageIsTruncatedOnlyWhenMoreFollow() {
        keys("k1", "k2", "k3");
        assertThat(index.list("", null, null, 3).nextMarker()).isNull();
        assertThat(index.list("", null, null, 2).nextMarker()).isEqualTo("k2");
        assertThat(index.list("", null, null, 0).objects()).isEmpty();
        assertThat(index.list("k", null, null, 2).objects())
                .extracting(Map.Entry::getValue)
                .extracting(BucketIndex.Entry::etag)
                .containsExactly("e-k1", "e-k2");
    }

    @Test
    void rollingUpSkipsPastKeysEndingInTheHighestCharacter() {
        keys("p/\uffff/a", "p/\uffff/b", "p/\uffff\uffff", "q");
        assertThat(pages("p/", "/", null, 1)).isEqualTo("p/\uffff/*|p/\uffff\uffff");
        assertThat(BucketIndex.pastAllStartingWith("a/")).isEqualTo("a0");
        assertThat(BucketIndex.pastAllStartingWith("a\uffff")).isEqualTo("b");
        assertThat(BucketIndex.pastAllStartingWith("\uffff\uffff")).isNull();
    }
}
