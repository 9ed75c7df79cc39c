package dev.sgw.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * READ, WRITE, WRITE AND VERIFY and VERIFY in their 6/10/12/16-byte forms (SBC-3). Protection information is
 * not supported: a non-zero RDPROTECT/WRPROTECT/VRPROTECT is INVALID FIELD IN CDB. DPO is accepted and
 * ignored; FUA is passed to the volume. WRITE AND VERIFY writes with FUA (verification is of the medium) and,
 * with BYTCHK=1, reads back and compares. VERIFY with BYTCHK=00b reads the range (a volume read error is the
 * verification failing), 01b compares against the data-out, 11b compares every block against one data-out
 * block. A WRITE or WRITE AND VERIFY whose data-out is shorter than its transfer length writes (and verifies)
 * the whole blocks that were sent and succeeds with an overflow residual ({@link ReceivedData}).
 */
final class ReadWriteCommands {
    private static final int DPO_FUA_PROTECT_FLAGS = 1;

    private final Medium medium;
    private final BlockLimits limits;

    ReadWriteCommands(Medium medium, BlockLimits limits) {
        this.medium = medium;
        this.limits = limits;
    }

    /** The LBA and transfer length fields of a 6/10/12/16-byte READ/WRITE/VERIFY CDB. */
    record Extent(long lba, long blocks) {
        static Extent of(Cdb cdb) {
            return switch (lengthOf(cdb.opcode())) {
                case 6 -> new Extent(cdb.u24(1) & 0x1fffff, cdb.u8(4) == 0 ? 256 : cdb.u8(4));
                case 10 -> new Extent(cdb.u32(2), cdb.u16(7));
                case 12 -> new Extent(cdb.u32(2), cdb.u32(6));
                default -> new Extent(cdb.u64(2), cdb.u32(10));
            };
        }

        /** The CDB length of an opcode's group code: 6, 10, 12 or 16 bytes. */
        static int lengthOf(int opcode) {
            return switch (opcode >> 5) {
                case 0 -> 6;
                case 1, 2 -> 10;
                case 5 -> 12;
                default -> 16;
            };
        }
    }

    CommandResult read(ScsiCommand command, Cdb cdb) throws ScsiError, IOException {
        noProtection(cdb);
        Extent e = checked(cdb);
        long bytes = e.blocks() * medium.blockSize();
        long limit = command.read() ? command.expectedTransferLength() : 0;
        long needed = Math.min(e.blocks(), (limit + medium.blockSize() - 1) / medium.blockSize());
        ByteBuffer data = needed == 0 ? ByteBuffer.allocate(0) : medium.read(e.lba(), needed);
        return CommandResult.dataIn(data, bytes);
    }

    CommandResult write(ScsiCommand command, Cdb cdb) throws ScsiError, IOException {
        noProtection(cdb);
        Extent e = checked(cdb);
        long bytes = e.blocks() * medium.blockSize();
        if (bytes == 0) {
            return CommandResult.dataOut(0);
        }
        medium.checkWritable();
        ByteBuffer data = ReceivedData.takeWholeBlocks(command, bytes, medium.blockSize());
        if (data.hasRemaining()) {
            medium.write(e.lba(), data, fua(cdb));
        }
        return CommandResult.dataOut(bytes);
    }

    CommandResult writeAndVerify(ScsiCommand command, Cdb cdb) throws ScsiError, IOException {
        noProtection(cdb);
        int byteCheck = cdb.u8(1) >> 1 & 0x03;
        if (byteCheck > 1) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        Extent e = checked(cdb);
        long bytes = e.blocks() * medium.blockSize();
        if (bytes == 0) {
            return CommandResult.dataOut(0);
        }
        medium.checkWritable();
        ByteBuffer data = ReceivedData.takeWholeBlocks(command, bytes, medium.blockSize());
        if (data.hasRemaining()) {
            medium.write(e.lba(), data, true);
            if (byteCheck == 1) {
                compare(medium.read(e.lba(), data.remaining() / medium.blockSize()), data, 0);
            }
        }
        return CommandResult.dataOut(bytes);
    }

    CommandResult verify(ScsiCommand command, Cdb cdb) throws ScsiError, IOException {
        noProtection(cdb);
        int byteCheck = cdb.u8(1) >> 1 & 0x03;
        if (byteCheck == 2) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        Extent e = checked(cdb);
        int blockSize = medium.blockSize();
        if (e.blocks() == 0) {
            return byteCheck == 0 ? CommandResult.good() : CommandResult.dataOut(0);
        }
        ByteBuffer expected = switch (byteCheck) {
            case 0 -> null;
            case 1 -> ReceivedData.take(command, e.blocks() * blockSize);
            default -> ReceivedData.take(command, blockSize);
        };
        int perPiece = Math.max(1, Medium.PIECE_BYTES / blockSize);
        for (long done = 0; done < e.blocks(); ) {
            int n = (int) Math.min(e.blocks() - done, perPiece);
            ByteBuffer actual = medium.read(e.lba() + done, n);
            if (byteCheck == 1) {
                compare(actual, expected.slice((int) (done * blockSize), n * blockSize), done * blockSize);
            } else if (byteCheck == 3) {
                for (int b = 0; b < n; b++) {
                    compare(actual.slice(b * blockSize, blockSize), expected, 0);
                }
            }
            done += n;
        }
        return expected == null ? CommandResult.good() : CommandResult.dataOut(expected.capacity());
    }

    /**
     * MISCOMPARE unless {@code actual} equals {@code expected}; the INFORMATION field is the offset of the
     * first differing byte in the data-out buffer ({@code base} is where {@code expected} starts in it).
     */
    static void compare(ByteBuffer actual, ByteBuffer expected, long base) throws ScsiError {
        int at = actual.duplicate().mismatch(expected.duplicate());
        if (at >= 0) {
            throw ScsiError.check(SenseData.miscompare(base + at));
        }
    }

    /** The command's extent, in range and within the maximum transfer length. */
    private Extent checked(Cdb cdb) throws ScsiError {
        Extent e = Extent.of(cdb);
        if (e.blocks() > limits.maxTransferBlocks(medium.blockSize())) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        medium.checkRange(e.lba(), e.blocks());
        return e;
    }

    private static void noProtection(Cdb cdb) throws ScsiError {
        if (cdb.opcode() >= 0x20 && (cdb.u8(DPO_FUA_PROTECT_FLAGS) & 0xe0) != 0) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
    }

    private static boolean fua(Cdb cdb) {
        return cdb.opcode() >= 0x20 && cdb.bit(DPO_FUA_PROTECT_FLAGS, 0x08);
    }
}
