package dev.sgw.smb.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A connection's requests from their intake ({@link Arrivals}: in the order they arrived) until they are
 * answered: by message id, for a CANCEL (MS-SMB2 3.3.5.16), by async id once answered asynchronously, and by
 * the open they name, for a CLOSE, which waits for the requests sent before it on its open as Windows and
 * Samba process a handle's requests in arrival order. Thread-safe.
 *
 * <pre>
 * request  | event                                  | next     | effect
 * ---------+----------------------------------------+----------+------------------------------------------
 * -        | intake                                 | RUNNING  | found by message id and by its open
 * RUNNING  | CANCEL                                 | RUNNING  | noted: cancelled once it goes async
 * RUNNING  | answered                               | -        | forgotten; a CLOSE waiting for it goes on
 * RUNNING  | goes async (interim response)          | ASYNC    | a CLOSE waiting for it goes on (the close
 *          |                                        |          | answers it); a noted CANCEL cancels it now
 * ASYNC    | CANCEL (message id or async id)        | ASYNC    | its future cancelled
 * ASYNC    | final response sent, connection gone   | -        | forgotten (gone: cancelled)
 * </pre>
 */
final class RequestsInProgress {
    /** {@link Entry#openId} of a request that names no open by its own id. */
    static final long NO_OPEN = -1;

    /** A request answered asynchronously, until its final response is sent. */
    record Pending(long messageId, long asyncId, CompletableFuture<SmbResponse> future) {}

    private enum State {
        RUNNING,
        ASYNC,
        DONE
    }

    /** One request, from its intake until it is answered. */
    static final class Entry {
        final long messageId;
        /** The volatile id of the open it names, or {@link #NO_OPEN}. */
        final long openId;
        /** Done when it is answered or goes async. */
        private final CompletableFuture<Void> settled = new CompletableFuture<>();
        /** For a CLOSE: the requests on its open taken in before it and not yet settled then. */
        private List<Entry> before = List.of();

        private State state = State.RUNNING; // guarded by this
        private boolean cancelled; // guarded by this
        private CompletableFuture<SmbResponse> later; // guarded by this

        Entry(long messageId, long openId) {
            this.messageId = messageId;
            this.openId = openId;
        }
    }

    private final ConcurrentHashMap<Long, Entry> byMessageId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Entry> byAsyncId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Set<Entry>> byOpen = new ConcurrentHashMap<>();

    /**
     * Takes a request in (in arrival order): found by {@code messageId} from now on, and by {@code openId}
     * unless that is {@link #NO_OPEN}. A CLOSE ({@code close}) notes the requests on its open taken in before.
     */
    Entry admit(long messageId, long openId, boolean close) {
        Entry e = new Entry(messageId, openId);
        byMessageId.put(messageId, e);
        if (openId != NO_OPEN) {
            byOpen.compute(openId, (k, running) -> {
                Set<Entry> s = running == null ? new LinkedHashSet<>() : running;
                if (close) {
                    e.before = List.copyOf(s);
                }
                s.add(e);
                return s;
            });
        }
        return e;
    }

    /** {@code e} was answered, or went async ({@link #async} was called first): no longer runs. */
    void settle(Entry e) {
        synchronized (e) {
            if (e.state == State.RUNNING) {
                e.state = State.DONE;
                byMessageId.remove(e.messageId, e);
            }
        }
        unregisterFromOpen(e);
        e.settled.complete(null);
    }

    private void unregisterFromOpen(Entry e) {
        if (e.openId != NO_OPEN) {
            byOpen.computeIfPresent(e.openId, (k, running) -> {
                running.remove(e);
                return running.isEmpty() ? null : running;
            });
        }
    }

    /**
     * The request with {@code messageId} goes async under {@code asyncId}: a CANCEL that came while it ran
     * cancels {@code later} now.
     */
    Pending async(long messageId, long asyncId, CompletableFuture<SmbResponse> later) {
        Entry e = byMessageId.computeIfAbsent(messageId, id -> new Entry(id, NO_OPEN));
        boolean cancelled;
        synchronized (e) {
            e.state = State.ASYNC;
            e.later = later;
            cancelled = e.cancelled;
        }
        byAsyncId.put(asyncId, e);
        unregisterFromOpen(e);
        e.settled.complete(null);
        if (cancelled) {
            later.cancel(false);
        }
        return new Pending(messageId, asyncId, later);
    }

    /** Cancels the request with {@code asyncId}, or (asyncId 0) the one with {@code messageId}, if it runs. */
    void cancel(long asyncId, long messageId) {
        Entry e = asyncId != 0 ? byAsyncId.get(asyncId) : byMessageId.get(messageId);
        if (e == null) {
            return;
        }
        CompletableFuture<SmbResponse> later;
        synchronized (e) {
            later = e.state == State.ASYNC ? e.later : null;
            e.cancelled = e.state == State.RUNNING;
        }
        if (later != null) {
            later.cancel(false);
        }
    }

    /** The final response of {@code p} was sent. */
    void done(Pending p) {
        Entry e = byAsyncId.remove(p.asyncId());
        if (e != null) {
            byMessageId.remove(e.messageId, e);
        }
    }

    /**
     * Waits, at most {@code wait}, until the requests on the open of {@code close} taken in before it are
     * answered or went async.
     *
     * @return whether they are
     */
    boolean awaitEarlier(Entry close, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Entry e : close.before) {
            try {
                e.settled.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException x) {
                return false;
            } catch (ExecutionException x) {
                throw new IllegalStateException(x); // never completed exceptionally
            }
        }
        return true;
    }

    /** How many requests are in progress (taken in and not answered, or async). */
    int size() {
        return byMessageId.size();
    }

    /** Cancels every async request and forgets every request (the connection is gone). */
    void cancelAll() {
        List<Entry> all = new ArrayList<>(byMessageId.values());
        all.addAll(byAsyncId.values());
        byAsyncId.clear();
        byMessageId.clear();
        byOpen.clear();
        for (Entry e : all) {
            CompletableFuture<SmbResponse> later;
            synchronized (e) {
                later = e.later;
            }
            if (later != null) {
                later.cancel(false);
            }
            e.settled.complete(null);
        }
    }
}
