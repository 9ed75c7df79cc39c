package dev.sgw.nfs.xdr;

/**
 * Input that is not valid XDR for the type read: too short, a length over its declared maximum, or a value
 * outside its type. The RPC layer answers a call whose arguments throw this with GARBAGE_ARGS.
 */
public final class XdrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public XdrException(String message) {
        super(message);
    }
}
