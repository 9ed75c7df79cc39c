package dev.sgw.iscsi.session;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.sgw.iscsi.login.KeyNegotiator;
import dev.sgw.iscsi.login.KeyValue;
import dev.sgw.iscsi.login.KeyValueText;
import dev.sgw.iscsi.login.Target;
import dev.sgw.iscsi.login.TextFormatException;
import dev.sgw.iscsi.pdu.Bhs;
import dev.sgw.iscsi.pdu.Reject;
import dev.sgw.iscsi.pdu.TextRequest;
import dev.sgw.iscsi.pdu.TextResponse;

/**
 * Text negotiation in the full feature phase (RFC 7143 sections 6.2, 11.10, 11.11 and appendix C):
 * SendTargets and a MaxRecvDataSegmentLength declaration. An answer longer than the initiator's
 * MaxRecvDataSegmentLength goes out in parts: each but the last has the C bit and a target transfer tag the
 * initiator echoes in an empty Text Request to get the next; initiator text with the C bit is gathered the
 * same way. SendTargets answers:
 * <pre>
 * value         discovery session          normal session
 * All           every enabled target       Reject
 * (empty)       nothing                    the session's target
 * a name        that target, if enabled    that target, if enabled
 * </pre>
 * Each target is a TargetName and one TargetAddress {@code host:port,tag}, the host being the local address
 * the initiator reached. Other operational keys are answered Reject (they are settled at login), unknown
 * keys NotUnderstood.
 */
final class TextExchange {
    private static final int MAX_TEXT = 64 * 1024;

    private final IscsiConnection connection;
    private final ByteArrayOutputStream incoming = new ByteArrayOutputStream();
    private byte[] outgoing;
    private int outgoingOffset;
    private int outgoingItt;
    private int outgoingTtt;
    private int incomingTtt = Bhs.NO_TAG;
    private int nextTtt = 1;

    TextExchange(IscsiConnection connection) {
        this.connection = connection;
    }

    void handle(TextRequest request) {
        boolean more = outgoing != null && request.ttt() == outgoingTtt && request.itt() == outgoingItt;
        boolean continued = incomingTtt != Bhs.NO_TAG && request.ttt() == incomingTtt;
        if (more) {
            sendPart(request);
            return;
        }
        if (request.ttt() != Bhs.NO_TAG && !continued) {
            connection.reject(
                    Reject.INVALID_PDU_FIELD, request.toFrame().header().bytes());
            connection.flush();
            return;
        }
        outgoing = null;
        incomingTtt = Bhs.NO_TAG;
        if (!continued) {
            incoming.reset();
        }
        if (incoming.size() + request.data().length > MAX_TEXT) {
            incoming.reset();
            connection.reject(Reject.PROTOCOL_ERROR, request.toFrame().header().bytes());
            connection.flush();
            return;
        }
        incoming.writeBytes(request.data());
        if (request.cont()) {
            incomingTtt = tag();
            send(request, false, false, incomingTtt, new byte[0]);
            return;
        }
        byte[] text = incoming.toByteArray();
        incoming.reset();
        List<KeyValue> keys;
        try {
            keys = KeyValueText.parse(text);
        } catch (TextFormatException e) {
            connection.reject(Reject.PROTOCOL_ERROR, request.toFrame().header().bytes());
            connection.flush();
            return;
        }
        outgoing = KeyValueText.encode(answer(keys));
        outgoingOffset = 0;
        outgoingItt = request.itt();
        sendPart(request);
    }

    private List<KeyValue> answer(List<KeyValue> keys) {
        List<KeyValue> out = new ArrayList<>();
        for (KeyValue kv : keys) {
            switch (kv.key()) {
                case "SendTargets" -> sendTargets(kv.value(), out);
                case "MaxRecvDataSegmentLength" -> {
                    if (kv.value().matches("\\d{3,8}")
                            && Integer.parseInt(kv.value()) >= 512
                            && Integer.parseInt(kv.value()) <= 0xffffff) {
                        connection.initiatorMaxRecvDataSegmentLength(Integer.parseInt(kv.value()));
                        out.add(new KeyValue(
                                kv.key(),
                                Integer.toString(connection.parameters().targetMaxRecvDataSegmentLength())));
                    } else {
                        out.add(new KeyValue(kv.key(), "Reject"));
                    }
                }
                default ->
                    out.add(new KeyValue(kv.key(), KeyNegotiator.isOperational(kv.key()) ? "Reject" : "NotUnderstood"));
            }
        }
        return out;
    }

    private void sendTargets(String value, List<KeyValue> out) {
        IscsiSession session = connection.session();
        List<Target> listed;
        if (value.equals("All")) {
            if (!session.discovery()) {
                out.add(new KeyValue("SendTargets", "Reject"));
                return;
            }
            listed = connection.portal().all();
        } else if (value.isEmpty()) {
            listed = session.discovery()
                    ? List.of()
                    : connection.portal().find(session.identity().target().name()).stream()
                            .toList();
        } else {
            Optional<Target> one = connection.portal().find(value);
            listed = one.stream().toList();
        }
        String address = address(connection.localAddress());
        for (Target t : listed) {
            out.add(new KeyValue("TargetName", t.name()));
            out.add(new KeyValue(
                    "TargetAddress",
                    address + "," + connection.settings().limits().portalGroupTag()));
        }
    }

    private static String address(InetSocketAddress local) {
        String host = local.getAddress().getHostAddress();
        if (local.getAddress() instanceof Inet6Address) {
            int scope = host.indexOf('%');
            host = "[" + (scope < 0 ? host : host.substring(0, scope)) + "]";
        }
        return host + ":" + local.getPort();
    }

    private void sendPart(TextRequest request) {
        int max = connection.parameters().initiatorMaxRecvDataSegmentLength();
        int end = Math.min(outgoing.length, outgoingOffset + max);
        byte[] part = Arrays.copyOfRange(outgoing, outgoingOffset, end);
        outgoingOffset = end;
        boolean last = end == outgoing.length;
        if (last) {
            outgoing = null;
            send(request, false, true, Bhs.NO_TAG, part);
        } else {
            outgoingTtt = tag();
            send(request, true, false, outgoingTtt, part);
        }
    }

    private int tag() {
        int t = nextTtt++;
        if (nextTtt == Bhs.NO_TAG) {
            nextTtt = 1;
        }
        return t;
    }

    private void send(TextRequest request, boolean cont, boolean fin, int ttt, byte[] data) {
        connection.send(new TextResponse(
                fin,
                cont,
                request.lun(),
                request.itt(),
                ttt,
                connection.nextStatSN(),
                connection.expCmdSN(),
                connection.maxCmdSN(),
                data));
        connection.flush();
    }
}
