package dev.sgw.iscsi.session;

/**
 * The sequence numbers of one session on its single connection (RFC 7143 sections 4.2.2): the command window
 * (ExpCmdSN, MaxCmdSN) and the connection's StatSN. Compared in 32-bit serial number arithmetic (RFC 1982).
 * Event-loop confined.
 *
 * <p>A non-immediate command is accepted when its CmdSN lies in [ExpCmdSN, MaxCmdSN]; it then moves ExpCmdSN
 * past it. Anything outside the window (a duplicate, or more than the window allows) is ignored silently, as
 * RFC 7143 section 4.2.2.1 requires. Immediate commands do not consume a CmdSN. On one TCP connection the
 * CmdSNs arrive in order, so a CmdSN above ExpCmdSN inside the window is taken as is and the gap abandoned.
 * MaxCmdSN = ExpCmdSN - 1 + (window - commands in flight), so the window closes as commands queue up and
 * never moves backwards.
 */
final class CommandWindow {
    private final int size;
    private int expCmdSN;
    private int statSN;

    CommandWindow(int size, int initialStatSN) {
        this.size = size;
        this.statSN = initialStatSN;
    }

    /** Starts the window at the CmdSN of the first login request. */
    void start(int cmdSN) {
        expCmdSN = cmdSN;
    }

    /** Whether a command with this CmdSN is to be executed; advances ExpCmdSN for non-immediate ones. */
    boolean admit(boolean immediate, int cmdSN, int inFlight) {
        if (immediate) {
            return true;
        }
        if (before(cmdSN, expCmdSN) || before(maxCmdSN(inFlight), cmdSN)) {
            return false;
        }
        expCmdSN = cmdSN + 1;
        return true;
    }

    int expCmdSN() {
        return expCmdSN;
    }

    int maxCmdSN(int inFlight) {
        return expCmdSN - 1 + Math.max(0, size - inFlight);
    }

    /** The StatSN for a response that advances it. */
    int nextStatSN() {
        return statSN++;
    }

    /** The StatSN a PDU that does not advance it carries (R2T, a target NOP-In ping). */
    int currentStatSN() {
        return statSN;
    }

    /** {@code a < b} in serial number arithmetic. */
    static boolean before(int a, int b) {
        return a - b < 0;
    }
}
