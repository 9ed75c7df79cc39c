package dev.sgw.smb.rpc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.sgw.smb.rpc.PduEncoder.ContextResult;

/**
 * The presentation contexts one pipe open has accepted, and the negotiation of a BIND or ALTER_CONTEXT
 * context list (C706 12.6.4.3, MS-RPCE 3.3.1.5.3). Each context is judged alone:
 *
 * <pre>
 * abstract syntax not the pipe's interface      provider_rejection, abstract_syntax_not_supported
 * NDR 2.0 among its transfer syntaxes           acceptance, NDR 2.0
 * only NDR64 or bind time feature negotiation   provider_rejection, proposed_transfer_syntaxes_not_supported
 * </pre>
 *
 * A pipe serves one interface, so an accepted context id always names it, whichever list accepted it.
 */
final class PresentationContexts {
    /** Offset of p_context_elem in a BIND or ALTER_CONTEXT PDU. */
    private static final int LIST_OFFSET = 24;

    private final RpcInterface served;
    private final Map<Integer, RpcInterface> accepted = new HashMap<>();

    PresentationContexts(RpcInterface served) {
        this.served = served;
    }

    /** The interface bound to {@code contextId}, or null. */
    RpcInterface lookup(int contextId) {
        return accepted.get(contextId);
    }

    /**
     * Judges the context list of BIND or ALTER_CONTEXT {@code pdu} (whose body ends at {@code end}) and records
     * the accepted contexts. Throws {@link RpcFault} with {@link RpcFault#PROTOCOL_ERROR} when the list is
     * empty, overruns the PDU, or rebinds a context id to another syntax.
     */
    List<ContextResult> negotiate(byte[] pdu, int end) throws RpcFault {
        if (end < LIST_OFFSET + 4 || pdu[LIST_OFFSET] == 0) {
            throw new RpcFault(RpcFault.PROTOCOL_ERROR, "no presentation context");
        }
        int count = pdu[LIST_OFFSET] & 0xFF;
        int off = LIST_OFFSET + 4;
        List<ContextResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (off + 4 + SyntaxId.WIRE_SIZE > end) {
                throw new RpcFault(RpcFault.PROTOCOL_ERROR, "context list overruns the PDU");
            }
            int contextId = SyntaxId.le16(pdu, off);
            int transferCount = pdu[off + 2] & 0xFF;
            SyntaxId abstractSyntax = SyntaxId.read(pdu, off + 4);
            off += 4 + SyntaxId.WIRE_SIZE;
            if (transferCount == 0 || off + transferCount * SyntaxId.WIRE_SIZE > end) {
                throw new RpcFault(RpcFault.PROTOCOL_ERROR, "bad transfer syntax list");
            }
            List<SyntaxId> transfers = new ArrayList<>(transferCount);
            for (int t = 0; t < transferCount; t++, off += SyntaxId.WIRE_SIZE) {
                transfers.add(SyntaxId.read(pdu, off));
            }
            results.add(judge(contextId, abstractSyntax, transfers));
        }
        return results;
    }

    private ContextResult judge(int contextId, SyntaxId abstractSyntax, List<SyntaxId> transfers) {
        if (!abstractSyntax.compatibleWith(served.syntax())) {
            return new ContextResult(
                    ContextResult.PROVIDER_REJECTION, ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED, SyntaxId.NONE);
        }
        if (!transfers.contains(SyntaxId.NDR)) {
            return new ContextResult(
                    ContextResult.PROVIDER_REJECTION, ContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED, SyntaxId.NONE);
        }
        accepted.put(contextId, served);
        return new ContextResult(ContextResult.ACCEPTANCE, 0, SyntaxId.NDR);
    }
}
