package dev.sgw.console;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The login throttle's window, on a clock the test moves. */
class LoginThrottleTest {
    private Instant now = Instant.parse("2026-12-08T00:00:00Z");

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void anAddressWaitsUntilItsOldestFailureLeavesTheWindow() throws Exception {
        LoginThrottle throttle = new LoginThrottle(clock);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            assertThat(throttle.waitFor(a)).isZero();
            throttle.failed(a);
            now = now.plusSeconds(10);
        }
        assertThat(throttle.waitFor(a)).isEqualTo(LoginThrottle.WINDOW.minusSeconds(50));
        assertThat(throttle.waitFor(b)).as("per address").isZero();
        now = now.plus(LoginThrottle.WINDOW.minusSeconds(50));
        assertThat(throttle.waitFor(a)).as("the oldest failure left the window").isZero();
        throttle.failed(a);
        assertThat(throttle.waitFor(a)).isEqualTo(Duration.ofSeconds(10));
        throttle.succeeded(a);
        assertThat(throttle.waitFor(a)).isZero();
    }
}
