package dev.sgw.nfs.rpc;

import io.netty.buffer.ByteBuf;

/**
 * A decoded call (RFC 5531 section 9, {@code call_body} with RPC version 2). The arguments are a retained
 * slice of the record; the {@link RpcDispatcher} releases it when the program's reply is complete, so a
 * program reads them during {@code handle} and keeps no reference afterwards.
 *
 * @param xid        transaction id, echoed in the reply
 * @param program    program number
 * @param version    program version
 * @param procedure  procedure number
 * @param credential the parsed credential
 * @param verifier   the call's verifier, as sent
 * @param args       the procedure's XDR arguments
 */
public record RpcCall(
        int xid, int program, int version, int procedure, Credential credential, OpaqueAuth verifier, ByteBuf args) {

    @Override
    public String toString() {
        return "RpcCall[xid=" + Integer.toUnsignedString(xid, 16) + ", " + program + " v" + version + " proc "
                + procedure + ", " + args.readableBytes() + " bytes of args]";
    }
}
