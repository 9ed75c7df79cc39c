package dev.sgw.iscsi.pdu;

import java.util.Objects;

/**
 * A PDU the decoders could not accept, handed on instead of being dropped so that the connection answers it
 * with a Reject (or a login failure) as RFC 7143 requires. Only a fatal problem (the framing can no longer be
 * trusted) closes the connection.
 *
 * @param header  the offending basic header segment (48 bytes), echoed in the Reject
 * @param problem what is wrong
 * @param detail  a human-readable explanation for the log
 */
public record InvalidPdu(Bhs header, Problem problem, String detail) {

    /** What made a PDU invalid. */
    public enum Problem {
        /** The header digest does not match: nothing in the header (lengths included) can be trusted. */
        HEADER_DIGEST(true),
        /** The data digest does not match: the PDU is discarded and rejected (reason 0x02). */
        DATA_DIGEST(false),
        /** The data segment is longer than the MaxRecvDataSegmentLength the target declared; skipped. */
        DATA_TOO_LONG(false),
        /** No PDU has this opcode. */
        UNKNOWN_OPCODE(false),
        /** A target opcode (or one this side does not accept) arrived. */
        UNEXPECTED_OPCODE(false),
        /** A header field holds a value the PDU kind does not allow. */
        BAD_FIELD(false);

        private final boolean fatal;

        Problem(boolean fatal) {
            this.fatal = fatal;
        }

        /** Whether the connection must be closed. */
        public boolean fatal() {
            return fatal;
        }
    }

    public InvalidPdu {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(detail, "detail");
    }

    /** The opcode code of the offending header. */
    public int opcodeCode() {
        return header.opcodeCode();
    }
}
