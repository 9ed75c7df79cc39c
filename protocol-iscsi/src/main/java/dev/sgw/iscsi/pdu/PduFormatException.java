package dev.sgw.iscsi.pdu;

/** A header field holds a value its PDU kind does not allow; the decoder turns it into an {@link InvalidPdu}. */
public final class PduFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PduFormatException(String message) {
        super(message);
    }
}
