package dev.sgw.core.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StoreClock} for tests: waiting records the wait and moves its time forward at once, so nothing
 * really waits. An interrupted thread's wait throws, as a real one does; {@link #interruptOnWait(int)}
 * makes a given wait behave as if the thread were interrupted during it.
 */
final class FakeStoreClock implements StoreClock {

    private long now = 1_000_000_000L;
    private final List<Long> waits = new ArrayList<>();
    private int interruptOnWait = -1;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void sleepNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before waiting");
        }
        waits.add(nanos);
        if (waits.size() == interruptOnWait) {
            throw new InterruptedException("interrupted while waiting");
        }
        now += Math.max(0, nanos);
    }

    /** Moves time forward without a wait, as if the caller were busy elsewhere. */
    synchronized void advance(long nanos) {
        now += nanos;
    }

    /** The waits asked for so far, in nanoseconds. */
    synchronized List<Long> waits() {
        return List.copyOf(waits);
    }

    synchronized long totalWaitNanos() {
        return waits.stream().mapToLong(Long::longValue).sum();
    }

    /** The {@code n}-th wait (1-based) throws {@link InterruptedException}. */
    synchronized void interruptOnWait(int n) {
        interruptOnWait = n;
    }
}
