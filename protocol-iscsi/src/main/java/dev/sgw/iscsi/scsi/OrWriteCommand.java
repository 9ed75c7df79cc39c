package dev.sgw.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * ORWRITE (16) (8Bh, SBC-3 5.9): reads TRANSFER LENGTH blocks, ORs the data-out into them byte by byte and
 * writes the result. Atomic against every other write to the range, like COMPARE AND WRITE: the range is held
 * exclusive from the read to the write ({@link RangeLocks}), so a concurrent write is either before the read
 * or after the write, never lost in between. Protection information is not supported (a non-zero ORPROTECT is
 * INVALID FIELD IN CDB); DPO is accepted and ignored, FUA is passed to the volume. A transfer length of 0 is not
 * an error and does nothing; one above the maximum transfer length is INVALID FIELD IN CDB. Data-out shorter
 * than the transfer length is handled as for WRITE: the whole blocks sent are ORed, with an overflow residual
 * ({@link ReceivedData}).
 *
 * <pre>
 * CDB: byte 1 ORPROTECT (7-5) DPO 10h FUA 08h FUA_NV 02h | bytes 2-9 LBA | bytes 10-13 transfer length
 *      byte 14 group number
 * </pre>
 */
final class OrWriteCommand {
    private static final int PROTECT = 0xe0;
    private static final int FUA = 0x08;

    private final Medium medium;
    private final BlockLimits limits;

    OrWriteCommand(Medium medium, BlockLimits limits) {
        this.medium = medium;
        this.limits = limits;
    }

    // try (Held ignored = medium.lockExclusive(...)): a held range lock, scoped by the block, never referenced
    @SuppressWarnings("try")
    CommandResult execute(ScsiCommand command, Cdb cdb) throws ScsiError, IOException {
        if ((cdb.u8(1) & PROTECT) != 0) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        long lba = cdb.u64(2);
        long blocks = cdb.u32(10);
        int blockSize = medium.blockSize();
        if (blocks > limits.maxTransferBlocks(blockSize)) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        medium.checkRange(lba, blocks);
        long bytes = blocks * blockSize;
        if (bytes == 0) {
            return CommandResult.dataOut(0);
        }
        medium.checkWritable();
        ByteBuffer mask = ReceivedData.takeWholeBlocks(command, bytes, blockSize);
        long sentBlocks = mask.remaining() / blockSize;
        if (sentBlocks > 0) {
            try (RangeLocks.Held ignored = medium.lockExclusive(lba, sentBlocks)) {
                ByteBuffer data = medium.read(lba, sentBlocks);
                for (int i = 0; i < data.limit(); i++) {
                    data.put(i, (byte) (data.get(i) | mask.get(i)));
                }
                medium.writeLocked(lba, data, cdb.bit(1, FUA));
            }
        }
        return CommandResult.dataOut(bytes);
    }
}
