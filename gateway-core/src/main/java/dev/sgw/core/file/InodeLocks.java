package dev.sgw.core.file;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by inode number: whoever changes an inode record (or a directory's entries) holds the
 * inode's stripe. Several stripes are always taken in ascending stripe order, so two operations never
 * wait for each other's stripes in a cycle. Locks are reentrant and not monitors, so a holder may do
 * blocking I/O on a virtual thread.
 */
final class InodeLocks {
    private static final int STRIPES = 1024;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    InodeLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** The stripes of {@code inodes} (0 entries are ignored), locked in order; close to unlock. */
    Held lock(long... inodes) {
        int[] idx = Arrays.stream(inodes)
                .filter(i -> i != 0)
                .mapToInt(InodeLocks::stripe)
                .sorted()
                .distinct()
                .toArray();
        for (int i = 0; i < idx.length; i++) {
            stripes[idx[i]].lock();
        }
        return new Held(idx);
    }

    private static int stripe(long inode) {
        long h = inode * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 54); // 10 bits
    }

    /** Locks held by one operation. */
    final class Held implements AutoCloseable {
        private final int[] idx;

        private Held(int[] idx) {
            this.idx = idx;
        }

        @Override
        public void close() {
            for (int i = idx.length - 1; i >= 0; i--) {
                stripes[idx[i]].unlock();
            }
        }
    }
}
