package dev.sgw.iscsi.login;

/** iSCSI text that breaks the key=value rules of RFC 7143 section 6.1. */
public final class TextFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public TextFormatException(String message) {
        super(message);
    }
}
