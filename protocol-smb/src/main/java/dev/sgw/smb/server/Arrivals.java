package dev.sgw.smb.server;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The order in which a connection's messages arrived, kept for their intake: the event loop hands each
 * message a ticket as it reads it, and the request threads, which run the messages concurrently, take them in
 * (decrypt them and register their requests, {@link RequestsInProgress}) one at a time in ticket order. So a
 * CANCEL always finds the request it names, and a CLOSE the requests sent before it on its open, even when
 * its thread started first. Only the intake is ordered; the requests then run concurrently.
 *
 * <pre>
 * ticket | event                                   | effect
 * -------+-----------------------------------------+---------------------------------------------------
 * issued | {@link #awaitTurn} before the last one passed | waits
 * issued | {@link #pass}                           | the next ticket's intake may go
 * issued | {@link #skip} (its message is dropped)  | passed as soon as its turn comes, without waiting
 * 0      | any                                     | not ordered (messages taken on the event loop)
 * </pre>
 */
final class Arrivals {
    /** The ticket of a message that is taken in order anyway (on the event loop, before NEGOTIATE is done). */
    static final long IN_ORDER = 0;

    private final AtomicLong issued = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition passed = lock.newCondition();
    private final Set<Long> skipped = new HashSet<>();
    private long last;

    /** The next message's ticket (called in arrival order, by the event loop). */
    long arrived() {
        return issued.incrementAndGet();
    }

    /** Waits until every message that arrived before the one with {@code ticket} has been taken in. */
    void awaitTurn(long ticket) {
        if (ticket == IN_ORDER) {
            return;
        }
        lock.lock();
        try {
            while (last < ticket - 1) {
                passed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The message with {@code ticket} has been taken in: the next one's turn. */
    void pass(long ticket) {
        if (ticket == IN_ORDER) {
            return;
        }
        lock.lock();
        try {
            last = Math.max(last, ticket);
            while (skipped.remove(last + 1)) {
                last++;
            }
            passed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The message with {@code ticket} will not be taken in (it was dropped): never waits. */
    void skip(long ticket) {
        lock.lock();
        try {
            if (last == ticket - 1) {
                pass(ticket);
            } else {
                skipped.add(ticket);
            }
        } finally {
            lock.unlock();
        }
    }
}
