package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;

/**
 * READ CAPACITY (10) (25h), READ CAPACITY (16) (9Eh/10h) and GET LBA STATUS (9Eh/12h) of SBC-3. READ CAPACITY
 * (16) reports logical block provisioning (LBPME=1, LBPRZ=1), no protection information and one logical block
 * per physical block.
 *
 * <p>GET LBA STATUS: the volume cannot tell which blocks are mapped, so every answer is one descriptor from
 * the requested LBA to the end of the medium (at most 2^32-1 blocks) with provisioning status 0h, which SBC-3
 * defines as "mapped or unknown". No state is kept to remember unmapped ranges.
 */
final class CapacityCommands {
    private final Medium medium;

    CapacityCommands(Medium medium) {
        this.medium = medium;
    }

    CommandResult readCapacity10(ScsiCommand command, Cdb cdb) throws ScsiError {
        boolean partialMediumIndicator = cdb.bit(8, 0x01);
        if (!partialMediumIndicator && cdb.u32(2) != 0) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        long last = medium.blocks() - 1;
        ByteBuffer b = ByteBuffer.allocate(8);
        b.putInt(0, (int) Math.min(last, 0xffffffffL));
        b.putInt(4, medium.blockSize());
        return CommandResult.dataIn(b);
    }

    CommandResult readCapacity16(ScsiCommand command, Cdb cdb) {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.putLong(0, medium.blocks() - 1);
        b.putInt(8, medium.blockSize());
        b.put(14, (byte) 0xc0); // LBPME, LBPRZ; lowest aligned LBA 0
        return CommandResult.dataIn(PersistentReserveIn.truncate(b, cdb.u32(10)));
    }

    CommandResult getLbaStatus(ScsiCommand command, Cdb cdb) throws ScsiError {
        long lba = cdb.u64(2);
        if (lba < 0 || lba >= medium.blocks()) {
            throw ScsiError.check(SenseData.LBA_OUT_OF_RANGE);
        }
        ByteBuffer b = ByteBuffer.allocate(24);
        b.putInt(0, 20); // parameter data length: 4 + one 16-byte descriptor
        b.putLong(8, lba);
        b.putInt(16, (int) Math.min(medium.blocks() - lba, 0xffffffffL));
        b.put(20, (byte) 0x00); // provisioning status: mapped or unknown
        return CommandResult.dataIn(PersistentReserveIn.truncate(b, cdb.u32(10)));
    }
}
