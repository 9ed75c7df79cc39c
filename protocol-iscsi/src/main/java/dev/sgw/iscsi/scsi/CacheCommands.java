package dev.sgw.iscsi.scsi;

import java.io.IOException;

/**
 * SYNCHRONIZE CACHE (10) (35h) / (16) (91h) and PRE-FETCH (10) (34h) / (16) (90h) of SBC-3. SYNCHRONIZE CACHE
 * makes every earlier write durable ({@code BlockVolume.flush}, which covers more than the range asked for);
 * IMMED is accepted and the flush still finishes before the reply. PRE-FETCH checks its range and reports
 * GOOD ("the cache could not hold the blocks"), doing nothing: the volume's own read-ahead fills its cache. A
 * NUMBER OF LOGICAL BLOCKS of 0 means up to the last block.
 */
final class CacheCommands {
    private final Medium medium;

    CacheCommands(Medium medium) {
        this.medium = medium;
    }

    CommandResult synchronizeCache(ScsiCommand command, Cdb cdb) throws ScsiError, IOException {
        checkRange(cdb);
        medium.flush();
        return CommandResult.good();
    }

    CommandResult preFetch(ScsiCommand command, Cdb cdb) throws ScsiError {
        checkRange(cdb);
        return CommandResult.good();
    }

    private void checkRange(Cdb cdb) throws ScsiError {
        boolean sixteen = cdb.opcode() >= 0x80;
        long lba = sixteen ? cdb.u64(2) : cdb.u32(2);
        long blocks = sixteen ? cdb.u32(10) : cdb.u16(7);
        medium.checkRange(lba, blocks);
    }
}
