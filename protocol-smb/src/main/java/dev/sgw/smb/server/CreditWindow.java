package dev.sgw.smb.server;

import java.util.BitSet;

/**
 * The message ids a connection's client may use (MS-SMB2 3.3.1.1, 3.3.5.2.3): every id below {@code limit}
 * that has been granted and not yet used. Each request uses CreditCharge consecutive ids; each response grants
 * more, keeping at most {@code window} ids granted and unused. Thread-safe.
 *
 * <pre>
 * ids:  [0 .. low)       used, forgotten
 *       [low .. limit)   granted; a bit in {@code used} marks those already taken
 *       [limit .. )      not granted yet
 * invariant: low <= limit, limit - low <= window, the bit for low is clear
 * </pre>
 */
final class CreditWindow {
    private final int window;
    private long low;
    private long limit = 1; // message id 0 (the first NEGOTIATE) is granted at connect
    private final BitSet used = new BitSet();

    CreditWindow(int window) {
        this.window = window;
    }

    /**
     * Takes ids {@code messageId .. messageId + charge - 1}.
     *
     * @return false when any of them was not granted or is used already
     */
    synchronized boolean take(long messageId, int charge) {
        int n = Math.max(1, charge);
        if (messageId < low || messageId + n > limit || messageId + n < messageId) {
            return false;
        }
        int from = (int) (messageId - low);
        if (used.get(from, from + n).cardinality() != 0) {
            return false;
        }
        used.set(from, from + n);
        int advance = used.nextClearBit(0);
        if (advance > 0) {
            low += advance;
            BitSet rest = used.get(advance, Math.max(advance, used.length()));
            used.clear();
            used.or(rest);
        }
        return true;
    }

    /** Grants up to {@code requested} more ids (at least 1 when the client holds none), within the window. */
    synchronized int grant(int requested) {
        long outstanding = limit - low - used.cardinality();
        long room = window - (limit - low);
        long wanted = Math.max(requested, outstanding == 0 ? 1 : 0);
        int granted = (int) Math.max(0, Math.min(wanted, room));
        limit += granted;
        return granted;
    }

    /** The ids granted and not used yet. */
    synchronized long outstanding() {
        return limit - low - used.cardinality();
    }
}
