package dev.sgw.core.volume;

import java.io.IOException;
import java.util.Objects;

/** The one exception of the volume layer: a {@link VolumeError} code and a message for the log. */
public class VolumeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final VolumeError error;

    public VolumeException(VolumeError error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public VolumeException(VolumeError error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    public VolumeError error() {
        return error;
    }

    @Override
    public String getMessage() {
        return error + ": " + super.getMessage();
    }
}
