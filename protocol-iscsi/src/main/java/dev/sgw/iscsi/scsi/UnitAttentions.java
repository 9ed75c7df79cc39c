package dev.sgw.iscsi.scsi;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unit attention conditions (SAM-5, SPC-4) waiting for each I_T nexus that has talked to the
 * logical unit.
 *
 * <pre>
 * state   | meaning                                   | leaves when
 * --------+-------------------------------------------+----------------------------------------------------
 * CLEAR   | nothing to report                         | an event raises a condition for the nexus -> PENDING
 * PENDING | one or more conditions queued, oldest     | every command except INQUIRY, REPORT LUNS and
 *         | first (duplicates are not queued twice)   | REQUEST SENSE ends in CHECK CONDITION with the oldest
 *         |                                           | and removes it; REQUEST SENSE returns and removes it;
 *         |                                           | the queue empties -> CLEAR
 * </pre>
 *
 * <p>Only nexuses seen here get conditions; a nexus that is gone ({@link #forget}) loses its queue. UA
 * interlock (UA_INTLCK_CTRL) is 00b. Thread-safe.
 */
final class UnitAttentions {

    /** Whether a nexus has unit attention conditions waiting. */
    enum State {
        CLEAR,
        PENDING
    }

    /** A nexus that never reads its conditions does not grow without bound. */
    private static final int MAX_QUEUED = 16;

    private final Map<ItNexus, ArrayDeque<SenseData>> queues = new ConcurrentHashMap<>();

    /** Remembers {@code nexus} so that later events reach it. */
    void noteNexus(ItNexus nexus) {
        queues.computeIfAbsent(nexus, n -> new ArrayDeque<>());
    }

    /** The nexus is gone: drops it and its conditions. */
    void forget(ItNexus nexus) {
        queues.remove(nexus);
    }

    /** Every nexus known now. */
    List<ItNexus> nexuses() {
        return List.copyOf(queues.keySet());
    }

    State state(ItNexus nexus) {
        ArrayDeque<SenseData> queue = queues.get(nexus);
        if (queue == null) {
            return State.CLEAR;
        }
        synchronized (queue) {
            return queue.isEmpty() ? State.CLEAR : State.PENDING;
        }
    }

    /** Queues {@code condition} for {@code nexus} if it is known. */
    void raise(ItNexus nexus, SenseData condition) {
        ArrayDeque<SenseData> queue = queues.get(nexus);
        if (queue == null) {
            return;
        }
        synchronized (queue) {
            if (!queue.contains(condition) && queue.size() < MAX_QUEUED) {
                queue.addLast(condition);
            }
        }
    }

    /** Queues {@code condition} for every known nexus. */
    void raiseAll(SenseData condition) {
        queues.keySet().forEach(n -> raise(n, condition));
    }

    /** Queues {@code condition} for every known nexus except {@code except}. */
    void raiseOthers(ItNexus except, SenseData condition) {
        queues.keySet().stream().filter(n -> !n.equals(except)).forEach(n -> raise(n, condition));
    }

    /** Removes and returns the oldest condition of {@code nexus}, or null. */
    SenseData take(ItNexus nexus) {
        ArrayDeque<SenseData> queue = queues.get(nexus);
        if (queue == null) {
            return null;
        }
        synchronized (queue) {
            return queue.pollFirst();
        }
    }
}
