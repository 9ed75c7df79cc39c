/**
 * DCE/RPC over named pipes on IPC$ (MS-RPCE, C706 chapter 12, connection-oriented PDUs in NDR 2.0): srvsvc
 * share enumeration and wkssvc workstation information.
 *
 * <p>{@link dev.sgw.smb.rpc.RpcPipes} opens a pipe by name; each open is an {@code RpcPipe} (framing,
 * BIND/ALTER_CONTEXT negotiation in {@code PresentationContexts}, request reassembly, response fragmentation,
 * FAULTs) that hands request stubs to an {@code RpcInterface} ({@code Srvsvc}, {@code Wkssvc}). PDUs are
 * built by {@code PduEncoder} and {@code PduHeader}; stubs are read by {@code NdrReader} and written by
 * {@code NdrWriter}.
 */
package dev.sgw.smb.rpc;
