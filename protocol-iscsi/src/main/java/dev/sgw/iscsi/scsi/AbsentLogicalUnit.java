package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;

/**
 * The answers for a LUN that has no logical unit behind it (SPC-4 6.6.2, peripheral qualifier 011b): INQUIRY returns
 * peripheral qualifier 011b / device type 1Fh, REPORT LUNS lists LUN 0, REQUEST SENSE returns LOGICAL UNIT
 * NOT SUPPORTED, and every other command ends in CHECK CONDITION, ILLEGAL REQUEST, LOGICAL UNIT NOT
 * SUPPORTED. The transport sends commands for unknown LUNs here.
 */
public final class AbsentLogicalUnit implements LogicalUnit {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    @Override
    public ScsiResponse execute(ScsiCommand command) {
        Cdb cdb = new Cdb(command.cdb());
        ByteBuffer data;
        long allocation;
        switch (command.cdb().length == 0 ? -1 : cdb.opcode()) {
            case 0x12 -> {
                data = ByteBuffer.allocate(36);
                data.put(0, (byte) 0x7f);
                data.put(2, (byte) 0x06);
                data.put(3, (byte) 0x02);
                data.put(4, (byte) 31);
                allocation = cdb.u16(3);
            }
            case 0xa0 -> {
                data = ByteBuffer.allocate(16);
                data.putInt(0, 8);
                allocation = cdb.u32(6);
            }
            case 0x03 -> {
                data = SenseData.LOGICAL_UNIT_NOT_SUPPORTED.toFixedFormat();
                allocation = cdb.u8(4);
            }
            default -> {
                return new ScsiResponse(
                        ScsiResponse.CHECK_CONDITION,
                        SenseData.LOGICAL_UNIT_NOT_SUPPORTED.toFixedFormat(),
                        EMPTY.duplicate(),
                        0);
            }
        }
        long limit = command.read() ? Math.min(allocation, command.expectedTransferLength()) : 0;
        int produced = (int) Math.min(allocation, data.remaining());
        data.limit((int) Math.min(data.remaining(), limit));
        return new ScsiResponse(
                ScsiResponse.GOOD,
                EMPTY.duplicate(),
                data.slice(),
                ReceivedData.clamp((command.read() ? command.expectedTransferLength() : 0) - produced));
    }

    @Override
    public void reset(ItNexus nexus) {
        // nothing to reset
    }

    @Override
    public void nexusLost(ItNexus nexus) {
        // nothing held
    }
}
