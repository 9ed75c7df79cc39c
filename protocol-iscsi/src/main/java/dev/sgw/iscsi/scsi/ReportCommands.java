package dev.sgw.iscsi.scsi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * REPORT LUNS (A0h), REPORT SUPPORTED OPERATION CODES (A3h/0Ch) and REPORT SUPPORTED TASK MANAGEMENT
 * FUNCTIONS (A3h/0Dh) of SPC-4.
 *
 * <p>REPORT LUNS lists LUN 0, the one logical unit of an sgw target (SELECT REPORT 00h and 02h; 01h, the
 * well-known logical units, is an empty list). REPORT SUPPORTED OPERATION CODES answers from the
 * {@link OpcodeTable}: reporting options 000b (all, one descriptor per opcode and service action, SERVACTV
 * set for service actions), 001b (opcode; INVALID FIELD IN CDB for an opcode with service actions), 010b
 * (opcode and service action; INVALID FIELD IN CDB for an opcode without) and 011b (either); RCTD adds a
 * command timeouts descriptor with no timeouts given. REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS reports
 * what the iSCSI transport carries out: ABORT TASK, ABORT TASK SET, CLEAR TASK SET, LOGICAL UNIT RESET and
 * TARGET RESET.
 */
final class ReportCommands {
    private static final int ALL = 0;
    private static final int OPCODE = 1;
    private static final int SERVICE_ACTION = 2;
    private static final int EITHER = 3;
    private static final int TIMEOUTS_DESCRIPTOR = 12;

    private final OpcodeTable table;

    ReportCommands(OpcodeTable table) {
        this.table = table;
    }

    CommandResult reportLuns(ScsiCommand command, Cdb cdb) throws ScsiError {
        List<Long> luns = switch (cdb.u8(2)) {
            case 0x00, 0x02 -> List.of(0L);
            case 0x01 -> List.of();
            default -> throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        };
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * luns.size());
        b.putInt(8 * luns.size()).putInt(0);
        luns.forEach(b::putLong);
        return CommandResult.dataIn(PersistentReserveIn.truncate(b.flip(), cdb.u32(6)));
    }

    CommandResult reportSupportedOperationCodes(ScsiCommand command, Cdb cdb) throws ScsiError {
        boolean timeouts = cdb.bit(2, 0x80);
        int options = cdb.u8(2) & 0x07;
        int opcode = cdb.u8(3);
        int serviceAction = cdb.u16(4);
        ByteBuffer data = switch (options) {
            case ALL -> all(timeouts);
            case OPCODE, SERVICE_ACTION, EITHER -> {
                boolean hasActions = table.hasServiceActions(opcode);
                if ((options == OPCODE && hasActions) || (options == SERVICE_ACTION && !hasActions)) {
                    throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
                }
                yield one(table.find(opcode, hasActions ? serviceAction : -1), timeouts);
            }
            default -> throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        };
        return CommandResult.dataIn(PersistentReserveIn.truncate(data, cdb.u32(6)));
    }

    CommandResult reportSupportedTaskManagementFunctions(ScsiCommand command, Cdb cdb) {
        boolean extended = cdb.bit(2, 0x80);
        ByteBuffer b = ByteBuffer.allocate(extended ? 16 : 4);
        b.put(0, (byte) (0x80 | 0x40 | 0x10 | 0x08 | 0x02)); // ATS, ATSS, CTSS, LURS, TRS
        if (extended) {
            b.put(3, (byte) 0x0c); // additional data length
        }
        return CommandResult.dataIn(PersistentReserveIn.truncate(b, cdb.u32(6)));
    }

    private ByteBuffer all(boolean timeouts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (CommandSpec spec : table.all()) {
            ByteBuffer d = ByteBuffer.allocate(8);
            d.put(0, (byte) spec.opcode());
            d.putShort(2, (short) Math.max(0, spec.serviceAction()));
            d.put(5, (byte) ((timeouts ? 0x02 : 0) | (spec.hasServiceAction() ? 0x01 : 0)));
            d.putShort(6, (short) spec.cdbLength());
            out.writeBytes(d.array());
            if (timeouts) {
                out.writeBytes(timeoutsDescriptor());
            }
        }
        byte[] descriptors = out.toByteArray();
        return ByteBuffer.allocate(4 + descriptors.length)
                .putInt(descriptors.length)
                .put(descriptors)
                .flip();
    }

    private static ByteBuffer one(CommandSpec spec, boolean timeouts) {
        if (spec == null) {
            ByteBuffer b = ByteBuffer.allocate(4);
            b.put(1, (byte) 0x01); // SUPPORT 001b: not supported
            return b;
        }
        byte[] usage = spec.usage();
        ByteBuffer b = ByteBuffer.allocate(4 + usage.length + (timeouts ? TIMEOUTS_DESCRIPTOR : 0));
        b.put(1, (byte) ((timeouts ? 0x80 : 0) | 0x03)); // CTDP, SUPPORT 011b: supported as the standard says
        b.putShort(2, (short) usage.length);
        b.put(4, usage);
        if (timeouts) {
            b.put(4 + usage.length, timeoutsDescriptor());
        }
        return b;
    }

    /** A command timeouts descriptor: length 0Ah, nominal and recommended timeouts 0 (not specified). */
    private static byte[] timeoutsDescriptor() {
        byte[] d = new byte[TIMEOUTS_DESCRIPTOR];
        d[1] = 0x0a;
        return d;
    }
}
