package dev.sgw.iscsi.pdu;

import java.util.Optional;

/**
 * The iSCSI opcodes (RFC 7143 section 11.2.1.2): the low six bits of the first byte of every PDU. Initiator
 * opcodes are 0x00-0x1f, target opcodes 0x20-0x3f.
 */
public enum Opcode {
    NOP_OUT(0x00),
    SCSI_COMMAND(0x01),
    TASK_MANAGEMENT_REQUEST(0x02),
    LOGIN_REQUEST(0x03),
    TEXT_REQUEST(0x04),
    DATA_OUT(0x05),
    LOGOUT_REQUEST(0x06),
    SNACK_REQUEST(0x10),
    NOP_IN(0x20),
    SCSI_RESPONSE(0x21),
    TASK_MANAGEMENT_RESPONSE(0x22),
    LOGIN_RESPONSE(0x23),
    TEXT_RESPONSE(0x24),
    DATA_IN(0x25),
    LOGOUT_RESPONSE(0x26),
    READY_TO_TRANSFER(0x31),
    ASYNC_MESSAGE(0x32),
    REJECT(0x3f);

    private static final Opcode[] BY_CODE = new Opcode[64];

    static {
        for (Opcode o : values()) {
            BY_CODE[o.code] = o;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** The six-bit code. */
    public int code() {
        return code;
    }

    /** Whether an initiator sends this opcode (a target receives it). */
    public boolean fromInitiator() {
        return code < 0x20;
    }

    /** The opcode with this six-bit code, if one is defined. */
    public static Optional<Opcode> of(int code) {
        return code < 0 || code > 63 ? Optional.empty() : Optional.ofNullable(BY_CODE[code]);
    }
}
