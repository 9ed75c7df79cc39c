package dev.sgw.core.store;

/**
 * The time source and the waiting of the store decorators that pace requests ({@link RetryingObjectStore},
 * {@link ThrottledObjectStore}). Production code uses {@link #system()}; a test substitutes a clock that
 * records each wait and advances its own time instead of sleeping, so no unit test really waits.
 */
public interface StoreClock {

    /** A monotonic time in nanoseconds, comparable only with other readings of the same clock. */
    long nanoTime();

    /** Waits {@code nanos} nanoseconds (nothing when {@code nanos <= 0}); interruptible. */
    void sleepNanos(long nanos) throws InterruptedException;

    /** {@link System#nanoTime()} and {@link Thread#sleep(java.time.Duration)}. */
    static StoreClock system() {
        return SystemClock.INSTANCE;
    }

    /** The real clock. */
    enum SystemClock implements StoreClock {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            if (nanos > 0) {
                Thread.sleep(java.time.Duration.ofNanos(nanos));
            } else if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
