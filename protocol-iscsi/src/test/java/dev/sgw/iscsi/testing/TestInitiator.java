package dev.sgw.iscsi.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sgw.iscsi.login.ChapAuthenticator;
import dev.sgw.iscsi.login.ChapValue;
import dev.sgw.iscsi.login.KeyValue;
import dev.sgw.iscsi.login.KeyValueText;
import dev.sgw.iscsi.pdu.Bhs;
import dev.sgw.iscsi.pdu.Crc32cDigest;
import dev.sgw.iscsi.pdu.DataIn;
import dev.sgw.iscsi.pdu.DataOut;
import dev.sgw.iscsi.pdu.FrameEncoder;
import dev.sgw.iscsi.pdu.IscsiFrame;
import dev.sgw.iscsi.pdu.IscsiPdu;
import dev.sgw.iscsi.pdu.LoginRequest;
import dev.sgw.iscsi.pdu.LoginResponse;
import dev.sgw.iscsi.pdu.LogoutRequest;
import dev.sgw.iscsi.pdu.LogoutResponse;
import dev.sgw.iscsi.pdu.NopIn;
import dev.sgw.iscsi.pdu.NopOut;
import dev.sgw.iscsi.pdu.PduDecoder;
import dev.sgw.iscsi.pdu.ReadyToTransfer;
import dev.sgw.iscsi.pdu.ScsiCommandRequest;
import dev.sgw.iscsi.pdu.ScsiCommandResponse;
import dev.sgw.iscsi.pdu.TaskManagementRequest;
import dev.sgw.iscsi.pdu.TaskManagementResponse;
import dev.sgw.iscsi.pdu.TextRequest;
import dev.sgw.iscsi.pdu.TextResponse;
import io.netty.buffer.ByteBuf;

/**
 * A small blocking iSCSI initiator for tests: login (with CHAP), discovery, SCSI commands with immediate
 * data, unsolicited Data-Out and R2T-driven Data-Out, NOP, task management and logout. Reads time out after
 * 5 s so a silent target fails a test instead of hanging it.
 */
public final class TestInitiator implements AutoCloseable {
    public final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    public String initiatorName = "iqn.2026-01.test:client";
    public long isid = 0x80_1234_0001L;
    public int cmdSN = 1000;
    public int expStatSN;
    public int expCmdSN;
    public int maxCmdSN;
    public int itt = 1;
    public int tsih;
    public boolean headerDigest;
    public boolean dataDigest;
    /** What the target negotiated, from its login responses. */
    public final Map<String, String> targetKeys = new LinkedHashMap<>();
    /** What this initiator offers in operational negotiation. */
    public final Map<String, String> offer = new LinkedHashMap<>();
    /** Every PDU received, in order. */
    public final List<IscsiPdu> received = new ArrayList<>();

    private TestInitiator(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        offer.put("HeaderDigest", "None");
        offer.put("DataDigest", "None");
        offer.put("MaxRecvDataSegmentLength", "262144");
        offer.put("InitialR2T", "No");
        offer.put("ImmediateData", "Yes");
        offer.put("MaxBurstLength", "262144");
        offer.put("FirstBurstLength", "65536");
        offer.put("MaxOutstandingR2T", "1");
        offer.put("ErrorRecoveryLevel", "0");
    }

    public static TestInitiator connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        return new TestInitiator(s);
    }

    // ---- framing -------------------------------------------------------------------------------------

    public void send(IscsiPdu pdu) throws IOException {
        sendRaw(pdu.toFrame());
    }

    public void sendRaw(IscsiFrame frame) throws IOException {
        sendBytes(encode(frame));
    }

    /** The bytes of {@code frame} on the wire, with the digests in use. */
    public byte[] encode(IscsiFrame frame) {
        ByteBuf b = FrameEncoder.encode(frame, headerDigest, dataDigest);
        try {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            return bytes;
        } finally {
            b.release();
        }
    }

    public void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public IscsiPdu receive() throws IOException {
        byte[] bhs = new byte[Bhs.LENGTH];
        in.readFully(bhs);
        Bhs h = Bhs.wrap(bhs);
        byte[] ahs = new byte[h.totalAhsLengthWords() * 4];
        in.readFully(ahs);
        if (headerDigest && Integer.reverseBytes(in.readInt()) != Crc32cDigest.header(bhs, ahs)) {
            throw new IOException("bad header digest from the target");
        }
        byte[] data = new byte[h.dataSegmentLength()];
        in.readFully(data);
        in.readFully(new byte[Crc32cDigest.padding(data.length)]);
        if (dataDigest
                && data.length > 0
                && Integer.reverseBytes(in.readInt()) != Crc32cDigest.data(ByteBuffer.wrap(data))) {
            throw new IOException("bad data digest from the target");
        }
        IscsiPdu pdu = (IscsiPdu) PduDecoder.decodeFrame(new IscsiFrame(h, ahs, ByteBuffer.wrap(data)), false);
        received.add(pdu);
        track(pdu);
        return pdu;
    }

    /** The next PDU, which must be a {@code type}; target pings met on the way are answered and skipped. */
    public <T extends IscsiPdu> T receive(Class<T> type) throws IOException {
        IscsiPdu pdu = receive();
        while (type != NopIn.class && pdu instanceof NopIn ping && ping.itt() == Bhs.NO_TAG) {
            answerPing(ping);
            pdu = receive();
        }
        if (!type.isInstance(pdu)) {
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + pdu);
        }
        return type.cast(pdu);
    }

    private static List<KeyValue> parse(byte[] text) throws IOException {
        try {
            return KeyValueText.parseRepeatable(text);
        } catch (dev.sgw.iscsi.login.TextFormatException e) {
            throw new IOException("malformed text from the target: " + e.getMessage());
        }
    }

    private void track(IscsiPdu pdu) {
        switch (pdu) {
            case LoginResponse r -> seq(r.statSN(), r.expCmdSN(), r.maxCmdSN(), true);
            case ScsiCommandResponse r -> seq(r.statSN(), r.expCmdSN(), r.maxCmdSN(), true);
            case DataIn d -> seq(d.statSN(), d.expCmdSN(), d.maxCmdSN(), d.statusPresent());
            case NopIn n -> seq(n.statSN(), n.expCmdSN(), n.maxCmdSN(), n.itt() != Bhs.NO_TAG);
            case TextResponse t -> seq(t.statSN(), t.expCmdSN(), t.maxCmdSN(), true);
            case TaskManagementResponse t -> seq(t.statSN(), t.expCmdSN(), t.maxCmdSN(), true);
            case LogoutResponse l -> seq(l.statSN(), l.expCmdSN(), l.maxCmdSN(), true);
            case ReadyToTransfer r -> seq(r.statSN(), r.expCmdSN(), r.maxCmdSN(), false);
            default -> {}
        }
    }

    private void seq(int statSN, int exp, int max, boolean advances) {
        if (advances) {
            expStatSN = statSN + 1;
        }
        expCmdSN = exp;
        maxCmdSN = max;
    }

    // ---- login ---------------------------------------------------------------------------------------

    public LoginResponse loginStep(int csg, int nsg, boolean transit, List<KeyValue> keys) throws IOException {
        send(new LoginRequest(
                transit, false, csg, nsg, 0, 0, isid, tsih, itt, 1, cmdSN, expStatSN, KeyValueText.encode(keys)));
        LoginResponse r = receive(LoginResponse.class);
        for (KeyValue kv : parse(r.data())) {
            targetKeys.put(kv.key(), kv.value());
        }
        return r;
    }

    /** Logs in to {@code target} ({@code null}: discovery) without authentication, straight to operational negotiation. */
    public LoginResponse login(String target) throws IOException {
        List<KeyValue> keys = identity(target);
        keys.addAll(operationalOffer());
        LoginResponse r = loginStep(1, 3, true, keys);
        return finish(r);
    }

    /** Logs in with one-way CHAP ({@code mutualUser} null) or mutual CHAP. */
    public LoginResponse loginChap(String target, String user, String secret, String mutualUser, String mutualSecret)
            throws IOException {
        List<KeyValue> keys = identity(target);
        keys.add(new KeyValue("AuthMethod", "CHAP,None"));
        LoginResponse r = loginStep(0, 1, true, keys);
        if (r.status() != 0 || !"CHAP".equals(targetKeys.get("AuthMethod"))) {
            return r;
        }
        r = loginStep(0, 1, false, List.of(new KeyValue("CHAP_A", "5")));
        if (r.status() != 0) {
            return r;
        }
        int id = Integer.parseInt(targetKeys.get("CHAP_I"));
        byte[] challenge = ChapValue.decode(targetKeys.get("CHAP_C"));
        List<KeyValue> answer = new ArrayList<>();
        answer.add(new KeyValue("CHAP_N", user));
        answer.add(new KeyValue("CHAP_R", ChapValue.hex(ChapAuthenticator.md5(id, secret, challenge))));
        byte[] ours = new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
        if (mutualUser != null) {
            answer.add(new KeyValue("CHAP_I", "77"));
            answer.add(new KeyValue("CHAP_C", ChapValue.hex(ours)));
        }
        r = loginStep(0, 1, true, answer);
        if (r.status() != 0) {
            return r;
        }
        if (mutualUser != null) {
            byte[] expected = ChapAuthenticator.md5(77, mutualSecret, ours);
            if (!mutualUser.equals(targetKeys.get("CHAP_N"))
                    || !java.util.Arrays.equals(expected, ChapValue.decode(targetKeys.get("CHAP_R")))) {
                throw new AssertionError("the target failed mutual authentication");
            }
        }
        r = loginStep(1, 3, true, operationalOffer());
        return finish(r);
    }

    public List<KeyValue> identity(String target) {
        List<KeyValue> keys = new ArrayList<>();
        keys.add(new KeyValue("InitiatorName", initiatorName));
        keys.add(new KeyValue("SessionType", target == null ? "Discovery" : "Normal"));
        if (target != null) {
            keys.add(new KeyValue("TargetName", target));
        }
        return keys;
    }

    private List<KeyValue> operationalOffer() {
        return offer.entrySet().stream()
                .map(e -> new KeyValue(e.getKey(), e.getValue()))
                .toList();
    }

    private LoginResponse finish(LoginResponse r) {
        if (r.status() == 0 && r.transit() && r.nsg() == 3) {
            tsih = r.tsih();
            itt++;
            headerDigest = "CRC32C".equals(targetKeys.get("HeaderDigest"));
            dataDigest = "CRC32C".equals(targetKeys.get("DataDigest"));
        }
        return r;
    }

    public int targetInt(String key, int defaultValue) {
        String v = targetKeys.get(key);
        return v == null || !v.matches("\\d+") ? defaultValue : Integer.parseInt(v);
    }

    // ---- full feature phase ----------------------------------------------------------------------------

    /** The outcome of one SCSI command. */
    public record Result(
            int status,
            int response,
            byte[] sense,
            byte[] data,
            boolean overflow,
            boolean underflow,
            int residual,
            int dataInPdus,
            int r2ts,
            List<IscsiPdu> pdus) {}

    public Result read10(long lba, int blocks, int blockSize) throws IOException {
        return command(cdb10(0x28, lba, blocks), true, false, blocks * blockSize, null);
    }

    public Result write10(long lba, byte[] data, int blockSize) throws IOException {
        return command(cdb10(0x2a, lba, data.length / blockSize), false, true, data.length, data);
    }

    public static byte[] cdb10(int opcode, long lba, int blocks) {
        return ByteBuffer.allocate(10)
                .put((byte) opcode)
                .put((byte) 0)
                .putInt((int) lba)
                .put((byte) 0)
                .putShort((short) blocks)
                .put((byte) 0)
                .array();
    }

    /** Sends a command and runs its data transfer to the end, as a conforming initiator does. */
    public Result command(byte[] cdb, boolean read, boolean write, int expectedLength, byte[] data) throws IOException {
        int task = itt++;
        int targetMrdsl = targetInt("MaxRecvDataSegmentLength", 8192);
        int firstBurst = targetInt("FirstBurstLength", 65536);
        boolean immediateData = "Yes".equals(targetKeys.getOrDefault("ImmediateData", "Yes"));
        boolean initialR2T = "Yes".equals(targetKeys.getOrDefault("InitialR2T", "Yes"));
        int immediate = write && immediateData ? Math.min(Math.min(firstBurst, targetMrdsl), data.length) : 0;
        int unsolicitedEnd = write && !initialR2T ? Math.min(firstBurst, expectedLength) : immediate;
        boolean unsolicited = unsolicitedEnd > immediate;
        send(new ScsiCommandRequest(
                false,
                !unsolicited,
                read,
                write,
                1,
                0,
                task,
                expectedLength,
                cmdSN++,
                expStatSN,
                cdb,
                -1,
                ByteBuffer.wrap(data == null ? new byte[0] : data, 0, immediate).slice()));
        if (unsolicited) {
            sendData(task, Bhs.NO_TAG, data, immediate, unsolicitedEnd - immediate, targetMrdsl);
        }
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        byte[] readData = new byte[Math.max(0, expectedLength)];
        int highest = 0;
        int dataInPdus = 0;
        int r2ts = 0;
        List<IscsiPdu> pdus = new ArrayList<>();
        while (true) {
            IscsiPdu pdu = receive();
            pdus.add(pdu);
            switch (pdu) {
                case ReadyToTransfer r2t -> {
                    r2ts++;
                    sendData(task, r2t.ttt(), data, r2t.bufferOffset(), r2t.desiredLength(), targetMrdsl);
                }
                case DataIn d -> {
                    dataInPdus++;
                    ByteBuffer b = d.data().duplicate();
                    int n = b.remaining();
                    b.get(readData, d.bufferOffset(), n);
                    highest = Math.max(highest, d.bufferOffset() + n);
                    if (d.statusPresent()) {
                        in.write(readData, 0, highest);
                        return new Result(
                                d.status(),
                                0,
                                new byte[0],
                                in.toByteArray(),
                                d.overflow(),
                                d.underflow(),
                                d.residualCount(),
                                dataInPdus,
                                r2ts,
                                pdus);
                    }
                }
                case ScsiCommandResponse r -> {
                    in.write(readData, 0, highest);
                    return new Result(
                            r.status(),
                            r.response(),
                            r.sense(),
                            in.toByteArray(),
                            r.overflow(),
                            r.underflow(),
                            r.residualCount(),
                            dataInPdus,
                            r2ts,
                            pdus);
                }
                case NopIn ping when ping.itt() == Bhs.NO_TAG -> answerPing(ping);
                default -> throw new AssertionError("unexpected " + pdu);
            }
        }
    }

    public void sendData(int task, int ttt, byte[] data, int offset, int length, int segment) throws IOException {
        int dataSN = 0;
        for (int at = offset; at < offset + length; at += segment) {
            int n = Math.min(segment, offset + length - at);
            send(new DataOut(
                    at + n == offset + length,
                    0,
                    task,
                    ttt,
                    expStatSN,
                    dataSN++,
                    at,
                    ByteBuffer.wrap(data, at, n).slice()));
        }
    }

    public void answerPing(NopIn ping) throws IOException {
        send(new NopOut(true, 0, Bhs.NO_TAG, ping.ttt(), cmdSN, expStatSN, new byte[0]));
    }

    public NopIn nop(byte[] ping) throws IOException {
        int tag = itt++;
        send(new NopOut(false, 0, tag, Bhs.NO_TAG, cmdSN++, expStatSN, ping));
        while (true) {
            NopIn in = receive(NopIn.class);
            if (in.itt() == tag) {
                return in;
            }
            answerPing(in);
        }
    }

    public TaskManagementResponse taskManagement(int function, int referencedTask, int refCmdSN) throws IOException {
        send(new TaskManagementRequest(true, function, 0, itt++, referencedTask, cmdSN, expStatSN, refCmdSN, 0));
        while (true) {
            IscsiPdu pdu = receive();
            if (pdu instanceof TaskManagementResponse r) {
                return r;
            }
            if (pdu instanceof NopIn ping && ping.itt() == Bhs.NO_TAG) {
                answerPing(ping);
            }
        }
    }

    public List<KeyValue> text(List<KeyValue> keys) throws IOException {
        int task = itt++;
        send(new TextRequest(false, true, false, 0, task, Bhs.NO_TAG, cmdSN++, expStatSN, KeyValueText.encode(keys)));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            TextResponse r = receive(TextResponse.class);
            all.writeBytes(r.data());
            if (r.finalFlag()) {
                return parse(all.toByteArray());
            }
            send(new TextRequest(false, true, false, 0, task, r.ttt(), cmdSN++, expStatSN, new byte[0]));
        }
    }

    public LogoutResponse logout() throws IOException {
        send(new LogoutRequest(true, LogoutRequest.CLOSE_SESSION, itt++, 1, cmdSN, expStatSN));
        return receive(LogoutResponse.class);
    }

    /** Whether the target closed the connection (reads end of stream within the socket timeout). */
    public boolean closedByTarget() {
        try {
            while (true) {
                receive();
            }
        } catch (java.io.EOFException | java.net.SocketException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
