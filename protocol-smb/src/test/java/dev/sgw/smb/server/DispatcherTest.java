package dev.sgw.smb.server;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.sgw.smb.crypto.MessageSigner;
import dev.sgw.smb.crypto.SigningAlgorithm;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Command;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dispatcher on an established session and tree whose commands are a recording fake: related compounds
 * (the file a CREATE opened, a failed CREATE failing what follows), async answers with their interim
 * response, CANCEL, signing checks, LOGOFF and connection loss.
 */
class DispatcherTest {
    private static final long SESSION = 7;
    private static final int TREE = 1;

    private EmbeddedChannel channel;
    private Connection connection;
    private Session session;
    private final FakeCommands commands = new FakeCommands();
    private final SessionSetupCommand setup = new SessionSetupCommand(
            SmbSettings.defaults(),
            () -> {
                throw new AssertionError("no authentication expected");
            },
            new LogonThrottle(5, Duration.ofSeconds(1)));
    private final MessageDispatcher dispatcher = new MessageDispatcher(null, setup, null);

    /** CREATE opens file 5 (or fails when its byte 2 is 1), CLOSE echoes the file it means, CHANGE_NOTIFY waits. */
    static final class FakeCommands implements TreeCommands {
        volatile CompletableFuture<SmbResponse> waiting;
        final List<String> gone = new ArrayList<>();
        /** What READ and CLOSE did, in order. */
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        /** When set, READ and CHANGE_NOTIFY count down {@link #entered} and wait for it before answering. */
        volatile CountDownLatch gate;
        /** When set, CLOSE waits for it before answering. */
        volatile CountDownLatch closeGate;

        final CountDownLatch entered = new CountDownLatch(1);

        private void pass(CountDownLatch latch) {
            if (latch != null) {
                entered.countDown();
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public SmbResponse handle(Smb2Command command, SmbRequest request) throws SmbException {
            ByteBuf m = request.message();
            return switch (command) {
                case CREATE -> {
                    if (m.getByte(64 + 2) == 1) {
                        throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "no such file");
                    }
                    request.use(new FileId(5, 5));
                    yield SmbResponse.of(Unpooled.buffer().writeShortLE(89).writeZero(6));
                }
                case CLOSE -> {
                    FileId f = request.resolve(FileId.get(m, 64 + 8));
                    events.add("close " + f.volatileId());
                    CountDownLatch g = closeGate;
                    if (g != null) {
                        pass(g);
                    }
                    yield SmbResponse.of(
                            Unpooled.buffer().writeShortLE(60).writeShortLE(0).writeLongLE(f.volatileId()));
                }
                case CHANGE_NOTIFY -> {
                    CompletableFuture<SmbResponse> w = new CompletableFuture<>();
                    waiting = w;
                    pass(gate);
                    yield SmbResponse.async(w);
                }
                case READ -> {
                    CountDownLatch g = gate;
                    if (g == null) {
                        throw new SmbException(NtStatus.NOT_SUPPORTED, command.name());
                    }
                    pass(g);
                    events.add("read " + FileId.get(m, 64 + 16).volatileId());
                    throw new SmbException(NtStatus.END_OF_FILE, "nothing to read");
                }
                default -> throw new SmbException(NtStatus.NOT_SUPPORTED, command.name());
            };
        }

        @Override
        public void treeGone(SmbTree tree, boolean connectionLost) {
            gone.add(tree.shareName() + (connectionLost ? " lost" : " closed"));
        }
    }

    @BeforeEach
    void setUp() {
        channel = new EmbeddedChannel();
        connection = new Connection(channel, 8192, new byte[16]);
        connection.negotiated(
                new Negotiated(0x0210, new byte[16], 1, 0, 1, 6, null, SigningAlgorithm.HMAC_SHA256, null, 8 << 20));
        connection.credits().take(0, 1);
        connection.credits().grant(100);
        session = dispatcherSessions().create(connection, SESSION);
        session.established("alice", false, null, null, false, false);
        session.add(new Tree(TREE, session, "share", null, null, null, false, 0x1F01FF, commands));
    }

    private SessionTable dispatcherSessions() {
        return setup.sessions();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    /** A request of this session and tree; {@code body} after the header. */
    static byte[] request(Smb2Command command, long messageId, int flags, int next, byte[] body) {
        int length = next == 0 ? 64 + body.length : next;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x424D53FE).putShort((short) 64).putShort((short) 1).putInt(0);
        b.putShort((short) command.code()).putShort((short) 1).putInt(flags).putInt(next);
        b.putLong(messageId).putInt(0).putInt(TREE).putLong(SESSION).put(new byte[16]);
        b.put(body);
        return b.array();
    }

    static byte[] create(boolean fail) {
        byte[] body = new byte[57];
        body[0] = 57;
        body[2] = (byte) (fail ? 1 : 0);
        return body;
    }

    static byte[] closeRelated() {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 24).putShort((short) 0).putInt(0).putLong(-1L).putLong(-1L);
        return b.array();
    }

    private List<ByteBuffer> send(byte[] message) {
        dispatcher.process(connection, Unpooled.wrappedBuffer(message));
        return received();
    }

    /** Every response written so far, split at NextCommand. */
    private List<ByteBuffer> received() {
        List<ByteBuffer> out = new ArrayList<>();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            ByteBuffer all = ByteBuffer.wrap(ByteBufUtil.getBytes(b)).order(ByteOrder.LITTLE_ENDIAN);
            b.release();
            int at = 0;
            while (true) {
                int next = all.getInt(at + 20);
                int end = next == 0 ? all.capacity() : at + next;
                out.add(ByteBuffer.wrap(java.util.Arrays.copyOfRange(all.array(), at, end))
                        .order(ByteOrder.LITTLE_ENDIAN));
                if (next == 0) {
                    break;
                }
                at = end;
            }
        }
        return out;
    }

    @Test
    void aRelatedRequestMeansTheFileThePreviousCreateOpened() {
        byte[] first = request(Smb2Command.CREATE, 1, 0, 128, create(false));
        byte[] second = request(Smb2Command.CLOSE, 2, Smb2Header.FLAGS_RELATED_OPERATIONS, 0, closeRelated());
        List<ByteBuffer> r = send(Messages.concat(first, second));
        assertThat(r).hasSize(2);
        assertThat(r.get(0).getInt(8)).isZero();
        assertThat(r.get(1).getInt(8)).isZero();
        assertThat(r.get(1).getInt(16) & Smb2Header.FLAGS_RELATED_OPERATIONS).isNotZero();
        assertThat(r.get(1).getLong(64 + 4)).as("the file CREATE opened").isEqualTo(5);
    }

    @Test
    void aFailedCreateFailsTheRelatedRequestsAfterItWithItsStatus() {
        byte[] first = request(Smb2Command.CREATE, 1, 0, 128, create(true));
        byte[] second = request(Smb2Command.CLOSE, 2, Smb2Header.FLAGS_RELATED_OPERATIONS, 0, closeRelated());
        List<ByteBuffer> r = send(Messages.concat(first, second));
        assertThat(r)
                .extracting(b -> b.getInt(8))
                .containsExactly(NtStatus.OBJECT_NAME_NOT_FOUND, NtStatus.OBJECT_NAME_NOT_FOUND);
    }

    @Test
    void theAllOnesFileIdWithoutAFileBeforeItIsClosed() {
        List<ByteBuffer> r = send(request(Smb2Command.CLOSE, 1, 0, 0, closeRelated()));
        assertThat(r.get(0).getInt(8)).isEqualTo(NtStatus.FILE_CLOSED);
    }

    @Test
    void anUnrelatedRequestDoesNotMeanThePreviousFile() {
        byte[] first = request(Smb2Command.CREATE, 1, 0, 128, create(false));
        byte[] second = request(Smb2Command.CLOSE, 2, 0, 0, closeRelated());
        assertThat(send(Messages.concat(first, second)))
                .extracting(b -> b.getInt(8))
                .containsExactly(NtStatus.SUCCESS, NtStatus.FILE_CLOSED);
    }

    @Test
    void aFirstRequestMarkedRelatedIsInvalidAndSoAreTheRelatedAfterIt() {
        byte[] first = request(Smb2Command.CREATE, 1, Smb2Header.FLAGS_RELATED_OPERATIONS, 128, create(false));
        byte[] second = request(Smb2Command.CLOSE, 2, Smb2Header.FLAGS_RELATED_OPERATIONS, 88, closeRelated());
        byte[] third = request(Smb2Command.CLOSE, 3, 0, 0, closeRelated());
        assertThat(send(Messages.concat(first, second, third)))
                .extracting(b -> b.getInt(8))
                .containsExactly(NtStatus.INVALID_PARAMETER, NtStatus.INVALID_PARAMETER, NtStatus.FILE_CLOSED);
        byte[] notify = request(Smb2Command.CHANGE_NOTIFY, 4, Smb2Header.FLAGS_RELATED_OPERATIONS, 96, new byte[32]);
        byte[] close = request(Smb2Command.CLOSE, 5, Smb2Header.FLAGS_RELATED_OPERATIONS, 0, new byte[24]);
        assertThat(send(Messages.concat(notify, close)))
                .as("a related request with a real file id after an invalid first one")
                .extracting(b -> b.getInt(8))
                .containsExactly(NtStatus.INVALID_PARAMETER, NtStatus.INVALID_PARAMETER);
    }

    @Test
    void aRelatedRequestAfterOneWithoutASessionIsInvalid() {
        byte[] first = request(Smb2Command.CREATE, 1, 0, 128, create(false));
        ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).putLong(40, -1L);
        byte[] second = request(Smb2Command.CLOSE, 2, Smb2Header.FLAGS_RELATED_OPERATIONS, 0, closeRelated());
        assertThat(send(Messages.concat(first, second)))
                .extracting(b -> b.getInt(8))
                .containsExactly(NtStatus.USER_SESSION_DELETED, NtStatus.INVALID_PARAMETER);
    }

    @Test
    void anAsyncAnswerGoesOutAsAnInterimPendingThenTheFinalResponse() {
        List<ByteBuffer> interim = send(request(Smb2Command.CHANGE_NOTIFY, 1, 0, 0, new byte[32]));
        assertThat(interim).hasSize(1);
        ByteBuffer p = interim.get(0);
        assertThat(p.getInt(8)).isEqualTo(NtStatus.PENDING);
        assertThat(p.getInt(16) & Smb2Header.FLAGS_ASYNC_COMMAND).isNotZero();
        long asyncId = p.getLong(32);
        assertThat(asyncId).isNotZero();
        assertThat(p.getShort(14)).as("credits granted on the interim").isPositive();
        commands.waiting.complete(
                SmbResponse.of(Unpooled.buffer().writeShortLE(9).writeZero(7)));
        List<ByteBuffer> fin = received();
        assertThat(fin).hasSize(1);
        assertThat(fin.get(0).getInt(8)).isZero();
        assertThat(fin.get(0).getLong(32)).isEqualTo(asyncId);
        assertThat(fin.get(0).getLong(24)).as("message id").isEqualTo(1);
    }

    @Test
    void aChangeNotifyInTheMiddleOfACompoundFailsAndTheRestGoesOn() {
        byte[] first = request(Smb2Command.CREATE, 1, 0, 128, create(false));
        byte[] second = request(Smb2Command.CHANGE_NOTIFY, 2, Smb2Header.FLAGS_RELATED_OPERATIONS, 96, new byte[32]);
        byte[] third = request(Smb2Command.CLOSE, 3, Smb2Header.FLAGS_RELATED_OPERATIONS, 0, closeRelated());
        assertThat(send(Messages.concat(first, second, third)))
                .extracting(b -> b.getInt(8))
                .containsExactly(NtStatus.SUCCESS, NtStatus.INTERNAL_ERROR, NtStatus.SUCCESS);
        assertThat(commands.waiting).isCancelled();
    }

    @Test
    void aCancelWhileItsRequestsHandlerRunsCancelsItOnceItWaits() throws Exception {
        commands.gate = new CountDownLatch(1);
        long notifyTicket = connection.arrivals().arrived();
        long cancelTicket = connection.arrivals().arrived();
        Thread notify = Thread.ofPlatform()
                .start(() -> process(request(Smb2Command.CHANGE_NOTIFY, 7, 0, 0, new byte[32]), notifyTicket));
        assertThat(commands.entered.await(30, TimeUnit.SECONDS)).isTrue();

        process(request(Smb2Command.CANCEL, 7, 0, 0, new byte[] {4, 0, 0, 0}), cancelTicket);
        assertThat(commands.waiting).isNotCancelled();
        commands.gate.countDown();
        notify.join();

        assertThat(commands.waiting).isCancelled();
        assertThat(received()).extracting(b -> b.getInt(8)).containsExactly(NtStatus.PENDING, NtStatus.CANCELLED);
    }

    @Test
    void aCancelWhoseThreadStartsFirstIsTakenInAfterItsRequest() throws Exception {
        long notifyTicket = connection.arrivals().arrived();
        long cancelTicket = connection.arrivals().arrived();
        Thread cancel = Thread.ofPlatform()
                .start(() -> process(request(Smb2Command.CANCEL, 7, 0, 0, new byte[] {4, 0, 0, 0}), cancelTicket));
        awaitBlocked(cancel);

        process(request(Smb2Command.CHANGE_NOTIFY, 7, 0, 0, new byte[32]), notifyTicket);
        cancel.join();

        assertThat(commands.waiting).isCancelled();
        assertThat(received()).extracting(b -> b.getInt(8)).containsExactly(NtStatus.PENDING, NtStatus.CANCELLED);
    }

    @Test
    void aCloseWaitsForTheRequestsSentBeforeItOnItsOpen() throws Exception {
        commands.gate = new CountDownLatch(1);
        commands.closeGate = new CountDownLatch(1);
        long readTicket = connection.arrivals().arrived();
        long closeTicket = connection.arrivals().arrived();
        Thread read = Thread.ofPlatform().start(() -> process(read(1, 1, 100), readTicket));
        assertThat(commands.entered.await(30, TimeUnit.SECONDS)).isTrue();
        Thread close = Thread.ofPlatform().start(() -> process(close(2, 5), closeTicket));
        awaitBlocked(close);
        assertThat(commands.events).as("the CLOSE waits for the READ").isEmpty();

        commands.gate.countDown();
        read.join();
        commands.closeGate.countDown();
        close.join();

        assertThat(commands.events).containsExactly("read 5", "close 5");
        assertThat(received()).extracting(b -> b.getInt(8)).containsExactly(NtStatus.END_OF_FILE, NtStatus.SUCCESS);
    }

    @Test
    void aCloseOfAnotherOpenOrAfterAnAsyncRequestDoesNotWait() throws Exception {
        commands.gate = new CountDownLatch(1);
        long readTicket = connection.arrivals().arrived();
        Thread read = Thread.ofPlatform().start(() -> process(read(1, 1, 100), readTicket));
        assertThat(commands.entered.await(30, TimeUnit.SECONDS)).isTrue();

        process(close(2, 6), connection.arrivals().arrived());
        assertThat(commands.events).containsExactly("close 6");
        commands.gate.countDown();
        read.join();
        received();

        commands.gate = null;
        byte[] notify = request(Smb2Command.CHANGE_NOTIFY, 3, 0, 0, new byte[32]);
        ByteBuffer.wrap(notify)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(64 + 8, 5)
                .putLong(64 + 16, 5);
        process(notify, connection.arrivals().arrived());
        process(close(4, 5), connection.arrivals().arrived());
        assertThat(commands.events).containsExactly("close 6", "read 5", "close 5");
        assertThat(commands.waiting).as("answered by the close of a real tree").isNotDone();
        assertThat(connection.requests().size())
                .as("only the notify still runs")
                .isEqualTo(1);
    }

    private void process(byte[] message, long ticket) {
        dispatcher.process(connection, Unpooled.wrappedBuffer(message), ticket);
    }

    /** A CLOSE of the open with volatile id {@code volatileId}. */
    static byte[] close(long messageId, long volatileId) {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 24).putShort((short) 0).putInt(0).putLong(volatileId).putLong(volatileId);
        return request(Smb2Command.CLOSE, messageId, 0, 0, b.array());
    }

    /** Waits until {@code t} is parked (or ended). */
    private static void awaitBlocked(Thread t) throws InterruptedException {
        while (t.getState() != Thread.State.WAITING
                && t.getState() != Thread.State.TIMED_WAITING
                && t.getState() != Thread.State.TERMINATED) {
            Thread.sleep(1);
        }
    }

    @Test
    void cancelByAsyncIdEndsTheRequestWithCancelled() {
        long asyncId = send(request(Smb2Command.CHANGE_NOTIFY, 1, 0, 0, new byte[32]))
                .get(0)
                .getLong(32);
        byte[] cancel = request(Smb2Command.CANCEL, 0, Smb2Header.FLAGS_ASYNC_COMMAND, 0, new byte[] {4, 0, 0, 0});
        ByteBuffer.wrap(cancel).order(ByteOrder.LITTLE_ENDIAN).putLong(32, asyncId);
        List<ByteBuffer> r = send(cancel);
        assertThat(r).hasSize(1);
        assertThat(r.get(0).getInt(8)).isEqualTo(NtStatus.CANCELLED);
        assertThat(r.get(0).getLong(32)).isEqualTo(asyncId);
        assertThat(commands.waiting).isCancelled();
    }

    @Test
    void cancelByMessageIdEndsTheRequestWithCancelled() {
        send(request(Smb2Command.CHANGE_NOTIFY, 3, 0, 0, new byte[32]));
        List<ByteBuffer> r = send(request(Smb2Command.CANCEL, 3, 0, 0, new byte[] {4, 0, 0, 0}));
        assertThat(r).extracting(b -> b.getInt(8)).containsExactly(NtStatus.CANCELLED);
    }

    /** A READ of {@code length} bytes charged {@code charge} credits. */
    static byte[] read(long messageId, int charge, int length) {
        ByteBuffer body = ByteBuffer.allocate(49).order(ByteOrder.LITTLE_ENDIAN);
        body.putShort((short) 49)
                .putShort((short) 0)
                .putInt(length)
                .putLong(0)
                .putLong(5)
                .putLong(5);
        byte[] m = request(Smb2Command.READ, messageId, 0, 0, body.array());
        ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putShort(6, (short) charge);
        return m;
    }

    @Test
    void aMultiCreditRequestMustBeChargedOneCreditPer64KiB() {
        assertThat(send(read(1, 1, 200_000)).get(0).getInt(8))
                .as("200000 bytes need 4 credits")
                .isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(send(read(10, 4, 200_000)).get(0).getInt(8))
                .as("charged right: the tree's commands answer")
                .isEqualTo(NtStatus.NOT_SUPPORTED);
        assertThat(send(read(12, 1, 100)).get(0).getInt(8))
                .as("ids 10..13 were taken by the 4-credit request")
                .isEqualTo(NtStatus.INVALID_PARAMETER);
    }

    @Test
    void aSessionThatMustEncryptRefusesPlaintext() {
        session.established("alice", false, null, null, false, true);
        assertThat(send(request(Smb2Command.CREATE, 1, 0, 0, create(false)))
                        .get(0)
                        .getInt(8))
                .isEqualTo(NtStatus.ACCESS_DENIED);
    }

    @Test
    void anUnknownTreeIsNetworkNameDeleted() {
        byte[] m = request(Smb2Command.CREATE, 1, 0, 0, create(false));
        ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putInt(36, 99);
        assertThat(send(m).get(0).getInt(8)).isEqualTo(NtStatus.NETWORK_NAME_DELETED);
    }

    @Test
    void logoffEndsTheTreesAndTheSession() {
        List<ByteBuffer> r = send(request(Smb2Command.LOGOFF, 1, 0, 0, new byte[] {4, 0, 0, 0}));
        assertThat(r.get(0).getInt(8)).isZero();
        assertThat(commands.gone).as("durable opens outlive a LOGOFF").containsExactly("share lost");
        assertThat(send(request(Smb2Command.CREATE, 2, 0, 0, create(false)))
                        .get(0)
                        .getInt(8))
                .isEqualTo(NtStatus.USER_SESSION_DELETED);
    }

    @Test
    void treeDisconnectEndsTheTree() {
        assertThat(send(request(Smb2Command.TREE_DISCONNECT, 1, 0, 0, new byte[] {4, 0, 0, 0}))
                        .get(0)
                        .getInt(8))
                .isZero();
        assertThat(commands.gone).containsExactly("share closed");
        assertThat(send(request(Smb2Command.CREATE, 2, 0, 0, create(false)))
                        .get(0)
                        .getInt(8))
                .isEqualTo(NtStatus.NETWORK_NAME_DELETED);
    }

    @Test
    void aLostConnectionEndsItsTreesAndCancelsWhatWaits() {
        send(request(Smb2Command.CHANGE_NOTIFY, 1, 0, 0, new byte[32]));
        dispatcher.connectionGone(connection);
        assertThat(commands.gone).containsExactly("share lost");
        assertThat(commands.waiting).isCancelled();
    }

    /** An IOCTL FSCTL_VALIDATE_NEGOTIATE_INFO repeating NEGOTIATE with {@code securityMode}. */
    static byte[] validateNegotiate(int securityMode) {
        ByteBuffer b = ByteBuffer.allocate(56 + 28).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 57).putShort((short) 0).putInt(ValidateNegotiate.FSCTL_VALIDATE_NEGOTIATE_INFO);
        b.putLong(-1L).putLong(-1L);
        b.putInt(64 + 56)
                .putInt(28)
                .putInt(0)
                .putInt(0)
                .putInt(0)
                .putInt(1024)
                .putInt(1)
                .putInt(0);
        b.putInt(0).put(new byte[16]).putShort((short) securityMode).putShort((short) 2);
        b.putShort((short) 0x0202).putShort((short) 0x0210);
        return b.array();
    }

    @Test
    void validateNegotiateInfoThatMatchesIsAnsweredWithTheServersSide() {
        ByteBuffer r =
                send(request(Smb2Command.IOCTL, 1, 0, 0, validateNegotiate(1))).get(0);
        assertThat(r.getInt(8)).isZero();
        int offset = r.getInt(64 + 32);
        assertThat(r.getInt(64 + 36)).isEqualTo(24);
        assertThat(r.getInt(offset)).as("capabilities").isEqualTo(6);
        assertThat(r.getShort(offset + 20)).as("security mode").isEqualTo((short) 1);
        assertThat(r.getShort(offset + 22)).as("dialect").isEqualTo((short) 0x0210);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void validateNegotiateInfoThatDiffersTerminatesTheConnection() {
        assertThat(send(request(Smb2Command.IOCTL, 1, 0, 0, validateNegotiate(3))))
                .isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aBindingThatNamesNoSessionIsInvalid() {
        byte[] setup = new byte[24];
        setup[0] = 25;
        setup[2] = 1; // SMB2_SESSION_FLAG_BINDING
        byte[] m = request(Smb2Command.SESSION_SETUP, 1, 0, 0, setup);
        ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putLong(40, 0);
        assertThat(send(m).get(0).getInt(8)).isEqualTo(NtStatus.INVALID_PARAMETER);
    }

    @Test
    void bindingASessionToTheConnectionItIsOnIsNotAccepted() {
        byte[] setup = new byte[24];
        setup[0] = 25;
        setup[2] = 1; // SMB2_SESSION_FLAG_BINDING
        assertThat(send(request(Smb2Command.SESSION_SETUP, 1, 0, 0, setup))
                        .get(0)
                        .getInt(8))
                .isEqualTo(NtStatus.REQUEST_NOT_ACCEPTED);
    }

    @Test
    void aSigningSessionRefusesUnsignedAndBadlySignedRequestsAndSignsItsAnswers() {
        assumeTrue(TransportTest.CryptoBuilt.yes(), "smb-crypto not merged yet");
        MessageSigner signer = new MessageSigner(SigningAlgorithm.HMAC_SHA256, new byte[16]);
        session.established("alice", false, signer, null, true, false);
        assertThat(send(request(Smb2Command.CLOSE, 1, 0, 0, closeRelated()))
                        .get(0)
                        .getInt(8))
                .as("unsigned")
                .isEqualTo(NtStatus.ACCESS_DENIED);
        byte[] bad = request(Smb2Command.CREATE, 2, Smb2Header.FLAGS_SIGNED, 0, create(false));
        bad[50] = 1;
        assertThat(send(bad).get(0).getInt(8)).as("bad signature").isEqualTo(NtStatus.ACCESS_DENIED);
        byte[] good = request(Smb2Command.CREATE, 3, Smb2Header.FLAGS_SIGNED, 0, create(false));
        ByteBuf g = Unpooled.wrappedBuffer(good);
        signer.sign(g, 0, good.length);
        ByteBuffer r = send(good).get(0);
        assertThat(r.getInt(8)).isZero();
        assertThat(r.getInt(16) & Smb2Header.FLAGS_SIGNED).isNotZero();
        assertThat(signer.verify(Unpooled.wrappedBuffer(r.array()), 0, r.capacity()))
                .isTrue();
    }
}
