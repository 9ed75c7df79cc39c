package dev.sgw.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * COMPARE AND WRITE (89h, SBC-3 5.2): reads NUMBER OF LOGICAL BLOCKS blocks, compares them with the first
 * half of the data-out (the verify data) and, only if equal, writes the second half. Atomic against every
 * other write to the range: the range is held exclusive from the read to the write ({@link RangeLocks}).
 * A mismatch is MISCOMPARE DURING VERIFY OPERATION with the offset of the first differing byte, and nothing
 * is written. The data-out must be exactly twice the blocks, also for 0 blocks (no data-out): an initiator
 * that sends 256 blocks' worth has its count wrapped to 0 in the one-byte field, and gets INVALID FIELD IN CDB
 * rather than a silent no-op.
 *
 * <pre>
 * CDB: byte 1 WRPROTECT (7-5) DPO 10h FUA 08h | bytes 2-9 LBA | byte 13 number of logical blocks
 * </pre>
 */
final class CompareAndWriteCommand {
    private final Medium medium;
    private final BlockLimits limits;

    CompareAndWriteCommand(Medium medium, BlockLimits limits) {
        this.medium = medium;
        this.limits = limits;
    }

    // try (Held ignored = medium.lockExclusive(...)): a held range lock, scoped by the block, never referenced
    @SuppressWarnings("try")
    CommandResult execute(ScsiCommand command, Cdb cdb) throws ScsiError, IOException {
        if ((cdb.u8(1) & 0xe0) != 0) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        long lba = cdb.u64(2);
        int blocks = cdb.u8(13);
        if (blocks > limits.maxCompareAndWriteBlocks()) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        medium.checkRange(lba, blocks);
        int half = blocks * medium.blockSize();
        ByteBuffer data = ReceivedData.takeExactly(command, 2L * half);
        if (blocks == 0) {
            return CommandResult.dataOut(0);
        }
        medium.checkWritable();
        ByteBuffer verify = data.slice(0, half);
        ByteBuffer write = data.slice(half, half);
        try (RangeLocks.Held ignored = medium.lockExclusive(lba, blocks)) {
            ReadWriteCommands.compare(medium.read(lba, blocks), verify, 0);
            medium.writeLocked(lba, write, cdb.bit(1, 0x08));
        }
        return CommandResult.dataOut(2L * half);
    }
}
