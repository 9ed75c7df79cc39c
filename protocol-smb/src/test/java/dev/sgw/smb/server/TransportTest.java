package dev.sgw.smb.server;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.smb.crypto.PreauthIntegrity;
import dev.sgw.smb.wire.NtStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The transport on a real loopback socket, with messages built by hand: direct-TCP framing, the SMB1
 * upgrade, NEGOTIATE, credits and compounds.
 */
class TransportTest {
    private static final byte[] TOKEN = {0x60, 0x02, 0x05, 0x00};

    @TempDir
    Path dir;

    private SmbServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int start(SmbSettings settings) throws Exception {
        server = new SmbServer(settings, TOKEN::clone, () -> null);
        TestGateway gateway = new TestGateway();
        server.start(new ProtocolContext(
                new InetSocketAddress("127.0.0.1", 0), gateway, new SimpleMeterRegistry(), gateway, dir));
        return server.endpoints().get(0).port();
    }

    private int start() throws Exception {
        return start(SmbSettings.defaults());
    }

    private static int status(ByteBuffer r) {
        return r.getInt(8);
    }

    private static int credits(ByteBuffer r) {
        return r.getShort(14) & 0xFFFF;
    }

    private static int dialect(ByteBuffer r) {
        return r.getShort(64 + 4) & 0xFFFF;
    }

    private static byte[] serverGuid(ByteBuffer r) {
        return Arrays.copyOfRange(r.array(), 64 + 8, 64 + 24);
    }

    @Test
    void negotiatePicksTheHighestCommonDialectAndGrantsTheCreditsAsked() throws Exception {
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.negotiate(0, 0x0202, 0x0210, 0x0999));
            ByteBuffer r = c.receive();
            assertThat(status(r)).isZero();
            assertThat(r.getInt(16) & 1).as("server-to-client flag").isEqualTo(1);
            assertThat(dialect(r)).isEqualTo(0x0210);
            assertThat(credits(r)).isEqualTo(10);
            assertThat(r.getShort(64 + 2) & 3)
                    .as("signing enabled, not required")
                    .isEqualTo(1);
            assertThat(r.getInt(64 + 24)).as("LEASING | LARGE_MTU").isEqualTo(0x06);
            assertThat(r.getInt(64 + 32)).as("MaxReadSize").isEqualTo(8 * 1024 * 1024);
            int offset = r.getShort(64 + 56);
            int length = r.getShort(64 + 58);
            assertThat(Arrays.copyOfRange(r.array(), offset, offset + length)).isEqualTo(TOKEN);
        }
    }

    @Test
    void aServerThatRequiresSigningSaysSo() throws Exception {
        try (RawClient c = new RawClient(start(SmbSettings.defaults().withSigningRequired(true)))) {
            c.send(Messages.negotiate(0, 0x0202, 0x0210));
            assertThat(c.receive().getShort(64 + 2) & 3).isEqualTo(3);
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosed() throws Exception {
        int port = start(SmbSettings.defaults().withLimits(2, 64, 128));
        try (RawClient a = new RawClient(port);
                RawClient b = new RawClient(port)) {
            a.send(Messages.negotiate(0, 0x0202));
            b.send(Messages.negotiate(0, 0x0202));
            a.receive();
            b.receive();
            try (RawClient third = new RawClient(port)) {
                assertThat(third.closedByServer()).isTrue();
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        try (RawClient again = new RawClient(port)) {
            again.send(Messages.negotiate(0, 0x0202));
            assertThat(dialect(again.receive()))
                    .as("room again once two closed")
                    .isEqualTo(0x0202);
        }
    }

    @Test
    void aMessageSplitAtEveryByteIsStillOneMessage() throws Exception {
        try (RawClient c = new RawClient(start())) {
            for (byte b : RawClient.frame(Messages.negotiate(0, 0x0202))) {
                c.sendRaw(new byte[] {b});
            }
            assertThat(dialect(c.receive())).isEqualTo(0x0202);
        }
    }

    @Test
    void twoMessagesInOneSegmentAreBothAnswered() throws Exception {
        try (RawClient c = new RawClient(start())) {
            c.sendRaw(Messages.concat(
                    RawClient.frame(Messages.negotiate(0, 0x0202)), RawClient.frame(Messages.echo(1, 1, 0, 0))));
            assertThat(dialect(c.receive())).isEqualTo(0x0202);
            ByteBuffer echo = c.receive();
            assertThat(echo.getShort(12)).isEqualTo((short) Messages.ECHO);
            assertThat(status(echo)).isZero();
        }
    }

    @Test
    void aFrameHeaderNotStartingWithZeroClosesTheConnection() throws Exception {
        try (RawClient c = new RawClient(start())) {
            c.sendRaw(new byte[] {0x01, 0, 0, 4, 0, 0, 0, 0});
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aMessageLongerThanTheLimitClosesTheConnection() throws Exception {
        SmbSettings d = SmbSettings.defaults();
        SmbSettings small = new SmbSettings(
                1024 * 1024,
                d.maxIoBytes(),
                d.creditWindow(),
                d.maxConnections(),
                d.maxSessions(),
                d.maxTrees(),
                d.maxInFlight(),
                false,
                false,
                5,
                Duration.ofSeconds(2),
                "SGW",
                "WORKGROUP");
        try (RawClient c = new RawClient(start(small))) {
            c.sendRaw(new byte[] {0, 0x20, 0, 0});
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void anSmb1NegotiateOfferingSmb2WildcardGetsDialect02ff() throws Exception {
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.smb1Negotiate(List.of("NT LM 0.12", "SMB 2.002", "SMB 2.???")));
            ByteBuffer r = c.receive();
            assertThat(r.getInt(0)).isEqualTo(0x424D53FE);
            assertThat(status(r)).isZero();
            assertThat(dialect(r)).isEqualTo(0x02FF);
            assertThat(r.getLong(24)).as("message id").isZero();
            assertThat(credits(r)).isEqualTo(1);
            c.send(Messages.negotiate(1, 0x0202, 0x0210));
            ByteBuffer second = c.receive();
            assertThat(dialect(second)).isEqualTo(0x0210);
            assertThat(second.getLong(24)).isEqualTo(1);
        }
    }

    @Test
    void anSmb1NegotiateOfferingOnly2002GetsDialect0202() throws Exception {
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.smb1Negotiate(List.of("NT LM 0.12", "SMB 2.002")));
            assertThat(dialect(c.receive())).isEqualTo(0x0202);
            c.send(Messages.echo(1, 1, 0, 0));
            assertThat(status(c.receive()))
                    .as("2.0.2 is negotiated: no second NEGOTIATE needed")
                    .isZero();
        }
    }

    @Test
    void anSmb1NegotiateWithoutSmb2ClosesTheConnection() throws Exception {
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.smb1Negotiate(List.of("NT LM 0.12")));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void smb1AfterNegotiationClosesTheConnection() throws Exception {
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.negotiate(0, 0x0202));
            c.receive();
            c.send(Messages.smb1Negotiate(List.of("SMB 2.002")));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aCommandBeforeNegotiateClosesTheConnection() throws Exception {
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.echo(0, 1, 0, 0));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aSecondNegotiateClosesTheConnection() throws Exception {
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.negotiate(0, 0x0202));
            c.receive();
            c.send(Messages.negotiate(1, 0x0202));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void messageIdsOutsideTheCreditWindowAreRefusedThenTheConnectionIsClosed() throws Exception {
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.negotiate(0, 0x0210));
            assertThat(credits(c.receive())).isEqualTo(10); // ids 1..10
            c.send(Messages.echo(11, 1, 0, 0));
            assertThat(status(c.receive())).as("id 11 not granted").isEqualTo(NtStatus.INVALID_PARAMETER);
            c.send(Messages.echo(1, 5, 0, 0));
            ByteBuffer ok = c.receive();
            assertThat(status(ok)).isZero();
            assertThat(credits(ok)).isEqualTo(5);
            c.send(Messages.echo(1, 1, 0, 0));
            assertThat(status(c.receive())).as("id 1 used already").isEqualTo(NtStatus.INVALID_PARAMETER);
            c.send(Messages.echo(1000, 1, 0, 0));
            assertThat(status(c.receive())).isEqualTo(NtStatus.INVALID_PARAMETER);
            c.send(Messages.echo(1001, 1, 0, 0));
            assertThat(c.closedByServer()).as("the fourth abuse").isTrue();
        }
    }

    @Test
    void theCreditWindowBoundsWhatIsGranted() throws Exception {
        SmbSettings d = SmbSettings.defaults().withCreditWindow(16);
        try (RawClient c = new RawClient(start(d))) {
            c.send(Messages.negotiate(0, 0x0210));
            assertThat(credits(c.receive())).isEqualTo(10);
            c.send(Messages.echo(1, 100, 0, 0));
            assertThat(credits(c.receive()))
                    .as("16 outstanding at most: 9 held + 7")
                    .isEqualTo(7);
        }
    }

    @Test
    void compoundedRequestsAreAnsweredTogetherPaddedAndChained() throws Exception {
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.negotiate(0, 0x0210));
            c.receive();
            c.send(Messages.concat(Messages.echo(1, 1, 0, 72), Messages.echo(2, 1, 0, 0)));
            ByteBuffer r = c.receive();
            assertThat(r.capacity()).isEqualTo(72 + 68);
            assertThat(r.getInt(20)).as("NextCommand").isEqualTo(72);
            assertThat(r.getLong(24)).isEqualTo(1);
            assertThat(r.getInt(72)).isEqualTo(0x424D53FE);
            assertThat(r.getLong(72 + 24)).isEqualTo(2);
            assertThat(r.getInt(72 + 20)).isZero();
        }
    }

    @Test
    void aCompoundWithAMisalignedNextCommandClosesTheConnection() throws Exception {
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.negotiate(0, 0x0210));
            c.receive();
            byte[] first = Messages.echo(1, 1, 0, 72);
            ByteBuffer.wrap(first).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(20, 70);
            c.send(Messages.concat(first, Messages.echo(2, 1, 0, 0)));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aRequestInAnUnknownSessionIsRefused() throws Exception {
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.negotiate(0, 0x0210));
            c.receive();
            ByteBuffer tc = Messages.le(64 + 8 + 16);
            Messages.header(tc, Messages.TREE_CONNECT, 1, 1, 1, 0);
            tc.putLong(40, 0x1234);
            tc.putShort(64, (short) 9);
            c.send(tc.array());
            assertThat(status(c.receive())).isEqualTo(NtStatus.USER_SESSION_DELETED);
        }
    }

    @Test
    void theServerGuidSurvivesARestart() throws Exception {
        byte[] first;
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.negotiate(0, 0x0202));
            first = serverGuid(c.receive());
        }
        server.close();
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.negotiate(0, 0x0202));
            assertThat(serverGuid(c.receive())).isEqualTo(first).isNotEqualTo(new byte[16]);
        }
    }

    @Test
    void negotiate311AnswersPreauthCipherAndSigningContexts() throws Exception {
        assumeTrue(CryptoBuilt.yes(), "smb-crypto not merged yet");
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.negotiate311(0, new int[] {1, 2}, new int[] {1, 2}));
            ByteBuffer r = c.receive();
            assertThat(status(r)).isZero();
            assertThat(dialect(r)).isEqualTo(0x0311);
            int count = r.getShort(64 + 6);
            assertThat(count).isEqualTo(3);
            int at = r.getInt(64 + 60);
            assertThat(at % 8).isZero();
            int cipher = 0;
            int signing = 0;
            int saltLength = 0;
            for (int i = 0; i < count; i++) {
                at = (at + 7) & ~7;
                int type = r.getShort(at);
                int length = r.getShort(at + 2);
                switch (type) {
                    case 1 -> saltLength = r.getShort(at + 8 + 2);
                    case 2 -> cipher = r.getShort(at + 8 + 2);
                    case 8 -> signing = r.getShort(at + 8 + 2);
                    default -> throw new AssertionError("context " + type);
                }
                at += 8 + length;
            }
            assertThat(saltLength).isEqualTo(32);
            assertThat(cipher).as("AES-128-GCM preferred").isEqualTo(2);
            assertThat(signing).as("AES-GMAC offered").isEqualTo(2);
        }
    }

    @Test
    void negotiate311PicksTheClientsFirstKnownCipherWithoutGcm128() throws Exception {
        assumeTrue(CryptoBuilt.yes(), "smb-crypto not merged yet");
        try (RawClient c = new RawClient(start())) {
            c.send(Messages.negotiate311(0, new int[] {9, 4, 1}, new int[] {1}));
            ByteBuffer r = c.receive();
            int at = r.getInt(64 + 60);
            int cipher = 0;
            int signing = 0;
            for (int i = 0; i < 3; i++) {
                at = (at + 7) & ~7;
                int type = r.getShort(at);
                if (type == 2) {
                    cipher = r.getShort(at + 10);
                } else if (type == 8) {
                    signing = r.getShort(at + 10);
                }
                at += 8 + r.getShort(at + 2);
            }
            assertThat(cipher).as("AES-256-GCM, the first known").isEqualTo(4);
            assertThat(signing).as("AES-CMAC").isEqualTo(1);
        }
    }

    /** The signing algorithm of the SMB2_SIGNING_CAPABILITIES context of a NEGOTIATE response, or -1. */
    private static int signingContext(ByteBuffer r) {
        int at = r.getInt(64 + 60);
        for (int i = 0; i < r.getShort(64 + 6); i++) {
            at = (at + 7) & ~7;
            if (r.getShort(at) == 8) {
                return r.getShort(at + 10);
            }
            at += 8 + r.getShort(at + 2);
        }
        return -1;
    }

    @Test
    void negotiate311SignsWithTheBestAlgorithmTheClientOffers() throws Exception {
        int port = start();
        try (RawClient all = new RawClient(port);
                RawClient hmac = new RawClient(port);
                RawClient unknown = new RawClient(port)) {
            all.send(Messages.negotiate311(0, new int[] {2}, new int[] {0, 1, 2}));
            hmac.send(Messages.negotiate311(0, new int[] {2}, new int[] {0}));
            unknown.send(Messages.negotiate311(0, new int[] {2}, new int[] {7}));
            assertThat(signingContext(all.receive())).as("AES-GMAC").isEqualTo(2);
            assertThat(signingContext(hmac.receive()))
                    .as("HMAC-SHA256, the only one offered")
                    .isZero();
            assertThat(signingContext(unknown.receive()))
                    .as("none known: no context (AES-CMAC signs)")
                    .isEqualTo(-1);
        }
    }

    /** Whether the crypto part is merged (its stubs throw before). */
    static final class CryptoBuilt {
        private CryptoBuilt() {}

        static boolean yes() {
            try {
                PreauthIntegrity.initial().update(new byte[1]);
                return true;
            } catch (UnsupportedOperationException e) {
                return false;
            }
        }
    }
}
