package dev.sgw.iscsi.pdu;

/**
 * Login Request (RFC 7143 section 11.12), always immediate. Byte 1: T (0x80), C (0x40), CSG (bits 3-2) and
 * NSG (bits 1-0); bytes 2-3 Version-max/min; 8-13 ISID; 14-15 TSIH; 16-19 ITT; 20-21 CID; 24-27 CmdSN;
 * 28-31 ExpStatSN; data: text keys.
 *
 * @param transit    T: the initiator is ready to move to stage {@code nsg}
 * @param cont       C: the text continues in the next PDU
 * @param csg        the current stage: 0 security negotiation, 1 operational negotiation
 * @param nsg        the next stage (valid when {@code transit}): 1 operational, 3 full feature phase
 * @param isid       the initiator session id (6 bytes)
 * @param tsih       the target session identifying handle, 0 for a new session
 * @param cid        the connection id
 * @param data       key=value pairs, NUL-terminated
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record LoginRequest(
        boolean transit,
        boolean cont,
        int csg,
        int nsg,
        int versionMax,
        int versionMin,
        long isid,
        int tsih,
        int itt,
        int cid,
        int cmdSN,
        int expStatSN,
        byte[] data)
        implements IscsiPdu {

    public static LoginRequest decode(IscsiFrame f) {
        Bhs h = f.header();
        int flags = h.flags();
        boolean transit = (flags & 0x80) != 0;
        boolean cont = (flags & 0x40) != 0;
        if (transit && cont) {
            throw new PduFormatException("login request with both T and C bits set");
        }
        return new LoginRequest(
                transit,
                cont,
                (flags >> 2) & 3,
                flags & 3,
                h.int8(2),
                h.int8(3),
                h.int48(8),
                h.int16(14),
                h.itt(),
                h.int16(20),
                h.int32(24),
                h.int32(28),
                f.dataBytes());
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGIN_REQUEST;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.LOGIN_REQUEST)
                .immediate(true)
                .flags((transit ? 0x80 : 0) | (cont ? 0x40 : 0) | (csg << 2) | nsg)
                .int8(2, versionMax)
                .int8(3, versionMin)
                .int48(8, isid)
                .int16(14, tsih)
                .itt(itt)
                .int16(20, cid)
                .int32(24, cmdSN)
                .int32(28, expStatSN);
        return IscsiFrame.of(h, data);
    }

    @Override
    public String toString() {
        return "LoginRequest[T=" + transit + " C=" + cont + " csg=" + csg + " nsg=" + nsg + " isid="
                + Long.toHexString(isid) + " tsih=" + tsih + " itt=" + itt + " cid=" + cid + " cmdSN=" + cmdSN
                + " data=" + data.length + "B]";
    }
}
