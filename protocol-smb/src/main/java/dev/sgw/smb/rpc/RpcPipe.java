package dev.sgw.smb.rpc;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

import dev.sgw.smb.rpc.PduEncoder.ContextResult;

/**
 * One open of an RPC named pipe: splits what the client writes into PDU fragments, answers each, and queues
 * the answer fragments for reads. Reads are message-mode, as on Windows: one read returns bytes of one
 * fragment only, and {@code moreData} says that fragment has bytes left.
 *
 * <pre>
 * state              PDU                                   answer                        next
 * AWAITING_BIND      BIND, acceptable                      BIND_ACK                      BOUND
 * AWAITING_BIND      BIND, bad version/auth/list           BIND_NAK                      AWAITING_BIND
 * AWAITING_BIND      anything else                         FAULT proto_error             AWAITING_BIND
 * BOUND              BIND                                  BIND_NAK                      BOUND
 * BOUND              ALTER_CONTEXT                         ALTER_CONTEXT_RESP            BOUND
 * BOUND              REQUEST first+last fragment           RESPONSE fragments or FAULT   BOUND
 * BOUND              REQUEST first, not last               (none, stub kept)             RECEIVING_REQUEST
 * RECEIVING_REQUEST  REQUEST next fragment of that call    (none) / answer when last     RECEIVING_REQUEST / BOUND
 * RECEIVING_REQUEST  fragment beyond MAX_REQUEST_STUB      FAULT remote_no_memory        DISCARDING_REQUEST
 * RECEIVING_REQUEST  any other PDU                         FAULT proto_error, call lost  BOUND
 * DISCARDING_REQUEST next fragment of that call            (none) / (none) when last     DISCARDING_REQUEST / BOUND
 * DISCARDING_REQUEST any other PDU                         as in BOUND                   as in BOUND
 * any                CO_CANCEL, ORPHANED, AUTH3, SHUTDOWN  (none; a partial call is lost) BOUND if it was receiving
 *                                                                                        or discarding
 * any                header not DCE/RPC 5.0 or too short   BIND_NAK or FAULT, input dropped  same
 * </pre>
 *
 * Nothing a client sends makes {@link #write} throw. Not thread-safe (one open, one client).
 */
final class RpcPipe implements NamedPipe {
    /**
     * The largest fragment the server sends and the max_recv_frag it announces (Samba's limit); a larger
     * incoming fragment is still taken, up to the 64 KiB frag_length allows.
     */
    static final int MAX_FRAGMENT = 5840;
    /** The smallest fragment size every peer must accept (C706's MustRecvFragSize). */
    static final int MIN_FRAGMENT = 1432;
    /** Largest request stub reassembled from fragments. */
    static final int MAX_REQUEST_STUB = 1 << 20;

    enum State {
        AWAITING_BIND,
        BOUND,
        RECEIVING_REQUEST,
        DISCARDING_REQUEST
    }

    private final RpcInterface served;
    private final String portName;
    /** The association group: this open's own until a BIND names another. */
    private int assocGroup;

    private final PresentationContexts contexts;
    private final ByteArrayOutputStream inbox = new ByteArrayOutputStream();
    private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    private int outOffset;

    private State state = State.AWAITING_BIND;
    private int maxXmit = MIN_FRAGMENT;
    private int maxRecv = MIN_FRAGMENT;
    private PartialCall partial;

    /** The fragments of a multi-fragment request received so far. */
    private record PartialCall(int callId, int contextId, int opnum, ByteArrayOutputStream stub) {}

    /**
     * @param portName   the secondary address a BIND_ACK names, "\PIPE\srvsvc"
     * @param assocGroup the association group given to a client that asks for a new one
     */
    RpcPipe(RpcInterface served, String portName, int assocGroup) {
        this.served = served;
        this.portName = portName;
        this.assocGroup = assocGroup;
        this.contexts = new PresentationContexts(served);
    }

    @Override
    public void write(byte[] data) {
        inbox.writeBytes(data);
        byte[] in = inbox.toByteArray();
        int off = 0;
        while (in.length - off >= PduHeader.SIZE) {
            PduHeader h = PduHeader.read(in, off);
            if (!h.isVersion5() || h.fragLength() < PduHeader.SIZE) {
                rejectUnframed(h);
                off = in.length;
                break;
            }
            if (in.length - off < h.fragLength()) {
                break;
            }
            byte[] pdu = Arrays.copyOfRange(in, off, off + h.fragLength());
            off += h.fragLength();
            try {
                receive(h, pdu);
            } catch (RuntimeException e) {
                dropPartial();
                outbox.add(PduEncoder.fault(h.callId(), 0, RpcFault.PROTOCOL_ERROR, true));
            }
        }
        inbox.reset();
        inbox.write(in, off, in.length - off);
    }

    @Override
    public ReadResult read(int max) {
        byte[] head = outbox.peek();
        if (head == null) {
            return new ReadResult(new byte[0], false);
        }
        int n = Math.clamp(head.length - outOffset, 0, Math.max(0, max));
        byte[] out = Arrays.copyOfRange(head, outOffset, outOffset + n);
        outOffset += n;
        if (outOffset < head.length) {
            return new ReadResult(out, true);
        }
        outbox.poll();
        outOffset = 0;
        return new ReadResult(out, false);
    }

    /** A header that cannot be framed: nothing after it can be trusted, so the input is dropped. */
    private void rejectUnframed(PduHeader h) {
        if (h.type() == PduHeader.BIND) {
            outbox.add(PduEncoder.bindNak(h.callId(), PduEncoder.REJECT_PROTOCOL_VERSION_NOT_SUPPORTED));
        } else {
            outbox.add(PduEncoder.fault(h.callId(), 0, RpcFault.PROTOCOL_ERROR, true));
        }
    }

    private void receive(PduHeader h, byte[] pdu) {
        switch (h.type()) {
            case PduHeader.CO_CANCEL, PduHeader.ORPHANED, PduHeader.AUTH3, PduHeader.SHUTDOWN -> dropPartial();
            case PduHeader.BIND -> bind(h, pdu);
            case PduHeader.ALTER_CONTEXT -> alterContext(h, pdu);
            case PduHeader.REQUEST -> request(h, pdu);
            default -> protocolError(h);
        }
    }

    private void bind(PduHeader h, byte[] pdu) {
        if (state != State.AWAITING_BIND || h.authLength() != 0 || !h.littleEndian() || pdu.length < 24) {
            int reason = h.authLength() != 0
                    ? PduEncoder.REJECT_AUTHENTICATION_TYPE_NOT_RECOGNIZED
                    : PduEncoder.REJECT_NOT_SPECIFIED;
            outbox.add(PduEncoder.bindNak(h.callId(), reason));
            return;
        }
        List<ContextResult> results;
        try {
            results = contexts.negotiate(pdu, pdu.length);
        } catch (RpcFault e) {
            outbox.add(PduEncoder.bindNak(h.callId(), PduEncoder.REJECT_NOT_SPECIFIED));
            return;
        }
        int clientXmit = SyntaxId.le16(pdu, 16);
        int clientRecv = SyntaxId.le16(pdu, 18);
        int group = SyntaxId.le32(pdu, 20);
        maxXmit = Math.clamp(clientRecv, MIN_FRAGMENT, MAX_FRAGMENT);
        maxRecv = Math.clamp(clientXmit, MIN_FRAGMENT, MAX_FRAGMENT);
        assocGroup = group != 0 ? group : assocGroup;
        outbox.add(PduEncoder.bindAck(PduHeader.BIND_ACK, h.callId(), maxXmit, maxRecv, assocGroup, portName, results));
        state = State.BOUND;
    }

    private void alterContext(PduHeader h, byte[] pdu) {
        if (state != State.BOUND || h.authLength() != 0 || !h.littleEndian()) {
            protocolError(h);
            return;
        }
        try {
            List<ContextResult> results = contexts.negotiate(pdu, pdu.length);
            outbox.add(PduEncoder.bindAck(
                    PduHeader.ALTER_CONTEXT_RESP, h.callId(), maxXmit, maxRecv, assocGroup, null, results));
        } catch (RpcFault e) {
            outbox.add(PduEncoder.fault(h.callId(), 0, e.status(), true));
        }
    }

    private void request(PduHeader h, byte[] pdu) {
        int stubStart = PduEncoder.CALL_HEADER_SIZE + (h.has(PduHeader.OBJECT_UUID) ? 16 : 0);
        if (state == State.AWAITING_BIND || h.authLength() != 0 || !h.littleEndian() || pdu.length < stubStart) {
            protocolError(h);
            return;
        }
        if (state == State.DISCARDING_REQUEST) {
            boolean ofDiscardedCall = continuesPartial(h);
            if (!ofDiscardedCall || h.has(PduHeader.LAST_FRAG)) {
                dropPartial();
            }
            if (ofDiscardedCall) {
                return;
            }
        }
        boolean fits = state == State.RECEIVING_REQUEST ? continuesPartial(h) : h.has(PduHeader.FIRST_FRAG);
        if (!fits) {
            protocolError(h);
            return;
        }
        if (h.has(PduHeader.FIRST_FRAG)) {
            int contextId = SyntaxId.le16(pdu, 20);
            int opnum = SyntaxId.le16(pdu, 22);
            partial = new PartialCall(h.callId(), contextId, opnum, new ByteArrayOutputStream());
            state = State.RECEIVING_REQUEST;
        }
        partial.stub().write(pdu, stubStart, pdu.length - stubStart);
        if (partial.stub().size() > MAX_REQUEST_STUB) {
            outbox.add(PduEncoder.fault(h.callId(), partial.contextId(), RpcFault.NO_MEMORY, true));
            partial.stub().reset();
            state = State.DISCARDING_REQUEST;
            if (h.has(PduHeader.LAST_FRAG)) {
                dropPartial();
            }
        } else if (h.has(PduHeader.LAST_FRAG)) {
            PartialCall call = partial;
            dropPartial();
            dispatch(call);
        }
    }

    /** Whether {@code h} is a later fragment of the call being received or discarded. */
    private boolean continuesPartial(PduHeader h) {
        return partial != null && !h.has(PduHeader.FIRST_FRAG) && h.callId() == partial.callId();
    }

    private void dispatch(PartialCall call) {
        RpcInterface iface = contexts.lookup(call.contextId());
        if (iface == null) {
            outbox.add(PduEncoder.fault(call.callId(), call.contextId(), RpcFault.UNKNOWN_INTERFACE, true));
            return;
        }
        try {
            byte[] stub = iface.call(call.opnum(), new NdrReader(call.stub().toByteArray()));
            outbox.addAll(PduEncoder.response(call.callId(), call.contextId(), stub, maxXmit));
        } catch (RpcFault e) {
            outbox.add(PduEncoder.fault(call.callId(), call.contextId(), e.status(), true));
        } catch (RuntimeException e) {
            outbox.add(PduEncoder.fault(call.callId(), call.contextId(), RpcFault.UNSPECIFIED, false));
        }
    }

    /** A PDU out of place: FAULT nca_s_proto_error, and any partial call is lost. */
    private void protocolError(PduHeader h) {
        dropPartial();
        outbox.add(PduEncoder.fault(h.callId(), 0, RpcFault.PROTOCOL_ERROR, true));
    }

    private void dropPartial() {
        partial = null;
        if (state == State.RECEIVING_REQUEST || state == State.DISCARDING_REQUEST) {
            state = State.BOUND;
        }
    }

    @Override
    public String toString() {
        return "RpcPipe[" + served.syntax().uuid() + " " + state + "]";
    }
}
