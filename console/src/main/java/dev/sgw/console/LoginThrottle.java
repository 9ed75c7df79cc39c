package dev.sgw.console;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login attempts per client address: at most {@link #MAX_FAILURES} failed logins within {@link #WINDOW};
 * past that, further attempts from the address are refused (429) without checking the password until the
 * oldest failure leaves the window. A successful login clears the address's failures.
 */
final class LoginThrottle {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(5);
    /** Past this many addresses with failures, those whose failures are all old are forgotten. */
    private static final int MAX_CLIENTS = 10_000;

    private final Map<InetAddress, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code client} must wait before it may try again; zero when it may try now. */
    Duration waitFor(InetAddress client) {
        Deque<Instant> f = failures.get(client);
        if (f == null) {
            return Duration.ZERO;
        }
        synchronized (f) {
            Instant now = clock.instant();
            while (!f.isEmpty() && !f.peekFirst().plus(WINDOW).isAfter(now)) {
                f.pollFirst();
            }
            if (f.size() < MAX_FAILURES) {
                return Duration.ZERO;
            }
            return Duration.between(now, f.peekFirst().plus(WINDOW));
        }
    }

    void failed(InetAddress client) {
        if (failures.size() >= MAX_CLIENTS) {
            forgetOldFailures();
        }
        Deque<Instant> f = failures.computeIfAbsent(client, c -> new ArrayDeque<>());
        synchronized (f) {
            f.addLast(clock.instant());
            while (f.size() > MAX_FAILURES) {
                f.pollFirst();
            }
        }
    }

    void succeeded(InetAddress client) {
        failures.remove(client);
    }

    /** Drops the addresses whose failures all left the window, so that many addresses cannot fill memory. */
    private void forgetOldFailures() {
        Instant oldest = clock.instant().minus(WINDOW);
        failures.values().removeIf(f -> {
            synchronized (f) {
                return f.isEmpty() || !f.peekLast().isAfter(oldest);
            }
        });
    }
}
