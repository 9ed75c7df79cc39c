package dev.sgw.core.sharing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.sgw.core.volume.ChangeAction;

/**
 * A subscription to the changes in one directory (and with {@code subtree}, below it), for SMB2
 * CHANGE_NOTIFY. Changes queue up to a bound; past it the queue is emptied and the next {@link #take} says
 * the watcher overflowed (it must list the directory again), so a slow watcher never holds a writer up.
 *
 * <pre>
 * state     | event                         | next
 * ----------+-------------------------------+-----------------------------------------
 * WATCHING  | a change below the directory  | WATCHING (queued, or OVERFLOWED at the bound)
 * OVERFLOWED| take                          | WATCHING (the batch says overflowed)
 * any       | close                         | CLOSED (take returns an empty batch at once)
 * </pre>
 */
public final class ChangeWatch implements AutoCloseable {
    /** One change, its path relative to the watched directory ('/'-separated). */
    public record Change(ChangeAction action, String path, boolean isDirectory, boolean fromBucket) {}

    /**
     * What {@link #take} returns: the changes in order, or that some were lost (then no changes); and whether
     * the watched directory is to be deleted (delete pending: SMB answers every watch of it so).
     */
    public record Batch(List<Change> changes, boolean overflowed, boolean deletePending) {
        public boolean isEmpty() {
            return changes.isEmpty() && !overflowed && !deletePending;
        }
    }

    enum State {
        WATCHING,
        OVERFLOWED,
        CLOSED
    }

    private final FileSharing sharing;
    private final long directory;
    private final boolean subtree;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Change> queue = new ArrayDeque<>();
    private State state = State.WATCHING;
    /** The watched directory is marked for deletion at its last close (any state). */
    private boolean deletePending;

    ChangeWatch(FileSharing sharing, long directory, boolean subtree, int capacity) {
        this.sharing = sharing;
        this.directory = directory;
        this.subtree = subtree;
        this.capacity = capacity;
    }

    public long directory() {
        return directory;
    }

    public boolean subtree() {
        return subtree;
    }

    void offer(Change change) {
        lock.lock();
        try {
            if (state == State.WATCHING) {
                if (queue.size() >= capacity) {
                    queue.clear();
                    state = State.OVERFLOWED;
                } else {
                    queue.add(change);
                }
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The watched directory was marked for deletion at its last close, or no longer is: takes see it at once. */
    void deletePending(boolean pending) {
        lock.lock();
        try {
            deletePending = pending;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code wait} for changes and returns all that came (an empty batch when none did or the
     * watch is closed; at once when the directory is to be deleted).
     *
     * @throws InterruptedException when the waiting thread is interrupted (a cancelled CHANGE_NOTIFY)
     */
    public Batch take(Duration wait) throws InterruptedException {
        lock.lock();
        try {
            long left = wait.toNanos();
            while (state == State.WATCHING && queue.isEmpty() && !deletePending && left > 0) {
                left = arrived.awaitNanos(left);
            }
            if (state == State.OVERFLOWED) {
                state = State.WATCHING;
                return new Batch(List.of(), true, deletePending);
            }
            List<Change> changes = List.copyOf(queue);
            queue.clear();
            return new Batch(changes, false, deletePending);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            state = State.CLOSED;
            queue.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        sharing.unwatch(this);
    }
}
