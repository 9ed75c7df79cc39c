package dev.sgw.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * WRITE SAME (10) (41h) and WRITE SAME (16) (93h) of SBC-3: one block of data-out written to every
 * block of the range. NUMBER OF LOGICAL BLOCKS 0 means up to the last block (the Block Limits page reports
 * WSNZ=0); a range longer than MAXIMUM WRITE SAME LENGTH is INVALID FIELD IN CDB. NDOB (16 only) means a
 * block of zeros without data-out. ANCHOR (ANC_SUP=0) and the obsolete PBDATA/LBDATA are INVALID FIELD IN CDB.
 *
 * <p>UNMAP=1 (with ANCHOR=0) deallocates the range, whatever the data-out block holds (SBC-4 5.49, table
 * "ANCHOR bit, UNMAP bit, and ANC_SUP bit relationships": the action is unmap, not write; the Linux and tgt
 * targets do the same); the block is still transferred. Unmapped blocks read as zeros (LBPRZ=1). With UNMAP=0
 * a block of zeros is carried out as an unmap too - it reads back the same and the bucket does not store
 * chunks of zeros - and any other block is written.
 *
 * <pre>
 * CDB: byte 1 WRPROTECT (7-5) ANCHOR 10h UNMAP 08h PBDATA 04h LBDATA 02h NDOB 01h (16)
 *      (10) bytes 2-5 LBA, 7-8 blocks | (16) bytes 2-9 LBA, 10-13 blocks
 * </pre>
 */
final class WriteSameCommand {
    private static final int UNMAP = 0x08;

    private final Medium medium;
    private final BlockLimits limits;

    WriteSameCommand(Medium medium, BlockLimits limits) {
        this.medium = medium;
        this.limits = limits;
    }

    CommandResult execute(ScsiCommand command, Cdb cdb) throws ScsiError, IOException {
        boolean sixteen = cdb.opcode() == 0x93;
        int flags = cdb.u8(1);
        int invalid = 0xe0 | 0x10 | 0x04 | 0x02 | (sixteen ? 0 : 0x01);
        if ((flags & invalid) != 0) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        boolean noDataOut = sixteen && (flags & 0x01) != 0;
        long lba = sixteen ? cdb.u64(2) : cdb.u32(2);
        long blocks = sixteen ? cdb.u32(10) : cdb.u16(7);
        if (blocks == 0) {
            medium.checkRange(lba, 0);
            blocks = medium.blocks() - lba;
        }
        if (blocks > limits.maxWriteSameBlocks(medium.blockSize())) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        medium.checkRange(lba, blocks);
        medium.checkWritable();
        int blockSize = medium.blockSize();
        ByteBuffer block = noDataOut ? ByteBuffer.allocate(blockSize) : ReceivedData.takeExactly(command, blockSize);
        if (blocks > 0) {
            if ((flags & UNMAP) != 0 || isZeros(block)) {
                medium.unmap(lba, blocks);
            } else {
                medium.writeRepeated(lba, blocks, block, false);
            }
        }
        return CommandResult.dataOut(noDataOut ? 0 : blockSize);
    }

    private static boolean isZeros(ByteBuffer block) {
        for (int i = block.position(); i < block.limit(); i++) {
            if (block.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
