package dev.sgw.nfs.rpc;

/**
 * A call the decoder could read the xid of but no further, or refused before any program sees it (wrong RPC
 * version, unacceptable credential, malformed header): the reply to send is already known.
 *
 * @param xid    transaction id
 * @param reply  the reply to send
 * @param reason why, for the log
 */
public record RpcRejectedCall(int xid, RpcReply reply, String reason) {}
