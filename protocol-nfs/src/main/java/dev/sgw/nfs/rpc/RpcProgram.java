package dev.sgw.nfs.rpc;

import java.util.concurrent.CompletionStage;

/**
 * An RPC program served by an {@link RpcServer}: a program number and a contiguous range of versions
 * ({@link ProgramVersions}).
 * The {@link RpcDispatcher} answers PROG_UNAVAIL and PROG_MISMATCH itself; a program answers
 * PROC_UNAVAIL for procedures it does not have, and throws {@link dev.sgw.nfs.xdr.XdrException} for
 * arguments it cannot decode (answered GARBAGE_ARGS). Any other exception is answered SYSTEM_ERR.
 */
public interface RpcProgram {

    /** The program number and the versions served. */
    ProgramVersions versions();

    /**
     * Whether repeating the call is harmless. Calls that are not go through the duplicate request cache,
     * so a retransmission gets the first execution's reply instead of running again.
     */
    default boolean idempotent(int version, int procedure) {
        return true;
    }

    /**
     * Serves one call, on a virtual thread of its own (blocking is fine). The reply may complete later;
     * {@code call.args()} stays readable until it does.
     */
    CompletionStage<RpcReply> handle(RpcCall call, CallContext context);
}
