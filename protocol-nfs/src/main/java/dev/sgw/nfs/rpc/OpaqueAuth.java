package dev.sgw.nfs.rpc;

/**
 * An {@code opaque_auth} (RFC 5531 section 8.2): a flavor and up to {@value #MAX_BODY} bytes of body.
 *
 * @param flavor the authentication flavor ({@link #AUTH_NONE}, {@link #AUTH_SYS}, ...)
 * @param body   the flavor's data
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record OpaqueAuth(int flavor, byte[] body) {
    public static final int AUTH_NONE = 0;
    public static final int AUTH_SYS = 1;
    public static final int MAX_BODY = 400;
    /** The empty AUTH_NONE verifier every reply of ours carries. */
    public static final OpaqueAuth NONE = new OpaqueAuth(AUTH_NONE, new byte[0]);

    public OpaqueAuth {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
