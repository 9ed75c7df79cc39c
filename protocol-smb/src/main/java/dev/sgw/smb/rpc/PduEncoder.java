package dev.sgw.smb.rpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Encodes the PDUs the server sends (C706 12.6.4, MS-RPCE 2.2.2): stateless, one method per PDU type. */
final class PduEncoder {
    /** Bytes of a REQUEST or RESPONSE header before the stub. */
    static final int CALL_HEADER_SIZE = 24;

    /** bind_nak reasons (C706 12.6.3.5 p_reject_reason_t). */
    static final int REJECT_NOT_SPECIFIED = 0;

    static final int REJECT_PROTOCOL_VERSION_NOT_SUPPORTED = 4;
    static final int REJECT_AUTHENTICATION_TYPE_NOT_RECOGNIZED = 8;

    private PduEncoder() {}

    /** One presentation context result (C706 12.6.3.1 p_result_t). */
    record ContextResult(int result, int reason, SyntaxId transferSyntax) {
        static final int ACCEPTANCE = 0;
        static final int PROVIDER_REJECTION = 2;
        static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 1;
        static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 2;
    }

    /**
     * BIND_ACK or ALTER_CONTEXT_RESP: max_xmit_frag u16, max_recv_frag u16, assoc_group_id u32, sec_addr
     * (u16 length with the NUL, the port name, padding to 4), then n_results u8, 3 reserved and the results.
     *
     * @param secondaryAddress the pipe's port name ("\PIPE\srvsvc") for a BIND_ACK; null for an alter response
     */
    static byte[] bindAck(
            int type,
            int callId,
            int maxXmit,
            int maxRecv,
            int assocGroup,
            String secondaryAddress,
            List<ContextResult> results) {
        NdrWriter w = new NdrWriter();
        PduHeader.write(w, type, PduHeader.FIRST_FRAG | PduHeader.LAST_FRAG, callId);
        w.u16(maxXmit).u16(maxRecv).u32(assocGroup);
        if (secondaryAddress == null) {
            w.u16(0);
        } else {
            byte[] port = secondaryAddress.getBytes(StandardCharsets.US_ASCII);
            w.u16(port.length + 1).bytes(port, 0, port.length).u8(0);
        }
        w.align(4);
        w.u8(results.size()).u8(0).u16(0);
        for (ContextResult r : results) {
            w.u16(r.result()).u16(r.reason());
            r.transferSyntax().write(w);
        }
        return PduHeader.patchLength(w);
    }

    /** BIND_NAK: provider_reject_reason u16, one supported protocol version (5.0), padded to 4. */
    static byte[] bindNak(int callId, int reason) {
        NdrWriter w = new NdrWriter();
        PduHeader.write(w, PduHeader.BIND_NAK, PduHeader.FIRST_FRAG | PduHeader.LAST_FRAG, callId);
        w.u16(reason).u8(1).u8(5).u8(0).align(4);
        return PduHeader.patchLength(w);
    }

    /**
     * FAULT: alloc_hint u32 (0), p_cont_id u16, cancel_count u8, reserved u8, status u32, reserved u32 (32 bytes
     * in all). {@code didNotExecute} sets PFC_DID_NOT_EXECUTE: the call had no effect and may be retried.
     */
    static byte[] fault(int callId, int contextId, int status, boolean didNotExecute) {
        NdrWriter w = new NdrWriter();
        int flags = PduHeader.FIRST_FRAG | PduHeader.LAST_FRAG | (didNotExecute ? PduHeader.DID_NOT_EXECUTE : 0);
        PduHeader.write(w, PduHeader.FAULT, flags, callId);
        w.u32(0).u16(contextId).u8(0).u8(0).u32(status).u32(0);
        return PduHeader.patchLength(w);
    }

    /**
     * The RESPONSE fragments carrying {@code stub}, none longer than {@code maxFrag}: alloc_hint u32 (the stub
     * bytes from this fragment on), p_cont_id u16, cancel_count u8, reserved u8, then the stub part. Every
     * fragment but the last carries a multiple of 8 stub bytes so that NDR alignment survives reassembly.
     */
    static List<byte[]> response(int callId, int contextId, byte[] stub, int maxFrag) {
        int chunk = (maxFrag - CALL_HEADER_SIZE) & ~7;
        List<byte[]> fragments = new ArrayList<>();
        int off = 0;
        do {
            int n = Math.min(chunk, stub.length - off);
            boolean last = off + n == stub.length;
            int flags = (off == 0 ? PduHeader.FIRST_FRAG : 0) | (last ? PduHeader.LAST_FRAG : 0);
            NdrWriter w = new NdrWriter();
            PduHeader.write(w, PduHeader.RESPONSE, flags, callId);
            w.u32(stub.length - off).u16(contextId).u8(0).u8(0).bytes(stub, off, n);
            fragments.add(PduHeader.patchLength(w));
            off += n;
        } while (off < stub.length);
        return fragments;
    }
}
