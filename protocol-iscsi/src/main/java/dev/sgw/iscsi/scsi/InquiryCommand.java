package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;

/**
 * INQUIRY (12h, SPC-4 6.6): the standard data or a vital product data page ({@link VpdPages}). CDB: byte 1
 * EVPD 01h (CMDDT 02h, obsolete, is INVALID FIELD IN CDB), byte 2 page code, bytes 3-4 allocation length.
 * A page code without EVPD, or an unknown page, is INVALID FIELD IN CDB.
 *
 * <p>Standard data, 96 bytes: direct-access block device, not removable, version 6 (SPC-4), HISUP, response
 * data format 2, CMDQUE; vendor, product and revision from the {@link UnitIdentity}; version descriptors
 * SAM-5, iSCSI, SPC-4, SBC-3.
 */
final class InquiryCommand {
    private static final int STANDARD_LENGTH = 96;
    private static final short[] VERSION_DESCRIPTORS = {0x00a0, 0x0960, 0x0460, 0x04c0};

    private final UnitIdentity identity;
    private final VpdPages vpd;

    InquiryCommand(UnitIdentity identity, VpdPages vpd) {
        this.identity = identity;
        this.vpd = vpd;
    }

    CommandResult execute(ScsiCommand command, Cdb cdb) throws ScsiError {
        boolean evpd = cdb.bit(1, 0x01);
        int pageCode = cdb.u8(2);
        if (cdb.bit(1, 0x02) || (!evpd && pageCode != 0)) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        ByteBuffer data = evpd ? vpd.page(pageCode, command.nexus()) : standard();
        return CommandResult.dataIn(PersistentReserveIn.truncate(data, cdb.u16(3)));
    }

    private ByteBuffer standard() {
        ByteBuffer b = ByteBuffer.allocate(STANDARD_LENGTH);
        b.put(0, (byte) 0x00); // peripheral qualifier 0, direct access block device
        b.put(1, (byte) 0x00); // not removable
        b.put(2, (byte) 0x06); // SPC-4
        b.put(3, (byte) 0x12); // HISUP, response data format 2
        b.put(4, (byte) (STANDARD_LENGTH - 5)); // additional length
        b.put(7, (byte) 0x02); // CMDQUE
        b.put(8, UnitIdentity.padded(identity.vendor(), 8));
        b.put(16, UnitIdentity.padded(identity.product(), 16));
        b.put(32, UnitIdentity.padded(identity.revision(), 4));
        for (int i = 0; i < VERSION_DESCRIPTORS.length; i++) {
            b.putShort(58 + 2 * i, VERSION_DESCRIPTORS[i]);
        }
        return b;
    }
}
