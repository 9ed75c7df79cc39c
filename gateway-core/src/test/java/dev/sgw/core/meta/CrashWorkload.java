package dev.sgw.core.meta;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The updates the crash test's child process applies, and the check that a store holds exactly the
 * result of updates 1..L for some L (nothing of update L+1, everything of 1..L).
 *
 * <p>Update {@code n} (with id {@code id} from the allocator) in one batch, across every family that
 * holds keys:
 * <ul>
 *   <li>inserts journal entry {@code n} and slot {@code n} of directory 2, and deletes both of
 *       {@code n - 10} (a sliding window of 10);</li>
 *   <li>overwrites inode {@code n % 16} and directory entry {@code "f" + n % 7};</li>
 *   <li>adds slot {@code n} of directory 7, first clearing that directory's slots with a range delete
 *       when {@code n % 20 == 0};</li>
 *   <li>sets counter {@code last} to {@code n}.</li>
 * </ul>
 * Every value is {@link #value(long, long)}, which names the update and its id.
 */
final class CrashWorkload {
    static final int VOLUME = 5;
    static final String ID_COUNTER = "crash-ids";
    static final MetaKey LAST = MetaKeys.counter(VOLUME, "last");
    static final int WINDOW = 10;
    static final int INODES = 16;
    static final int NAMES = 7;
    static final long WINDOW_DIR = 2;
    static final long CLEARED_DIR = 7;
    static final int TRUNCATE_EVERY = 20;
    private static final int PADDING = 200;

    /** Small memtables so that flushes happen (and get killed) during the test. */
    static final MetadataStore.Tuning TUNING = new MetadataStore.Tuning(4L << 20, 1L << 20, 5);

    private CrashWorkload() {}

    static void fill(MetaBatch b, long n, long id) throws MetadataStoreException {
        byte[] v = value(n, id);
        b.put(MetaKeys.journalEntry(VOLUME, n), v);
        b.put(MetaKeys.dirSlot(VOLUME, WINDOW_DIR, n), v);
        if (n > WINDOW) {
            b.delete(MetaKeys.journalEntry(VOLUME, n - WINDOW));
            b.delete(MetaKeys.dirSlot(VOLUME, WINDOW_DIR, n - WINDOW));
        }
        b.put(MetaKeys.inode(VOLUME, n % INODES), v);
        b.put(MetaKeys.dirEntry(VOLUME, 1, "f" + n % NAMES), v);
        if (n % TRUNCATE_EVERY == 0) {
            b.deleteRange(MetaKeys.dirSlots(VOLUME, CLEARED_DIR));
        }
        b.put(MetaKeys.dirSlot(VOLUME, CLEARED_DIR, n), v);
        b.put(LAST, TestValues.u64(n));
    }

    /** {@code n}, {@code id}, then padding derived from both (so a mixed-up value is noticed). */
    static byte[] value(long n, long id) {
        ByteBuffer b = ByteBuffer.allocate(16 + PADDING).putLong(n).putLong(id);
        long x = n * 0x9E3779B97F4A7C15L ^ id;
        while (b.hasRemaining()) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b.put((byte) x);
        }
        return b.array();
    }

    /** What {@link #verify} found: the last update applied and the ids of the updates still visible. */
    record Found(long last, TreeMap<Long, Long> idByUpdate) {
        long maxId() {
            return idByUpdate.isEmpty() ? 0 : idByUpdate.lastEntry().getValue();
        }
    }

    /**
     * Checks that {@code reader} holds exactly the state after updates {@code 1..L}, where L is the
     * stored {@code last} counter, and that ids grow with update numbers.
     *
     * @throws AssertionError naming the first difference
     */
    static Found verify(MetaReader reader) throws MetadataStoreException {
        long last = reader.get(LAST).map(TestValues::u64).orElse(0L);
        TreeMap<Long, Long> ids = new TreeMap<>();

        List<Long> journal = updates(reader, MetaKeys.journal(VOLUME), ids);
        List<Long> slots = updates(reader, MetaKeys.dirSlots(VOLUME, WINDOW_DIR), ids);
        List<Long> window = range(Math.max(1, last - WINDOW + 1), last);
        expect(journal.equals(window), "journal entries " + journal + " after update " + last + ", expected " + window);
        expect(slots.equals(window), "directory slots " + slots + " after update " + last + ", expected " + window);

        Map<Long, Long> inodes = latestBy(reader, MetaKeys.inodes(VOLUME), ids);
        Map<Long, Long> expectedInodes = new TreeMap<>();
        for (long n : range(Math.max(1, last - INODES + 1), last)) {
            expectedInodes.put(n % INODES, n);
        }
        expect(
                inodes.equals(expectedInodes),
                "inodes " + inodes + " after update " + last + ", expected " + expectedInodes);

        Map<Long, Long> names = latestBy(reader, MetaKeys.dirEntries(VOLUME, 1), ids);
        Map<Long, Long> expectedNames = new TreeMap<>();
        for (long n : range(Math.max(1, last - NAMES + 1), last)) {
            expectedNames.put(n % NAMES, n);
        }
        expect(
                names.equals(expectedNames),
                "directory entries (name suffix -> update) " + names + " after update " + last + ", expected "
                        + expectedNames);

        List<Long> cleared = updates(reader, MetaKeys.dirSlots(VOLUME, CLEARED_DIR), ids);
        long firstSlot = last >= TRUNCATE_EVERY ? last - last % TRUNCATE_EVERY : 1;
        List<Long> expectedCleared = range(firstSlot, last);
        expect(
                cleared.equals(expectedCleared),
                "slots of the cleared directory " + cleared + " after update " + last + ", expected "
                        + expectedCleared);

        long previous = 0;
        for (Map.Entry<Long, Long> e : ids.entrySet()) {
            expect(
                    e.getValue() > previous,
                    "id " + e.getValue() + " of update " + e.getKey() + " is not above the id of an earlier update: "
                            + ids);
            previous = e.getValue();
        }
        return new Found(last, ids);
    }

    /** The update numbers of the values in {@code range}, in key order, recording their ids. */
    private static List<Long> updates(MetaReader reader, KeyRange range, TreeMap<Long, Long> ids)
            throws MetadataStoreException {
        List<Long> found = new ArrayList<>();
        try (MetaScan scan = reader.scan(range)) {
            while (scan.next()) {
                found.add(record(scan.key(), scan.value(), ids));
            }
        }
        return found;
    }

    /** Map from the key's slot (inode number or name suffix) to the update that wrote it. */
    private static Map<Long, Long> latestBy(MetaReader reader, KeyRange range, TreeMap<Long, Long> ids)
            throws MetadataStoreException {
        Map<Long, Long> found = new TreeMap<>();
        try (MetaScan scan = reader.scan(range)) {
            while (scan.next()) {
                long slot = switch (MetaKeys.parse(scan.key())) {
                    case MetaKeys.Inode i -> i.inode();
                    case MetaKeys.DirEntry d -> Long.parseLong(d.name().substring(1));
                    default -> throw new AssertionError("unexpected key " + scan.key());
                };
                found.put(slot, record(scan.key(), scan.value(), ids));
            }
        }
        return found;
    }

    private static long record(MetaKey key, byte[] value, TreeMap<Long, Long> ids) {
        expect(value.length >= 16, "value of " + key + " has " + value.length + " bytes");
        ByteBuffer b = ByteBuffer.wrap(value);
        long n = b.getLong();
        long id = b.getLong();
        expect(Arrays.equals(value, value(n, id)), "value of " + key + " is corrupt");
        Long known = ids.putIfAbsent(n, id);
        expect(known == null || known == id, "update " + n + " has ids " + known + " and " + id);
        return n;
    }

    private static List<Long> range(long from, long to) {
        List<Long> r = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            r.add(n);
        }
        return r;
    }

    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }
}
