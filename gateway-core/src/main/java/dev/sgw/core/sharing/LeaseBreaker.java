package dev.sgw.core.sharing;

/**
 * Tells a lease's holder that its lease is broken to a lower state (an SMB2 LEASE_BREAK or OPLOCK_BREAK
 * notification). Called without any lock of the sharing state held, on the thread of the change that broke
 * it; must not block (queue the notification and return).
 */
@FunctionalInterface
public interface LeaseBreaker {
    /**
     * Tells the holder of {@code lease} to lower it.
     *
     * @param lease       the lease, already marked as breaking
     * @param from        the state it had
     * @param to          the state it is broken to
     * @param ackRequired whether the change waits for {@link FileSharing#acknowledge} (breaks from a state
     *                    with WRITE or HANDLE); without, the lease is at {@code to} already
     */
    void breakLease(Lease lease, int from, int to, boolean ackRequired);
}
