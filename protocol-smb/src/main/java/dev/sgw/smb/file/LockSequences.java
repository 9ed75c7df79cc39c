package dev.sgw.smb.file;

import java.util.Arrays;

/**
 * Open.LockSequenceArray of a durable open (MS-SMB2 3.3.5.14): 64 buckets, each the last LockSequenceNumber
 * whose LOCK succeeded in it, so that a LOCK the client replays after a lost connection is not applied twice.
 * LockSequence (4 bytes of the LOCK request) holds the number in its low 4 bits and the bucket index
 * (1 to 64; 0 or more: not checked) in the other 28.
 *
 * <pre>
 * bucket state     | event                                   | next
 * -----------------+-----------------------------------------+---------------------------------------------
 * empty or n       | LOCK with number n in it                | n: answered SUCCESS at once (a replay)
 * empty or n       | LOCK with another number m              | empty while it runs; m when it succeeds
 * </pre>
 *
 * Thread-safe.
 */
final class LockSequences {
    private static final byte EMPTY = (byte) 0xFF;
    private static final int BUCKETS = 64;

    private final byte[] buckets = new byte[BUCKETS];

    LockSequences() {
        Arrays.fill(buckets, EMPTY);
    }

    /** The bucket {@code lockSequence} names (0 to 63), or -1 when it names none. */
    static int bucket(int lockSequence) {
        int index = lockSequence >>> 4;
        return index >= 1 && index <= BUCKETS ? index - 1 : -1;
    }

    private static byte number(int lockSequence) {
        return (byte) (lockSequence & 0xF);
    }

    /**
     * Whether a LOCK with {@code lockSequence} was already applied (a replay to answer SUCCESS); when not,
     * its bucket is emptied until {@link #succeeded}.
     */
    synchronized boolean replayed(int lockSequence) {
        int b = bucket(lockSequence);
        if (b < 0) {
            return false;
        }
        if (buckets[b] == number(lockSequence)) {
            return true;
        }
        buckets[b] = EMPTY;
        return false;
    }

    /** A LOCK with {@code lockSequence} succeeded. */
    synchronized void succeeded(int lockSequence) {
        int b = bucket(lockSequence);
        if (b >= 0) {
            buckets[b] = number(lockSequence);
        }
    }
}
