package dev.sgw.core.meta;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out increasing 64-bit ids (inode numbers, journal sequence numbers) that are never handed out
 * twice, even across crashes. Get one from {@link MetadataStore#idAllocator(int, String)}.
 *
 * <p>How: its counter key holds a high-water mark H, and no id {@code >= H} has ever been handed out.
 * Ids are reserved a block at a time: before handing out the first id of a block the allocator raises
 * H past the block with a {@link Durability#DURABLE} update; the ids of the block then cost no I/O.
 * After a crash it restarts at H, so the unused rest of the last block is skipped, never repeated.
 * The first id of a fresh counter is {@value #FIRST_ID}; ids only grow, with gaps after restarts.
 *
 * <table>
 *   <caption>States</caption>
 *   <tr><th>state</th><th>meaning</th></tr>
 *   <tr><td>RESERVED</td><td>{@code next < limit}: ids in {@code [next, limit)} are covered by the
 *       stored mark and go out without I/O</td></tr>
 *   <tr><td>EXHAUSTED</td><td>{@code next == limit}: the next call first stores the mark
 *       {@code limit + blockSize} durably (initial state after open)</td></tr>
 *   <tr><td>RETIRED</td><td>its volume was deleted or the store closed: {@link #next()} throws</td></tr>
 * </table>
 *
 * <p>Thread-safe; callers get distinct ids.
 */
public final class IdAllocator {
    /** The first id a fresh counter hands out (0 stays free as a "none" value for its users). */
    public static final long FIRST_ID = 1;

    private final MetadataStore store;
    private final MetaKey counterKey;
    private final int blockSize;
    private final ReentrantLock lock = new ReentrantLock(); // not a monitor: next() may do I/O
    private long next; // guarded by lock
    private long limit; // guarded by lock; the stored mark
    private String retiredBecause; // guarded by lock; null while usable

    IdAllocator(MetadataStore store, MetaKey counterKey, int blockSize, long storedMark) {
        this.store = store;
        this.counterKey = counterKey;
        this.blockSize = blockSize;
        this.next = storedMark;
        this.limit = storedMark;
    }

    /** A fresh id, greater than every id this counter handed out before (in this run or any earlier). */
    public long next() throws MetadataStoreException {
        lock.lock();
        try {
            if (retiredBecause != null) {
                throw new MetadataStoreException("id allocator " + counterKey + " is retired: " + retiredBecause);
            }
            if (next == limit) {
                long newLimit = limit + blockSize;
                if (newLimit < limit) {
                    throw new MetadataStoreException("id allocator " + counterKey + " ran out of ids");
                }
                byte[] mark = ByteBuffer.allocate(Long.BYTES).putLong(newLimit).array();
                store.update(batch -> batch.put(counterKey, mark), Durability.DURABLE);
                limit = newLimit;
            }
            return next++;
        } finally {
            lock.unlock();
        }
    }

    /** The counter holding this allocator's high-water mark. */
    public MetaKey counterKey() {
        return counterKey;
    }

    /** Makes every later {@link #next()} fail; waits for a running one to finish. */
    void retire(String because) {
        lock.lock();
        try {
            retiredBecause = because;
        } finally {
            lock.unlock();
        }
    }

    /** Reads a stored mark. */
    static long decode(MetaKey counterKey, byte[] value) {
        if (value.length != Long.BYTES) {
            throw new IllegalStateException(
                    "id counter " + counterKey + " holds " + value.length + " bytes, not a 64-bit high-water mark");
        }
        long mark = ByteBuffer.wrap(value).getLong();
        if (mark < FIRST_ID) {
            throw new IllegalStateException("id counter " + counterKey + " holds mark " + mark);
        }
        return mark;
    }
}
