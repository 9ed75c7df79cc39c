package dev.sgw.nfs.rpc;

import dev.sgw.nfs.xdr.XdrWritable;

/**
 * The outcome of a call (RFC 5531 section 9, {@code reply_body}), without its xid. Accepted replies carry
 * an AUTH_NONE verifier. {@link RpcReplyEncoder} writes them.
 */
public sealed interface RpcReply {

    /** {@code auth_stat} values (RFC 5531 section 9). */
    int AUTH_OK = 0, AUTH_BADCRED = 1, AUTH_REJECTEDCRED = 2, AUTH_BADVERF = 3, AUTH_REJECTEDVERF = 4, AUTH_TOOWEAK = 5;

    /** MSG_ACCEPTED / SUCCESS with the procedure's results. */
    record Success(XdrWritable results) implements RpcReply {}

    /** MSG_ACCEPTED / PROG_UNAVAIL: no such program here. */
    record ProgUnavail() implements RpcReply {}

    /** MSG_ACCEPTED / PROG_MISMATCH: the program, but only versions {@code low..high}. */
    record ProgMismatch(int low, int high) implements RpcReply {}

    /** MSG_ACCEPTED / PROC_UNAVAIL: no such procedure in this version. */
    record ProcUnavail() implements RpcReply {}

    /** MSG_ACCEPTED / GARBAGE_ARGS: the arguments could not be decoded. */
    record GarbageArgs() implements RpcReply {}

    /** MSG_ACCEPTED / SYSTEM_ERR: the server failed (e.g. out of memory, an unexpected exception). */
    record SystemErr() implements RpcReply {}

    /** MSG_DENIED / RPC_MISMATCH: only RPC versions {@code low..high} are spoken. */
    record RpcMismatch(int low, int high) implements RpcReply {}

    /** MSG_DENIED / AUTH_ERROR with an {@code auth_stat}. */
    record AuthError(int stat) implements RpcReply {}

    static RpcReply success(XdrWritable results) {
        return new Success(results);
    }
}
