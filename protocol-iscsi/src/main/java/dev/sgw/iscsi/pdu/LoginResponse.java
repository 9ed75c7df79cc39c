package dev.sgw.iscsi.pdu;

/**
 * Login Response (RFC 7143 section 11.13). Byte 1: T, C, CSG, NSG; bytes 2-3 Version-max/active; 8-13 ISID;
 * 14-15 TSIH; 16-19 ITT; 24-27 StatSN; 28-31 ExpCmdSN; 32-35 MaxCmdSN; 36 Status-Class; 37 Status-Detail;
 * data: text keys.
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record LoginResponse(
        boolean transit,
        boolean cont,
        int csg,
        int nsg,
        int versionMax,
        int versionActive,
        long isid,
        int tsih,
        int itt,
        int statSN,
        int expCmdSN,
        int maxCmdSN,
        int statusClass,
        int statusDetail,
        byte[] data)
        implements IscsiPdu {

    public static LoginResponse decode(IscsiFrame f) {
        Bhs h = f.header();
        int flags = h.flags();
        return new LoginResponse(
                (flags & 0x80) != 0,
                (flags & 0x40) != 0,
                (flags >> 2) & 3,
                flags & 3,
                h.int8(2),
                h.int8(3),
                h.int48(8),
                h.int16(14),
                h.itt(),
                h.int32(24),
                h.int32(28),
                h.int32(32),
                h.int8(36),
                h.int8(37),
                f.dataBytes());
    }

    /** Status-Class and Status-Detail as one number, e.g. 0x0201. */
    public int status() {
        return (statusClass << 8) | statusDetail;
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGIN_RESPONSE;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.LOGIN_RESPONSE)
                .flags((transit ? 0x80 : 0) | (cont ? 0x40 : 0) | (csg << 2) | nsg)
                .int8(2, versionMax)
                .int8(3, versionActive)
                .int48(8, isid)
                .int16(14, tsih)
                .itt(itt)
                .int32(24, statSN)
                .int32(28, expCmdSN)
                .int32(32, maxCmdSN)
                .int8(36, statusClass)
                .int8(37, statusDetail);
        return IscsiFrame.of(h, data);
    }

    @Override
    public String toString() {
        return "LoginResponse[T=" + transit + " csg=" + csg + " nsg=" + nsg + " tsih=" + tsih + " status=0x"
                + Integer.toHexString(status()) + " statSN=" + statSN + " data=" + data.length + "B]";
    }
}
