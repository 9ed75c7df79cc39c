package dev.sgw.smb.server;

import java.net.InetSocketAddress;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogonThrottleTest {
    private static final InetSocketAddress GUESSER = new InetSocketAddress("192.0.2.1", 40000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("192.0.2.2", 40000);

    private static long pauseMillis(LogonThrottle t, InetSocketAddress client) {
        long start = System.nanoTime();
        t.pause(client);
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    @Test
    void anAddressIsSlowedAfterTooManyFailuresAndOthersAreNot() {
        LogonThrottle t = new LogonThrottle(3, Duration.ofMillis(300));
        for (int i = 0; i < 2; i++) {
            t.failed(GUESSER);
        }
        assertThat(pauseMillis(t, GUESSER)).as("two failures: no delay").isLessThan(200);
        t.failed(GUESSER);
        assertThat(t.recentFailures(GUESSER)).isEqualTo(3);
        assertThat(pauseMillis(t, GUESSER)).isGreaterThanOrEqualTo(300);
        assertThat(pauseMillis(t, OTHER)).isLessThan(200);
    }

    @Test
    void aSuccessForgetsTheFailures() {
        LogonThrottle t = new LogonThrottle(1, Duration.ofMillis(300));
        t.failed(GUESSER);
        t.succeeded(GUESSER);
        assertThat(t.recentFailures(GUESSER)).isZero();
        assertThat(pauseMillis(t, GUESSER)).isLessThan(200);
    }
}
