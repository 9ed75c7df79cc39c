/**
 * ONC RPC version 2 (RFC 5531) over TCP: record marking, call decoding, reply encoding, AUTH_NONE and
 * AUTH_SYS credentials, dispatch of calls to programs on virtual threads, and the duplicate request cache.
 *
 * <p>Pipeline per connection: {@link dev.sgw.nfs.rpc.RecordMarkingDecoder} (bytes to records) then
 * {@link dev.sgw.nfs.rpc.RpcCallDecoder} (records to {@link dev.sgw.nfs.rpc.RpcCall} or
 * {@link dev.sgw.nfs.rpc.RpcRejectedCall}) then {@link dev.sgw.nfs.rpc.RpcDispatcher} (programs, replies);
 * outbound, {@link dev.sgw.nfs.rpc.RecordMarkingEncoder} frames the replies the dispatcher encoded with
 * {@link dev.sgw.nfs.rpc.RpcReplyEncoder}.
 */
package dev.sgw.nfs.rpc;
