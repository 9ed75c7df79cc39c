package dev.sgw.core.store;

import java.io.IOException;

/**
 * The one failure type of the {@link ObjectStore} seam. Every backend maps its SDK's errors onto a
 * neutral {@link Code}, so callers (write-back, recovery, decorators) decide what to do by code alone and
 * never look at an SDK exception.
 *
 * <p>It is an {@link IOException} so that a failure surfacing while a caller reads a {@link ObjectContent}
 * stream (a dropped connection, a CRC64 mismatch at the end of the body) can be thrown as this type.
 */
public final class ObjectStoreException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, independent of the backend. */
    public enum Code {
        /** The key (or upload id) does not exist. */
        NOT_FOUND(false),
        /** A conditional request's precondition failed: the object exists (create-only) or its ETag changed. */
        PRECONDITION_FAILED(false),
        /** The store asked us to slow down (HTTP 429/503 SlowDown, OSS request limits). */
        THROTTLED(true),
        /** The store could not be reached or answered with a server error; the request may be retried. */
        UNAVAILABLE(true),
        /** Content does not match its CRC64-ECMA; never served, never silently accepted. */
        INTEGRITY(false),
        /** Credentials are missing, wrong or lack a permission (HTTP 401/403, bad signature). */
        DENIED(false),
        /** The request itself is invalid (bad key, bad range, bad part list); retrying cannot help. */
        INVALID(false),
        /** The backend does not offer this operation or option. */
        NOT_SUPPORTED(false),
        /** Anything else; not retried. */
        OTHER(false);

        private final boolean retryable;

        Code(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether the same request may succeed if sent again later. */
        public boolean retryable() {
            return retryable;
        }
    }

    private final Code code;

    public ObjectStoreException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public ObjectStoreException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    public boolean retryable() {
        return code.retryable();
    }

    public static ObjectStoreException notFound(String key) {
        return new ObjectStoreException(Code.NOT_FOUND, "no such object: " + key);
    }

    @Override
    public String getMessage() {
        return code + ": " + super.getMessage();
    }
}
