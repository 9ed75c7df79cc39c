package dev.sgw.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * UNMAP (42h, SBC-3): discards the ranges of the parameter list's block descriptors; they read as zeros
 * afterwards (LBPRZ=1). Every descriptor is checked before anything is discarded: more descriptors than
 * MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT or more blocks than MAXIMUM UNMAP LBA COUNT are INVALID FIELD IN
 * PARAMETER LIST, a range past the last block is LBA OUT OF RANGE. A parameter list of 1 to 7 bytes is
 * PARAMETER LIST LENGTH ERROR; an incomplete last descriptor is ignored.
 *
 * <pre>
 * CDB: byte 1 ANCHOR 01h (not supported) | bytes 7-8 parameter list length
 * parameter list: 0-1 unmap data length | 2-3 block descriptor data length | 8.. descriptors of 16 bytes:
 * 0-7 LBA, 8-11 number of logical blocks
 * </pre>
 */
final class UnmapCommand {
    private static final int HEADER = 8;
    private static final int DESCRIPTOR = 16;

    private final Medium medium;
    private final BlockLimits limits;

    UnmapCommand(Medium medium, BlockLimits limits) {
        this.medium = medium;
        this.limits = limits;
    }

    CommandResult execute(ScsiCommand command, Cdb cdb) throws ScsiError, IOException {
        if (cdb.bit(1, 0x01)) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        int length = cdb.u16(7);
        if (length == 0) {
            return CommandResult.dataOut(0);
        }
        if (length < HEADER) {
            throw ScsiError.check(SenseData.PARAMETER_LIST_LENGTH_ERROR);
        }
        ByteBuffer list = ReceivedData.take(command, length);
        medium.checkWritable();
        int descriptorBytes = Math.min(list.getShort(2) & 0xffff, length - HEADER);
        int count = descriptorBytes / DESCRIPTOR;
        if (count > limits.maxUnmapDescriptors()) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_PARAMETER_LIST);
        }
        long maxBlocks = limits.maxUnmapBlocks(medium.blockSize());
        long total = 0;
        for (int i = 0; i < count; i++) {
            long lba = list.getLong(HEADER + i * DESCRIPTOR);
            long blocks = list.getInt(HEADER + i * DESCRIPTOR + 8) & 0xffffffffL;
            total += blocks;
            if (blocks > maxBlocks || total > maxBlocks) {
                throw ScsiError.check(SenseData.INVALID_FIELD_IN_PARAMETER_LIST);
            }
            medium.checkRange(lba, blocks);
        }
        for (int i = 0; i < count; i++) {
            long blocks = list.getInt(HEADER + i * DESCRIPTOR + 8) & 0xffffffffL;
            if (blocks > 0) {
                medium.unmap(list.getLong(HEADER + i * DESCRIPTOR), blocks);
            }
        }
        return CommandResult.dataOut(length);
    }
}
