package dev.sgw.core.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A token bucket of bytes for one direction of {@link ThrottledObjectStore}: tokens accrue at the rate
 * (bytes per second) up to a burst of a fifth of a second's worth; a caller takes the bytes it sends in
 * slices of at most a tenth of a second's worth (at most 1 MiB), so one large body needs no large burst
 * and concurrent callers take turns slice by slice.
 *
 * <p>A caller reserves its slice under a short lock, letting the balance go negative (a debt), and then
 * waits outside the lock until its share of the debt is paid at the rate; callers are thus served in the
 * order they reserve, and nobody holds the lock while waiting. A rate of 0 means unlimited. Changing the
 * rate takes effect for every slice reserved afterwards; a wait already begun is not shortened. An
 * interrupted wait gives its slice back.
 */
final class TokenBucket {

    static final long MAX_SLICE = 1024 * 1024;

    private final StoreClock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private long rate;
    private double tokens;
    private long refilledAt;

    TokenBucket(StoreClock clock, long bytesPerSecond) {
        this.clock = clock;
        this.refilledAt = clock.nanoTime();
        setRate(bytesPerSecond);
    }

    void setRate(long bytesPerSecond) {
        lock.lock();
        try {
            refill();
            rate = bytesPerSecond;
            tokens = rate == 0 ? 0 : Math.min(tokens, capacity());
        } finally {
            lock.unlock();
        }
    }

    long rate() {
        lock.lock();
        try {
            return rate;
        } finally {
            lock.unlock();
        }
    }

    /** The most bytes one slice takes at the current rate (unlimited: {@link #MAX_SLICE}). */
    long sliceSize() {
        long r = rate();
        return r == 0 ? MAX_SLICE : Math.max(1, Math.min(MAX_SLICE, r / 10));
    }

    /** Takes {@code bytes} tokens, waiting as long as the rate asks, slice by slice. */
    void acquire(long bytes) throws InterruptedException {
        long left = bytes;
        while (left > 0) {
            long slice;
            long wait;
            lock.lock();
            try {
                if (rate == 0) {
                    return;
                }
                refill();
                slice = Math.min(left, Math.max(1, Math.min(MAX_SLICE, rate / 10)));
                tokens -= slice;
                wait = tokens >= 0 ? 0 : (long) Math.ceil(-tokens * 1e9 / rate);
            } finally {
                lock.unlock();
            }
            try {
                clock.sleepNanos(wait);
            } catch (InterruptedException e) {
                giveBack(slice);
                throw e;
            }
            left -= slice;
        }
    }

    private void giveBack(long slice) {
        lock.lock();
        try {
            if (rate != 0) {
                tokens = Math.min(capacity(), tokens + slice);
            }
        } finally {
            lock.unlock();
        }
    }

    private void refill() {
        long now = clock.nanoTime();
        if (rate != 0) {
            tokens = Math.min(capacity(), tokens + (now - refilledAt) * (double) rate / 1e9);
        }
        refilledAt = now;
    }

    private double capacity() {
        return Math.max(1, rate / 5.0);
    }
}
