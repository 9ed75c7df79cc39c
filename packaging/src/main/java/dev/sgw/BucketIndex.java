package dev.sgw;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The objects of one bucket in key order, in memory, as a listing shows them: what {@link IndexedBlobStore}
 * answers list requests from. Keys are ordered as Java strings order them (UTF-16 code units), as S3Proxy's
 * filesystem store orders its listings. Thread-safe: entries change one at a time while lists run; a list
 * is weakly consistent, so it shows every change made before it started and none undone before it started,
 * and may or may not show a change made while it runs.
 */
final class BucketIndex {

    /**
     * What a listing shows of an object besides its key.
     *
     * @param etag        as the store reports it, unquoted; {@code null} if unknown
     * @param storageTier the stored storage class name, {@code null} for the default
     */
    record Entry(long size, long lastModifiedMillis, String etag, String storageTier) {}

    /**
     * One page of a listing: objects and common prefixes, each in key order, and the name of the last
     * entry of the page when more follow ({@code null} on the last page). The next page starts after it.
     */
    record Page(List<Map.Entry<String, Entry>> objects, List<String> commonPrefixes, String nextMarker) {}

    private final ConcurrentSkipListMap<String, Entry> entries = new ConcurrentSkipListMap<>();

    void put(String key, Entry entry) {
        entries.put(key, entry);
    }

    void remove(String key) {
        entries.remove(key);
    }

    Entry get(String key) {
        return entries.get(key);
    }

    int size() {
        return entries.size();
    }

    /**
     * A page of the keys starting with {@code prefix} and greater than {@code marker} (all when
     * {@code null}), at most {@code maxKeys} entries. With a {@code delimiter}, the keys that contain it
     * after the prefix are rolled up into one common prefix each (up to and including the delimiter),
     * counted as one entry; a common prefix is shown only when it is itself greater than the marker, so a
     * page that ended on a common prefix is followed by the keys past all of it.
     */
    Page list(String prefix, String delimiter, String marker, int maxKeys) {
        List<Map.Entry<String, Entry>> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        if (maxKeys <= 0) {
            return new Page(objects, prefixes, null);
        }
        boolean afterMarker = marker != null && marker.compareTo(prefix) >= 0;
        Iterator<Map.Entry<String, Entry>> cursor = afterMarker
                ? entries.tailMap(marker, false).entrySet().iterator()
                : entries.tailMap(prefix, true).entrySet().iterator();
        String last = null;
        while (cursor.hasNext()) {
            Map.Entry<String, Entry> next = cursor.next();
            String key = next.getKey();
            if (!key.startsWith(prefix)) {
                break;
            }
            int at = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
            if (at >= 0) {
                String common = key.substring(0, at + delimiter.length());
                if (marker == null || common.compareTo(marker) > 0) {
                    if (objects.size() + prefixes.size() == maxKeys) {
                        return new Page(objects, prefixes, last);
                    }
                    prefixes.add(common);
                    last = common;
                }
                String past = pastAllStartingWith(common);
                if (past == null) {
                    break;
                }
                cursor = entries.tailMap(past, true).entrySet().iterator();
                continue;
            }
            if (objects.size() + prefixes.size() == maxKeys) {
                return new Page(objects, prefixes, last);
            }
            objects.add(next);
            last = key;
        }
        return new Page(objects, prefixes, null);
    }

    /** The least string greater than every string that starts with {@code prefix}; null if there is none. */
    static String pastAllStartingWith(String prefix) {
        for (int i = prefix.length() - 1; i >= 0; i--) {
            char c = prefix.charAt(i);
            if (c != Character.MAX_VALUE) {
                return prefix.substring(0, i) + (char) (c + 1);
            }
        }
        return null;
    }
}
