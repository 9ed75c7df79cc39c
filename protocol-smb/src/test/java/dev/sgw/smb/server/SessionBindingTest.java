package dev.sgw.smb.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import dev.sgw.smb.auth.NtlmLogon;
import dev.sgw.smb.file.DiskTreeCommands;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.sgw.smb.server.SessionClient.CMAC;
import static dev.sgw.smb.server.SessionClient.GMAC;
import static dev.sgw.smb.server.SessionClient.HMAC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Multichannel on a real server over loopback: a session bound to a second connection reaches its trees and
 * opens there, signed with the channel's own key; the bindings Windows refuses are refused with its
 * statuses (and signed with the session's key, as clients check); a binding as another user is refused;
 * the session outlives a channel and ends with its last; FSCTL_QUERY_NETWORK_INTERFACE_INFO.
 */
class SessionBindingTest {
    private static final int OPEN_IF = 3;

    @TempDir
    Path dir;

    private SmbServer server;
    private final DiskTreeCommands disk = new DiskTreeCommands();
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = TestGateway.startAliceAndBob(disk, dir);
        port = server.endpoints().get(0).port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static NtlmLogon alice() {
        return NtlmLogon.of("alice", "Secret-1");
    }

    /** A 3.1.1 connection signing with {@code algorithm}. */
    private SessionClient connect311(int algorithm) throws Exception {
        SessionClient c = new SessionClient(port);
        c.negotiate311(algorithm);
        assertThat(c.signing().id()).isEqualTo(algorithm);
        return c;
    }

    @ParameterizedTest(name = "session signing {0}, channel signing {1}")
    @CsvSource({"1, 1", "1, 0", "0, 1", "2, 2"})
    void aBoundSessionReachesItsOpensOnTheSecondConnectionSignedWithTheChannelsKey(int first, int second)
            throws Exception {
        try (SessionClient c1 = connect311(first);
                SessionClient c2 = connect311(second)) {
            SessionClient.Logon s = c1.setup(alice(), 0);
            int tree = c1.treeConnect(s, "share");
            long[] file = SessionClient.fileId(c1.create(s, tree, "a.txt", OPEN_IF));

            SessionClient.Response bound = c2.bind(s, alice());

            assertThat(bound.status()).isZero();
            assertThat(c2.signer(s)).as("the channel has a key of its own").isNotSameAs(s.signer);
            SessionClient.Response there = c2.queryPosition(s, tree, file);
            assertThat(there.status()).isZero();
            assertThat(there.signedBy(c2.signer(s))).isTrue();
            assertThat(c2.send(s.id, Smb2Command.QUERY_INFO, tree, positionQuery(file), s.signer)
                            .status())
                    .as("signed with the session's key instead of the channel's")
                    .isEqualTo(NtStatus.ACCESS_DENIED);
            assertThat(c1.queryPosition(s, tree, file).status()).isZero();
            assertThat(c2.bind(s, alice()).status()).as("bound already").isEqualTo(NtStatus.ACCESS_DENIED);
        }
    }

    private static byte[] positionQuery(long[] file) {
        java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(48).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        body.putShort((short) 41)
                .put((byte) 1)
                .put((byte) 14)
                .putInt(8)
                .putShort((short) 0)
                .putShort((short) 0);
        body.putInt(0).putInt(0).putInt(0).putLong(file[0]).putLong(file[1]);
        return body.array();
    }

    /** How the second connection negotiates: a 3.1.1 signing algorithm, or (negative) a dialect alone. */
    private SessionClient connectAs(int how) throws Exception {
        if (how >= 0) {
            return connect311(how);
        }
        SessionClient c = new SessionClient(port);
        c.negotiate(-how);
        return c;
    }

    @ParameterizedTest(name = "session signing {0} on a connection negotiated as {1}: {2}")
    @CsvSource({
        "2, 1, REQUEST_OUT_OF_SEQUENCE",
        "2, 0, REQUEST_OUT_OF_SEQUENCE",
        "1, 2, NOT_SUPPORTED",
        "0, 2, NOT_SUPPORTED",
        "1, -528, REQUEST_NOT_ACCEPTED", // 2.1
        "1, -770, INVALID_PARAMETER" // 3.0.2
    })
    void aBindingWindowsRefusesIsRefusedWithItsStatusSignedWithTheSessionsKey(int first, int how, String status)
            throws Exception {
        try (SessionClient c1 = connect311(first);
                SessionClient c2 = connectAs(how)) {
            SessionClient.Logon s = c1.setup(alice(), 0);
            int tree = c1.treeConnect(s, "share");
            long[] file = SessionClient.fileId(c1.create(s, tree, "a.txt", OPEN_IF));

            SessionClient.Response refused = c2.bind(s, alice());

            assertThat(refused.status())
                    .isEqualTo(NtStatus.class.getField(status).getInt(null));
            assertThat(refused.signedBy(s.signer)).isTrue();
            assertThat(c2.queryPosition(s, tree, file).status()).isEqualTo(NtStatus.USER_SESSION_DELETED);
            assertThat(c1.queryPosition(s, tree, file).status()).isZero();
        }
    }

    @Test
    void anUnsignedBindingIsInvalid() throws Exception {
        try (SessionClient c1 = connect311(CMAC);
                SessionClient c2 = connect311(CMAC)) {
            SessionClient.Logon s = c1.setup(alice(), 0);
            SessionClient.Logon unsigned = new SessionClient.Logon(s.id, s.dialect, null);
            assertThat(c2.bind(unsigned, alice()).status()).isEqualTo(NtStatus.INVALID_PARAMETER);
        }
    }

    @Test
    void aBindingThatAuthenticatesAnotherUserIsRefusedAndTheSessionGoesOn() throws Exception {
        try (SessionClient c1 = connect311(CMAC);
                SessionClient c2 = connect311(CMAC)) {
            SessionClient.Logon s = c1.setup(alice(), 0);
            int tree = c1.treeConnect(s, "share");
            long[] file = SessionClient.fileId(c1.create(s, tree, "a.txt", OPEN_IF));

            SessionClient.Response refused = c2.bind(s, NtlmLogon.of("bob", "Secret-2"));

            assertThat(refused.status()).isEqualTo(NtStatus.ACCESS_DENIED);
            assertThat(refused.signedBy(s.signer)).isTrue();
            assertThat(c2.queryPosition(s, tree, file).status()).isEqualTo(NtStatus.USER_SESSION_DELETED);
            assertThat(c1.queryPosition(s, tree, file).status()).isZero();
            assertThat(c2.bind(s, alice()).status())
                    .as("the right user still may")
                    .isZero();
        }
    }

    @Test
    void theSessionOutlivesItsSecondChannelAndEndsWithItsLast() throws Exception {
        SessionClient.Logon s;
        int tree;
        long[] file;
        try (SessionClient c3 = connect311(CMAC)) {
            try (SessionClient c1 = connect311(CMAC)) {
                s = c1.setup(alice(), 0);
                tree = c1.treeConnect(s, "share");
                file = SessionClient.fileId(c1.create(s, tree, "a.txt", OPEN_IF));
                try (SessionClient c2 = connect311(CMAC)) {
                    assertThat(c2.bind(s, alice()).status()).isZero();
                }
                await(() -> server.connectionCount() == 2);
                assertThat(c1.queryPosition(s, tree, file).status()).isZero();
                assertThat(disk.openCount()).isEqualTo(1);
                assertThat(c3.bind(s, alice()).status()).isZero();
            }
            await(() -> server.connectionCount() == 1);
            assertThat(c3.queryPosition(s, tree, file).status())
                    .as("the first connection is gone, the bound one goes on")
                    .isZero();
        }
        await(() -> disk.openCount() == 0);
    }

    @Test
    void aFailedReauthenticationOnABoundChannelEndsTheSessionOnEveryChannel() throws Exception {
        try (SessionClient c1 = connect311(CMAC);
                SessionClient c2 = connect311(CMAC)) {
            SessionClient.Logon s = c1.setup(alice(), 0);
            int tree = c1.treeConnect(s, "share");
            long[] file = SessionClient.fileId(c1.create(s, tree, "a.txt", OPEN_IF));
            assertThat(c2.bind(s, alice()).status()).isZero();

            assertThat(c2.reauthenticate(s, NtlmLogon.of("alice", "wrong")).status())
                    .isEqualTo(NtStatus.LOGON_FAILURE);

            assertThat(c1.queryPosition(s, tree, file).status()).isEqualTo(NtStatus.USER_SESSION_DELETED);
            assertThat(c2.queryPosition(s, tree, file).status()).isEqualTo(NtStatus.USER_SESSION_DELETED);
            assertThat(disk.openCount()).isZero();
        }
    }

    @Test
    void logoffOnABoundChannelEndsTheSession() throws Exception {
        try (SessionClient c1 = connect311(CMAC);
                SessionClient c2 = connect311(CMAC)) {
            SessionClient.Logon s = c1.setup(alice(), 0);
            int tree = c1.treeConnect(s, "share");
            long[] file = SessionClient.fileId(c1.create(s, tree, "a.txt", OPEN_IF));
            assertThat(c2.bind(s, alice()).status()).isZero();

            assertThat(c2.logoff(s).status()).isZero();

            assertThat(c1.queryPosition(s, tree, file).status()).isEqualTo(NtStatus.USER_SESSION_DELETED);
            assertThat(disk.openCount()).isZero();
        }
    }

    @Test
    void theNetworkInterfaceIsTheAddressTheClientReached() throws Exception {
        try (SessionClient c = connect311(CMAC)) {
            SessionClient.Logon s = c.setup(alice(), 0);
            int tree = c.treeConnect(s, "share");
            long[] none = {-1L, -1L};

            SessionClient.Response r =
                    c.ioctl(s, tree, NetworkInterfaces.FSCTL_QUERY_NETWORK_INTERFACE_INFO, none, 65536);

            assertThat(r.status()).isZero();
            int offset = r.message().getInt(64 + 32);
            assertThat(r.message().getInt(64 + 36)).as("one 152-byte entry").isEqualTo(152);
            assertThat(r.message().getInt(offset)).as("Next").isZero();
            assertThat(r.message().getShort(offset + 24)).as("IPv4").isEqualTo((short) 2);
            assertThat(new byte[] {
                        r.message().get(offset + 28),
                        r.message().get(offset + 29),
                        r.message().get(offset + 30),
                        r.message().get(offset + 31)
                    })
                    .containsExactly(127, 0, 0, 1);
            assertThat(c.ioctl(s, tree, NetworkInterfaces.FSCTL_QUERY_NETWORK_INTERFACE_INFO, none, 1)
                            .status())
                    .isEqualTo(NtStatus.BUFFER_TOO_SMALL);
            long[] aFile = {Long.MAX_VALUE, Long.MAX_VALUE};
            assertThat(c.ioctl(s, tree, NetworkInterfaces.FSCTL_QUERY_NETWORK_INTERFACE_INFO, aFile, 1)
                            .status())
                    .isEqualTo(NtStatus.INVALID_PARAMETER);
        }
    }

    @Test
    void multichannelIsOfferedToA3xClientThatAsksNotTo21() throws Exception {
        try (SessionClient c311 = new SessionClient(port);
                SessionClient c21 = new SessionClient(port)) {
            assertThat(SessionClient.capabilities(c311.negotiate311(HMAC)) & Negotiated.CAP_MULTI_CHANNEL)
                    .isNotZero();
            assertThat(SessionClient.capabilities(c21.negotiate(SessionClient.SMB2_10)) & Negotiated.CAP_MULTI_CHANNEL)
                    .isZero();
        }
    }

    @Test
    void signingIsTheBestTheClientOffers() throws Exception {
        try (SessionClient gmac = new SessionClient(port);
                SessionClient hmac = new SessionClient(port);
                SessionClient unknown = new SessionClient(port)) {
            gmac.negotiate311(HMAC, CMAC, GMAC);
            hmac.negotiate311(HMAC);
            unknown.negotiate311(7);
            assertThat(gmac.signing().id()).isEqualTo(GMAC);
            assertThat(hmac.signing().id()).as("only HMAC-SHA256 offered").isEqualTo(HMAC);
            assertThat(unknown.signing().id())
                    .as("none known: no context, AES-CMAC")
                    .isEqualTo(CMAC);
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(20);
        }
    }
}
