package dev.sgw.iscsi.session;

import java.time.Duration;
import java.util.Objects;

import dev.sgw.iscsi.login.NegotiationLimits;

/**
 * How the target runs its connections.
 *
 * @param limits            what the target offers in login negotiation
 * @param commandWindow     commands a session may have outstanding (MaxCmdSN - ExpCmdSN + 1 when idle)
 * @param maxTransferLength the largest Expected Data Transfer Length accepted for a write, in bytes (its
 *                          data is gathered in memory before the logical unit runs the command)
 * @param nopInterval       idle time after which the target pings with a NOP-In; a connection that stays
 *                          silent for another interval after the ping is closed as dead
 * @param loginTimeout      time a connection has to complete its login
 */
public record TargetSettings(
        NegotiationLimits limits,
        int commandWindow,
        int maxTransferLength,
        Duration nopInterval,
        Duration loginTimeout) {

    public TargetSettings {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(nopInterval, "nopInterval");
        Objects.requireNonNull(loginTimeout, "loginTimeout");
        if (commandWindow < 1 || commandWindow > 1 << 20) {
            throw new IllegalArgumentException("commandWindow must be 1..2^20");
        }
        if (maxTransferLength < 512) {
            throw new IllegalArgumentException("maxTransferLength must be at least 512");
        }
    }

    /** 128 commands, 16 MiB writes, a NOP-In after 10 s of silence, 30 s to log in. */
    public static TargetSettings defaults() {
        return new TargetSettings(
                NegotiationLimits.defaults(), 128, 16 << 20, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public TargetSettings withNopInterval(Duration interval) {
        return new TargetSettings(limits, commandWindow, maxTransferLength, interval, loginTimeout);
    }

    public TargetSettings withLimits(NegotiationLimits newLimits) {
        return new TargetSettings(newLimits, commandWindow, maxTransferLength, nopInterval, loginTimeout);
    }
}
