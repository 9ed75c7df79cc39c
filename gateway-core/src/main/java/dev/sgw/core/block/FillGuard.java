package dev.sgw.core.block;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides whether bytes fetched from the bucket may still be kept as a clean copy of a chunk.
 *
 * <p>The hazard: a reader GETs chunk {@code i} (old bytes); meanwhile a write to {@code i} is uploaded,
 * the chunk turns clean and is evicted; then the reader stores its old bytes as a clean chunk and later
 * reads serve them. Every change of a chunk object in the bucket goes through {@link #changing}/
 * {@link #changed} (the uploader's PUT or DELETE, a write-through PUT), so a fetch that began with
 * {@link #stamp} keeps its bytes only if no change of that chunk was in flight when it began and none
 * began since. The check and the keeping happen under the chunk's stripe lock, which {@link #changing}
 * also takes, so no change can slip in between.
 *
 * <p>Chunks share {@value #STRIPES} stripes by index; a change of another chunk on the same stripe only
 * makes a fetch throw its copy away (it is still served), never keeps a stale one.
 */
final class FillGuard {
    static final int STRIPES = 4096;
    /** What {@link #stamp} returns when a change is in flight: no fetch started now may be kept. */
    static final long UNSAFE = -1;

    private final AtomicLongArray started = new AtomicLongArray(STRIPES);
    private final AtomicLongArray finished = new AtomicLongArray(STRIPES);
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    /** Keeps fetched bytes (fills a cache); runs under the stripe lock. */
    @FunctionalInterface
    interface Keep {
        void keep() throws IOException;
    }

    FillGuard() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    private static int stripe(long index) {
        return (int) (index & (STRIPES - 1));
    }

    /** Taken before a fetch of chunk {@code index} starts. */
    long stamp(long index) {
        int s = stripe(index);
        long done = finished.get(s); // first: started >= finished at any instant
        long begun = started.get(s);
        return begun == done ? begun : UNSAFE;
    }

    /** A change of chunk {@code index}'s object in the bucket is about to be sent. */
    void changing(long index) {
        ReentrantLock lock = locks[stripe(index)];
        lock.lock();
        try {
            started.incrementAndGet(stripe(index));
        } finally {
            lock.unlock();
        }
    }

    /** The change announced by {@link #changing} is over, whether it succeeded or not. */
    void changed(long index) {
        finished.incrementAndGet(stripe(index));
    }

    /**
     * Runs {@code keep} if bytes fetched since {@code stamp} are still current.
     *
     * @return whether they were current (and {@code keep} ran)
     */
    boolean keepIfCurrent(long index, long stamp, Keep keep) throws IOException {
        if (stamp == UNSAFE) {
            return false;
        }
        int s = stripe(index);
        ReentrantLock lock = locks[s];
        lock.lock();
        try {
            if (started.get(s) != stamp) {
                return false;
            }
            keep.keep();
            return true;
        } finally {
            lock.unlock();
        }
    }
}
