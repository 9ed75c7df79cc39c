package dev.sgw.nfs.v3;

import java.util.concurrent.locks.ReentrantLock;

import dev.sgw.core.volume.NodeId;

/**
 * Serializes the NFSv3 changes of one directory (or of one file's attributes), so that the
 * {@code wcc_data} a change answers brackets exactly that change: no other change made through this
 * program falls between its "before" and "after" attributes, and a client that finds its cached
 * attributes equal to "before" may rightly keep its cache. Changes through other protocols are not
 * serialized with these (their clients see them by the changed attributes).
 *
 * <p>A fixed table of stripes, chosen by export and inode; two objects may share a stripe, which only
 * serializes more. {@link ReentrantLock}s, not monitors: volume calls block under them. Several locks are
 * always taken in stripe order, so two renames cannot deadlock.
 */
final class WccLocks {
    private static final int STRIPES = 1024;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    WccLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Holds the stripes of the given objects until closed. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    Held lock(int exportId, NodeId node) {
        ReentrantLock l = stripes[stripe(exportId, node)];
        l.lock();
        return l::unlock;
    }

    /** Both objects' stripes, lower stripe first (once when they share one). */
    Held lock(int exportId, NodeId a, NodeId b) {
        int sa = stripe(exportId, a);
        int sb = stripe(exportId, b);
        if (sa == sb) {
            return lock(exportId, a);
        }
        ReentrantLock first = stripes[Math.min(sa, sb)];
        ReentrantLock second = stripes[Math.max(sa, sb)];
        first.lock();
        second.lock();
        return () -> {
            second.unlock();
            first.unlock();
        };
    }

    private static int stripe(int exportId, NodeId node) {
        long h = node.inode() * 0x9E37_79B9_7F4A_7C15L ^ exportId;
        return (int) ((h ^ (h >>> 32)) & (STRIPES - 1));
    }
}
