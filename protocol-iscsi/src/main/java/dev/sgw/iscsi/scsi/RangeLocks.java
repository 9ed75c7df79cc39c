package dev.sgw.iscsi.scsi;

import java.util.BitSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Read-write locks striped over the LBA space, so that COMPARE AND WRITE and ORWRITE are atomic against every
 * other write: writes, WRITE SAME and UNMAP hold their range shared (they run side by side, the volume keeps
 * each whole), COMPARE AND WRITE and ORWRITE hold their range exclusive between their read and their write.
 * The LBA space is cut into regions of {@code regionBlocks}; region r maps to stripe r mod {@code stripes}.
 * A caller locks the stripes of its range in ascending order, so two callers never wait on each other in a
 * cycle.
 */
final class RangeLocks {
    private final ReentrantReadWriteLock[] stripes;
    private final long regionBlocks;

    RangeLocks(int stripeCount, long regionBlocks) {
        this.stripes = new ReentrantReadWriteLock[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new ReentrantReadWriteLock();
        }
        this.regionBlocks = regionBlocks;
    }

    /** Locks held on a range; {@link #close} unlocks them. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    Held shared(long lba, long blocks) {
        return lock(lba, blocks, false);
    }

    Held exclusive(long lba, long blocks) {
        return lock(lba, blocks, true);
    }

    private Held lock(long lba, long blocks, boolean exclusive) {
        if (blocks <= 0) {
            return () -> {};
        }
        BitSet chosen = new BitSet(stripes.length);
        long first = lba / regionBlocks;
        long last = (lba + blocks - 1) / regionBlocks;
        if (last - first + 1 >= stripes.length) {
            chosen.set(0, stripes.length);
        } else {
            for (long r = first; r <= last; r++) {
                chosen.set((int) (r % stripes.length));
            }
        }
        Lock[] taken = new Lock[chosen.cardinality()];
        int n = 0;
        for (int i = chosen.nextSetBit(0); i >= 0; i = chosen.nextSetBit(i + 1)) {
            Lock lock = exclusive ? stripes[i].writeLock() : stripes[i].readLock();
            lock.lock();
            taken[n++] = lock;
        }
        return () -> {
            for (int i = taken.length - 1; i >= 0; i--) {
                taken[i].unlock();
            }
        };
    }
}
