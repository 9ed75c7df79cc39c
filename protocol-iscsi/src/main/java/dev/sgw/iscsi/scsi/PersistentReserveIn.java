package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * PERSISTENT RESERVE IN (5Eh, SPC-4 6.15): READ KEYS, READ RESERVATION, REPORT CAPABILITIES and READ FULL
 * STATUS. CDB: byte 1 service action, bytes 7-8 allocation length. Every answer is built whole and cut to the
 * allocation length, so its length fields always describe the full data.
 */
final class PersistentReserveIn {
    static final int READ_KEYS = 0;
    static final int READ_RESERVATION = 1;
    static final int REPORT_CAPABILITIES = 2;
    static final int READ_FULL_STATUS = 3;

    /** The iSCSI protocol identifier (SPC-4 table 362). */
    private static final int PROTOCOL_ISCSI = 0x5;

    private final PersistentReservations reservations;

    PersistentReserveIn(PersistentReservations reservations) {
        this.reservations = reservations;
    }

    CommandResult execute(ScsiCommand command, Cdb cdb) throws ScsiError {
        PersistentReservations.Snapshot s = reservations.snapshot();
        ByteBuffer data = switch (cdb.serviceAction()) {
            case READ_KEYS -> readKeys(s);
            case READ_RESERVATION -> readReservation(s);
            case REPORT_CAPABILITIES -> reportCapabilities();
            case READ_FULL_STATUS -> readFullStatus(s);
            default -> throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        };
        return CommandResult.dataIn(truncate(data, cdb.u16(7)));
    }

    static ByteBuffer truncate(ByteBuffer data, long allocationLength) {
        return data.limit((int) Math.min(data.limit(), allocationLength));
    }

    private static ByteBuffer readKeys(PersistentReservations.Snapshot s) {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * s.registrants().size());
        b.putInt(s.generation()).putInt(8 * s.registrants().size());
        s.registrants().forEach(r -> b.putLong(r.key()));
        return b.flip();
    }

    private static ByteBuffer readReservation(PersistentReservations.Snapshot s) {
        if (s.type() == null) {
            return ByteBuffer.allocate(8).putInt(s.generation()).putInt(0).flip();
        }
        ByteBuffer b = ByteBuffer.allocate(24);
        b.putInt(s.generation()).putInt(16).putLong(s.reservationKey());
        b.put(21, (byte) s.type().code); // scope 0h (logical unit), type
        return b.position(0);
    }

    /** Capabilities: ATP_C (ALL_TG_PT), TMV with the six types; no SIP_C, no PTPL_C, no CRH. */
    private static ByteBuffer reportCapabilities() {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.putShort(0, (short) 8);
        b.put(2, (byte) 0x04); // ATP_C
        b.put(3, (byte) 0x80); // TMV: the type mask is valid; ALLOW COMMANDS 000b
        b.put(4, (byte) (0x80 | 0x40 | 0x20 | 0x08 | 0x02)); // WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX
        b.put(5, (byte) 0x01); // EX_AC_AR
        return b;
    }

    private static ByteBuffer readFullStatus(PersistentReservations.Snapshot s) {
        List<byte[]> descriptors = new ArrayList<>();
        for (PersistentReservations.Registrant r : s.registrants()) {
            byte[] transportId = transportId(r.nexus());
            ByteBuffer d = ByteBuffer.allocate(24 + transportId.length);
            d.putLong(0, r.key());
            d.put(12, (byte) ((r.allTargetPorts() ? 0x02 : 0) | (r.holder() ? 0x01 : 0)));
            if (r.holder()) {
                d.put(13, (byte) s.type().code);
            }
            d.putShort(18, (short) (r.allTargetPorts() ? 0 : relativePort(r.nexus())));
            d.putInt(20, transportId.length);
            d.put(24, transportId);
            descriptors.add(d.array());
        }
        int length = descriptors.stream().mapToInt(d -> d.length).sum();
        ByteBuffer b = ByteBuffer.allocate(8 + length);
        b.putInt(s.generation()).putInt(length);
        descriptors.forEach(b::put);
        return b.flip();
    }

    /** The relative target port identifier sgw gives a target portal group. */
    static int relativePort(ItNexus nexus) {
        return Math.max(1, nexus.portalGroup() & 0xffff);
    }

    /**
     * The iSCSI TransportID of the initiator port (SPC-4 iSCSI TransportID, format 01b): the name, ",i,0x" and the
     * ISID, null-terminated and padded to a multiple of 4 bytes.
     */
    static byte[] transportId(ItNexus nexus) {
        byte[] name = nexus.initiatorPortName().getBytes(StandardCharsets.UTF_8);
        int padded = Math.max(20, (name.length + 1 + 3) & ~3);
        ByteBuffer b = ByteBuffer.allocate(4 + padded);
        b.put(0, (byte) (0x40 | PROTOCOL_ISCSI));
        b.putShort(2, (short) padded);
        b.put(4, name);
        return b.array();
    }
}
