package dev.sgw.core.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RetryingObjectStore} retries: at most {@code maxAttempts} attempts of one call (the first
 * included), waiting before attempt {@code n + 1} a random time between zero and
 * {@code min(maxDelay, baseDelay * 2^(n-1))} ("full jitter"), and never starting a wait that would end
 * after {@code deadline} from the start of the call.
 *
 * @param maxAttempts attempts per call, at least 1 (1 means no retries)
 * @param baseDelay   the cap of the first wait, positive
 * @param maxDelay    the cap of any wait, at least {@code baseDelay}
 * @param deadline    the time after which no further attempt is started, positive
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration deadline) {

    private static final RetryPolicy DEFAULT =
            new RetryPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofMinutes(2));

    public RetryPolicy {
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(deadline, "deadline");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (!baseDelay.isPositive() || maxDelay.compareTo(baseDelay) < 0 || !deadline.isPositive()) {
            throw new IllegalArgumentException("need 0 < baseDelay <= maxDelay and a positive deadline: " + baseDelay
                    + ", " + maxDelay + ", " + deadline);
        }
    }

    /** 8 attempts, waits capped at 100 ms doubling up to 10 s, no new attempt after 2 minutes. */
    public static RetryPolicy defaults() {
        return DEFAULT;
    }

    /** A policy that never retries. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofDays(1));
    }

    /** The longest wait before attempt {@code attempt} (2 or more): {@code min(maxDelay, baseDelay * 2^(attempt-2))}. */
    public long maxDelayNanosBefore(int attempt) {
        if (attempt < 2) {
            throw new IllegalArgumentException("attempt 1 is not preceded by a wait");
        }
        long base = baseDelay.toNanos();
        long cap = maxDelay.toNanos();
        int doublings = attempt - 2;
        if (doublings >= 62 || base > (cap >> doublings)) {
            return cap;
        }
        return Math.min(cap, base << doublings);
    }
}
