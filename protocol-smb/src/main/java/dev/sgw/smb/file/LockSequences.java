package dev.sgw.smb.file;

import java.util.Arrays;

/**
 * An open's lock sequence buckets (MS-SMB2 3.3.5.14, Open.LockSequenceArray). A LOCK request's LockSequence
 * holds a 4-bit number (low bits) and a 28-bit bucket index; a request naming bucket 1..64 with the number
 * that bucket's last successful LOCK had is a replay (the client sent it again on another channel after
 * losing the first) and is answered with success without locking or unlocking again. Any other index is
 * not checked. Thread-safe.
 *
 * <pre>
 * bucket state | LOCK naming it with number n            | next
 * -------------+-----------------------------------------+------------------------------------------
 * INVALID      | any n                                   | INVALID while it runs; VALID(n) if it succeeds
 * VALID(m)     | n == m                                  | VALID(m): a replay, success, nothing done
 * VALID(m)     | n != m                                  | INVALID while it runs; VALID(n) if it succeeds
 * </pre>
 */
final class LockSequences {
    private static final int BUCKETS = 64;
    private static final int INVALID = -1;

    private final int[] numbers = new int[BUCKETS];

    LockSequences() {
        Arrays.fill(numbers, INVALID);
    }

    /**
     * Whether {@code lockSequence} replays the last successful LOCK of its bucket; when it does not, its
     * bucket is invalid until {@link #succeeded} records it.
     */
    synchronized boolean replayed(int lockSequence) {
        int bucket = bucket(lockSequence);
        if (bucket < 0) {
            return false;
        }
        if (numbers[bucket] == number(lockSequence)) {
            return true;
        }
        numbers[bucket] = INVALID;
        return false;
    }

    /** The LOCK with {@code lockSequence} succeeded: a repeat of it is a replay. */
    synchronized void succeeded(int lockSequence) {
        int bucket = bucket(lockSequence);
        if (bucket >= 0) {
            numbers[bucket] = number(lockSequence);
        }
    }

    /** The bucket (0..63) {@code lockSequence} names, or -1 when its index is not 1..64. */
    private static int bucket(int lockSequence) {
        int index = lockSequence >>> 4;
        return index >= 1 && index <= BUCKETS ? index - 1 : -1;
    }

    private static int number(int lockSequence) {
        return lockSequence & 0xF;
    }
}
