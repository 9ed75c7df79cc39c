package dev.sgw.cache;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cache's space budget: bytes used by chunks plus bytes reserved by writes in progress, never above
 * the capacity. A reservation that does not fit first asks the {@link Evictor} to free clean chunks, then
 * (if it may wait) sleeps until bytes are released or chunks become evictable.
 *
 * <p>The lock here guards arithmetic only; it is never held while evicting, doing I/O or taking a chunk
 * lock. The evictor is called with no lock of this class held.
 */
final class SpaceAccount {

    /** Frees room by evicting clean chunks; each eviction calls {@link #release}. */
    interface Evictor {
        /** Tries to free at least {@code bytes}; returns the bytes actually freed (0 if nothing could be). */
        long evict(long bytes);
    }

    /** How often a waiting writer retries eviction even without a signal (a busy clean chunk gets free). */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LongAdder waits = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private Evictor evictor = bytes -> 0;
    private long used;
    private int waiters;

    SpaceAccount(long capacity) {
        this.capacity = capacity;
    }

    void setEvictor(Evictor evictor) {
        this.evictor = evictor;
    }

    long capacity() {
        return capacity;
    }

    /** Counts bytes found on disk at open, even past the capacity (eviction and waits bring it back). */
    void addExisting(long bytes) {
        lock.lock();
        try {
            used += bytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reserves {@code bytes} now if they fit, evicting if needed, never waiting. Callable while holding a
     * chunk lock (eviction skips busy chunks).
     *
     * @param yieldToWaiters refuse while some writer waits for space (fills must not starve writers)
     */
    boolean tryReserve(long bytes, boolean yieldToWaiters) {
        if (bytes <= 0) {
            return true;
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            long shortfall;
            lock.lock();
            try {
                if (yieldToWaiters && waiters > 0) {
                    return false;
                }
                if (used + bytes <= capacity) {
                    used += bytes;
                    return true;
                }
                shortfall = used + bytes - capacity;
            } finally {
                lock.unlock();
            }
            if (evictor.evict(shortfall) <= 0) {
                return false;
            }
        }
        return false;
    }

    /**
     * Reserves {@code bytes}, evicting and then waiting up to {@code timeout}. Must be called holding no
     * chunk lock, since uploads must be able to progress meanwhile.
     */
    void reserve(long bytes, Duration timeout) throws CacheFullException, InterruptedIOException {
        if (tryReserve(bytes, false)) {
            return;
        }
        if (!waitFor(bytes, timeout, true)) {
            throw new CacheFullException(bytes, capacity, timeout);
        }
    }

    /** Waits until {@code bytes} would fit, without taking them. */
    boolean awaitFit(long bytes, Duration timeout) throws InterruptedIOException {
        return waitFor(bytes, timeout, false);
    }

    private boolean waitFor(long bytes, Duration timeout, boolean take) throws InterruptedIOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean counted = false;
        lock.lock();
        waiters++;
        try {
            while (true) {
                if (used + bytes <= capacity) {
                    if (take) {
                        used += bytes;
                    }
                    return true;
                }
                long shortfall = used + bytes - capacity;
                lock.unlock();
                long freed;
                try {
                    freed = evictor.evict(shortfall);
                } finally {
                    lock.lock();
                }
                if (freed > 0) {
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (take) {
                        timeouts.increment();
                    }
                    return false;
                }
                if (!counted && take) {
                    counted = true;
                    waits.increment();
                }
                try {
                    changed.awaitNanos(Math.min(left, RETRY_NANOS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for cache space");
                }
            }
        } finally {
            waiters--;
            lock.unlock();
        }
    }

    /** Returns bytes (a chunk shrank or went away, or a reservation was not used) and wakes waiters. */
    void release(long bytes) {
        if (bytes <= 0) {
            return;
        }
        lock.lock();
        try {
            used -= bytes;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes waiters because a chunk became evictable. */
    void evictableAdded() {
        lock.lock();
        try {
            if (waiters > 0) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    long waits() {
        return waits.sum();
    }

    long timeouts() {
        return timeouts.sum();
    }
}
