package dev.sgw.smb.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: once a client address has failed {@code limit} logons within a minute,
 * each further SESSION_SETUP of that address waits {@code delay} before it is looked at. A success forgets
 * the address's failures. Thread-safe.
 */
final class LogonThrottle {
    private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();

    private final int limit;
    private final Duration delay;
    private final Map<InetAddress, Deque<Long>> failures = new ConcurrentHashMap<>();

    LogonThrottle(int limit, Duration delay) {
        this.limit = limit;
        this.delay = delay;
    }

    /** Waits {@code delay} when {@code client} failed too often lately; returns at once otherwise. */
    void pause(SocketAddress client) {
        if (recentFailures(client) >= limit) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void failed(SocketAddress client) {
        InetAddress a = address(client);
        if (a != null) {
            failures.compute(a, (k, q) -> {
                Deque<Long> d = q == null ? new ArrayDeque<>() : q;
                d.addLast(System.nanoTime());
                prune(d);
                return d;
            });
        }
    }

    void succeeded(SocketAddress client) {
        InetAddress a = address(client);
        if (a != null) {
            failures.remove(a);
        }
    }

    /** The failures of {@code client} within the last minute. */
    int recentFailures(SocketAddress client) {
        InetAddress a = address(client);
        if (a == null) {
            return 0;
        }
        Deque<Long> d = failures.computeIfPresent(a, (k, q) -> {
            prune(q);
            return q.isEmpty() ? null : q;
        });
        return d == null ? 0 : d.size();
    }

    private static void prune(Deque<Long> d) {
        long now = System.nanoTime();
        while (!d.isEmpty() && now - d.peekFirst() > WINDOW_NANOS) {
            d.removeFirst();
        }
    }

    private static InetAddress address(SocketAddress client) {
        return client instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
