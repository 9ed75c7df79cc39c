package dev.sgw.core.sharing;

import java.nio.ByteBuffer;

/**
 * A lease of one file held by one client under one key (an SMB2 lease key; an oplock is a lease whose key
 * is its open). Changed only through {@link FileSharing}, under the file's lock.
 *
 * <pre>
 * state     | event                                              | next
 * ----------+----------------------------------------------------+-------------------------------------------
 * HELD      | a conflicting change; ack needed (from W or H)     | BREAKING (breakingTo set; holder told)
 * HELD      | a conflicting change; no ack needed (from R)       | HELD at the lower state (holder told)
 * BREAKING  | acknowledge(breakingTo or lower)                   | HELD at that state (NONE: released)
 * BREAKING  | the acknowledgment timeout passes                  | HELD at breakingTo (forced)
 * any       | release, or its client goes                        | released
 * </pre>
 */
public final class Lease {
    enum Phase {
        HELD,
        BREAKING,
        RELEASED
    }

    private final long inode;
    private final ByteBuffer key;
    private final StateOwner holder;
    private final LeaseBreaker breaker;
    int state;
    int breakingTo;
    /** Counts changes of the lease state (SMB2 lease v2 epoch). */
    int epoch;

    Phase phase = Phase.HELD;

    Lease(long inode, ByteBuffer key, StateOwner holder, int state, LeaseBreaker breaker) {
        this.inode = inode;
        this.key = key.asReadOnlyBuffer();
        this.holder = holder;
        this.state = state;
        this.breaker = breaker;
        this.epoch = 1;
    }

    public long inode() {
        return inode;
    }

    public ByteBuffer key() {
        return key.duplicate();
    }

    public StateOwner holder() {
        return holder;
    }

    LeaseBreaker breaker() {
        return breaker;
    }

    /** The {@link LeaseState} the holder may cache now. */
    public synchronized int state() {
        return state;
    }

    /** The state a running break goes to, or the current state when none runs. */
    public synchronized int breakingTo() {
        return phase == Phase.BREAKING ? breakingTo : state;
    }

    public synchronized boolean isBreaking() {
        return phase == Phase.BREAKING;
    }

    public synchronized int epoch() {
        return epoch;
    }

    @Override
    public synchronized String toString() {
        return "lease " + LeaseState.describe(state)
                + (phase == Phase.BREAKING ? " breaking to " + LeaseState.describe(breakingTo) : "") + " of inode "
                + inode + " held by " + holder;
    }
}
