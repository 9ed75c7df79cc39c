package dev.sgw.core.manage;

import java.io.IOException;

/**
 * The gateway state (or its key) cannot be read: missing key, corrupt JSON, a broken rule, a secret that
 * the key does not decrypt. The message says which file, what is wrong and what to do; the files are
 * left as they are.
 */
public final class StateFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public StateFileException(String message) {
        super(message);
    }

    public StateFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
