package dev.sgw.core.manage;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ManagementListener}'s changes, delivered in commit order on a virtual thread of its own, after
 * the management lock is released: a listener blocked on a bucket holds up nothing but its own later changes.
 *
 * <pre>
 * state      | event                         | next       | effect
 * -----------+-------------------------------+------------+----------------------------------------------
 * IDLE       | a commit queues changes       | DELIVERING | the committing caller waits until the
 *            |                               |            |   listener has had them (a change is in effect
 *            |                               |            |   when the call returns)
 * DELIVERING | a commit queues changes       | DELIVERING | queued behind the earlier ones; the caller does
 *            |                               |            |   not wait (the earlier delivery may be blocked)
 * DELIVERING | the last queued batch is done | IDLE       | -
 * any        | the listener is removed       | CLOSED     | queued changes are still delivered, then the
 *            |                               |            |   thread ends
 * </pre>
 *
 * <p>Batches are queued under the management lock, so their order is the commit order. Thread-safe.
 */
final class ListenerDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerDelivery.class);

    private final ManagementListener listener;
    private final ExecutorService thread;
    /** Batches queued and not yet delivered; guarded by {@code this}. */
    private int queued;

    ListenerDelivery(ManagementListener listener) {
        this.listener = listener;
        this.thread = Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("management-listener-", 0).factory());
    }

    ManagementListener listener() {
        return listener;
    }

    /**
     * Queues {@code changes} for delivery.
     *
     * @return what the committing caller waits for when the listener was idle, {@code null} otherwise
     */
    synchronized Future<?> queue(List<ConfigChange> changes) {
        boolean idle = queued == 0;
        queued++;
        Future<?> delivered = thread.submit(() -> {
            try {
                deliver(changes);
            } finally {
                batchDone();
            }
        });
        return idle ? delivered : null;
    }

    private synchronized void batchDone() {
        queued--;
    }

    private void deliver(List<ConfigChange> changes) {
        for (ConfigChange change : changes) {
            try {
                listener.changed(change);
            } catch (RuntimeException e) {
                LOG.error(
                        "a management listener failed on {} {} {}",
                        change.kind().label(),
                        change.name(),
                        change.action().name().toLowerCase(Locale.ROOT),
                        e);
            }
        }
    }

    /** Delivers what is queued, then ends the thread. */
    void close() {
        thread.shutdown();
    }
}
