package dev.sgw.smb.rpc;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A test-side DCE/RPC client over a {@link NamedPipe}: builds BIND, ALTER_CONTEXT and REQUEST PDUs byte by byte
 * from C706 12.6, and reads the answer fragments back.
 */
final class TestRpcClient {
    static final UUID SRVSVC = UUID.fromString("4b324fc8-1670-01d3-1278-5a47bf6ee188");
    static final UUID WKSSVC = UUID.fromString("6bffd098-a112-3610-9833-46c3f87e345a");
    static final UUID NDR = UUID.fromString("8a885d04-1ceb-11c9-9fe8-08002b104860");
    static final UUID NDR64 = UUID.fromString("71710533-beba-4937-8319-b5dbef9ccc36");
    /** Bind time feature negotiation with SecurityContextMultiplexing and KeepConnectionOnOrphan (0x0003). */
    static final UUID BTFN = UUID.fromString("6cb71c2c-9812-4540-0300-000000000000");

    /** One p_cont_elem_t: context id, abstract syntax (uuid, major, minor), one transfer syntax. */
    record Context(int id, UUID abstractSyntax, int major, int minor, UUID transfer, int transferVersion) {}

    /** A parsed answer fragment. */
    record Pdu(int type, int flags, int fragLength, int callId, byte[] bytes) {
        ByteBuffer body() {
            return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).position(16);
        }
    }

    private final NamedPipe pipe;
    private int callId = 1;

    TestRpcClient(NamedPipe pipe) {
        this.pipe = pipe;
    }

    NamedPipe pipe() {
        return pipe;
    }

    /** Windows 10's srvsvc bind: NDR, NDR64 and bind time feature negotiation in three contexts. */
    static List<Context> windowsContexts(UUID iface, int major) {
        return List.of(
                new Context(0, iface, major, 0, NDR, 2),
                new Context(1, iface, major, 0, NDR64, 1),
                new Context(2, iface, major, 0, BTFN, 1));
    }

    static byte[] bindPdu(int type, int callId, int maxXmit, int maxRecv, List<Context> contexts) {
        TestNdr.Out o = header(type, 0x03, callId);
        o.u16(maxXmit).u16(maxRecv).u32(0);
        o.u8(contexts.size()).u8(0).u16(0);
        for (Context c : contexts) {
            o.u16(c.id()).u8(1).u8(0);
            uuid(o, c.abstractSyntax()).u16(c.major()).u16(c.minor());
            uuid(o, c.transfer()).u32(c.transferVersion());
        }
        return withLength(o.bytes());
    }

    /** REQUEST fragments carrying {@code stub}, at most {@code chunk} stub bytes each. */
    static List<byte[]> requestPdus(int callId, int contextId, int opnum, byte[] stub, int chunk) {
        List<byte[]> out = new ArrayList<>();
        int off = 0;
        do {
            int n = Math.min(chunk, stub.length - off);
            int flags = (off == 0 ? 0x01 : 0) | (off + n == stub.length ? 0x02 : 0);
            TestNdr.Out o = header(0, flags, callId);
            o.u32(stub.length - off).u16(contextId).u16(opnum).raw(Arrays.copyOfRange(stub, off, off + n));
            out.add(withLength(o.bytes()));
            off += n;
        } while (off < stub.length);
        return out;
    }

    static TestNdr.Out header(int type, int flags, int callId) {
        return new TestNdr.Out()
                .u8(5)
                .u8(0)
                .u8(type)
                .u8(flags)
                .u32(0x10)
                .u16(0)
                .u16(0)
                .u32(callId);
    }

    static byte[] withLength(byte[] pdu) {
        pdu[8] = (byte) pdu.length;
        pdu[9] = (byte) (pdu.length >>> 8);
        return pdu;
    }

    static TestNdr.Out uuid(TestNdr.Out o, UUID u) {
        long msb = u.getMostSignificantBits();
        long lsb = u.getLeastSignificantBits();
        o.u32((int) (msb >>> 32)).u16((int) (msb >>> 16)).u16((int) msb);
        for (int i = 7; i >= 0; i--) {
            o.u8((int) (lsb >>> (8 * i)));
        }
        return o;
    }

    /** Binds with {@code contexts} and returns the BIND_ACK or BIND_NAK. */
    Pdu bind(List<Context> contexts, int maxRecv) {
        pipe.write(bindPdu(11, callId++, 4280, maxRecv, contexts));
        return readPdu();
    }

    /** Calls {@code opnum} on context 0 and returns the answer fragments (RESPONSEs or a FAULT). */
    List<Pdu> call(int opnum, byte[] stub) {
        return call(0, opnum, stub);
    }

    List<Pdu> call(int contextId, int opnum, byte[] stub) {
        for (byte[] f : requestPdus(callId++, contextId, opnum, stub, 1 << 20)) {
            pipe.write(f);
        }
        return readCall();
    }

    /** Reads fragments until one with PFC_LAST_FRAG. */
    List<Pdu> readCall() {
        List<Pdu> fragments = new ArrayList<>();
        Pdu p;
        do {
            p = readPdu();
            fragments.add(p);
        } while ((p.flags() & 0x02) == 0);
        return fragments;
    }

    /** Reads one whole fragment (message) from the pipe, with reads of at most 100 bytes. */
    Pdu readPdu() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        NamedPipe.ReadResult r;
        do {
            r = pipe.read(100);
            b.writeBytes(r.data());
        } while (r.moreData());
        byte[] bytes = b.toByteArray();
        if (bytes.length < 16) {
            throw new AssertionError("no PDU pending, read " + bytes.length + " bytes");
        }
        ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Pdu p = new Pdu(h.get(2) & 0xFF, h.get(3) & 0xFF, h.getShort(8) & 0xFFFF, h.getInt(12), bytes);
        if (p.fragLength() != bytes.length) {
            throw new AssertionError("frag_length " + p.fragLength() + " but message of " + bytes.length);
        }
        return p;
    }

    /** The stub of a RESPONSE call: the fragments' stubs after their 24-byte headers, concatenated. */
    static byte[] stub(List<Pdu> fragments) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Pdu p : fragments) {
            if (p.type() != 2) {
                throw new AssertionError("expected RESPONSE, got PTYPE " + p.type());
            }
            b.write(p.bytes(), 24, p.bytes().length - 24);
        }
        return b.toByteArray();
    }

    /** A BIND_ACK or ALTER_CONTEXT_RESP, decoded. */
    record BindAck(int maxXmit, int maxRecv, int assocGroup, String secondaryAddress, List<Result> results) {}

    /** One p_result_t. */
    record Result(int result, int reason, UUID transferSyntax) {}

    static BindAck bindAck(Pdu p) {
        if (p.type() != 12 && p.type() != 15) {
            throw new AssertionError("expected BIND_ACK or ALTER_CONTEXT_RESP, got PTYPE " + p.type());
        }
        ByteBuffer b = p.body();
        int maxXmit = b.getShort() & 0xFFFF;
        int maxRecv = b.getShort() & 0xFFFF;
        int group = b.getInt();
        int addrLen = b.getShort() & 0xFFFF;
        byte[] addr = new byte[addrLen];
        b.get(addr);
        while (b.position() % 4 != 0) {
            b.get();
        }
        int n = b.get() & 0xFF;
        b.position(b.position() + 3);
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int result = b.getShort() & 0xFFFF;
            int reason = b.getShort() & 0xFFFF;
            long d1 = Integer.toUnsignedLong(b.getInt());
            long d2 = b.getShort() & 0xFFFF;
            long d3 = b.getShort() & 0xFFFF;
            long lsb = b.order(ByteOrder.BIG_ENDIAN).getLong();
            b.order(ByteOrder.LITTLE_ENDIAN).getInt();
            results.add(new Result(result, reason, new UUID(d1 << 32 | d2 << 16 | d3, lsb)));
        }
        String address = addrLen == 0 ? "" : new String(addr, 0, addrLen - 1, StandardCharsets.US_ASCII);
        return new BindAck(maxXmit, maxRecv, group, address, results);
    }

    /** The reject reason of a BIND_NAK. */
    static int nakReason(Pdu p) {
        if (p.type() != 13) {
            throw new AssertionError("expected BIND_NAK, got PTYPE " + p.type());
        }
        return p.body().getShort() & 0xFFFF;
    }

    /** The status of a FAULT PDU. */
    static int faultStatus(Pdu p) {
        if (p.type() != 3) {
            throw new AssertionError("expected FAULT, got PTYPE " + p.type());
        }
        return ByteBuffer.wrap(p.bytes()).order(ByteOrder.LITTLE_ENDIAN).getInt(24);
    }
}
