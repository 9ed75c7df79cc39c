package dev.sgw.nfs.v4;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** POSIX byte-range lock rules of {@link Locks}: conflicts between owners, splitting and replacing an owner's ranges. */
class LocksTest {
    private final Locks locks = new Locks();
    private final StateTable.FileKey file = new StateTable.FileKey(1, 10);
    private final StateTable.OwnerKey a = new StateTable.OwnerKey(1, ByteBuffer.wrap(new byte[] {'a'}));
    private final StateTable.OwnerKey b = new StateTable.OwnerKey(1, ByteBuffer.wrap(new byte[] {'b'}));

    @Test
    void readLocksShareAndWriteLocksExclude() {
        locks.lock(file, a, 0, 100, Locks.Mode.READ_LOCKED);
        assertThat(locks.conflict(file, b, 50, 60, Locks.Mode.READ_LOCKED)).isEmpty();
        assertThat(locks.conflict(file, b, 50, 60, Locks.Mode.WRITE_LOCKED))
                .get()
                .extracting(Locks.Range::owner)
                .isEqualTo(a);
        assertThat(locks.conflict(file, a, 50, 60, Locks.Mode.WRITE_LOCKED))
                .as("never with itself")
                .isEmpty();
        assertThat(locks.conflict(file, b, 100, 200, Locks.Mode.WRITE_LOCKED))
                .as("ranges are half open")
                .isEmpty();
        assertThat(locks.conflict(new StateTable.FileKey(1, 11), b, 0, 10, Locks.Mode.WRITE_LOCKED))
                .isEmpty();
    }

    @Test
    void unlockingTheMiddleSplitsAndRelockingReplaces() {
        locks.lock(file, a, 0, -1L, Locks.Mode.WRITE_LOCKED);
        locks.unlock(file, a, 100, 200);
        assertThat(locks.count()).isEqualTo(2);
        assertThat(locks.conflict(file, b, 150, 160, Locks.Mode.WRITE_LOCKED)).isEmpty();
        assertThat(locks.conflict(file, b, 99, 100, Locks.Mode.READ_LOCKED)).isPresent();
        assertThat(locks.conflict(file, b, 200, 201, Locks.Mode.READ_LOCKED))
                .as("up to the end of any file")
                .isPresent();

        locks.lock(file, a, 50, 250, Locks.Mode.READ_LOCKED); // downgrade the middle to a read lock
        assertThat(locks.count()).isEqualTo(3);
        assertThat(locks.conflict(file, b, 60, 70, Locks.Mode.READ_LOCKED)).isEmpty();
        assertThat(locks.conflict(file, b, 60, 70, Locks.Mode.WRITE_LOCKED)).isPresent();
        locks.unlockAll(file, a);
        assertThat(locks.count()).isZero();
        assertThat(locks.holds(file, a)).isFalse();
    }
}
