package dev.sgw.smb.server;

import java.nio.file.Path;

import dev.sgw.smb.auth.NtlmLogon;
import dev.sgw.smb.file.DiskTreeCommands;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.sgw.smb.server.SessionClient.CMAC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session's life on a real server over loopback: reauthentication as anonymous or as another user keeps
 * the session, its keys and its opens but stops new names where the new user may not; PreviousSessionId
 * ends the session the client had before; a signed request naming a session of another connection is
 * answered USER_SESSION_DELETED marked signed; session ids fit in 32 bits.
 */
class SessionLifecycleTest {
    private static final int CREATE = 2, OPEN_IF = 3;

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

    private SessionClient connect() throws Exception {
        SessionClient c = new SessionClient(port);
        c.negotiate311(CMAC);
        return c;
    }

    @Test
    void reauthenticationAsAnonymousKeepsTheOpensButMakesNoNewNames() throws Exception {
        try (SessionClient c = connect()) {
            SessionClient.Logon s = c.setup(NtlmLogon.of("alice", "Secret-1"), 0);
            int tree = c.treeConnect(s, "share");
            long[] file = SessionClient.fileId(c.create(s, tree, "a.txt", OPEN_IF));

            assertThat(c.reauthenticate(s, NtlmLogon.anonymous()).status()).isZero();

            assertThat(c.queryPosition(s, tree, file).status()).isZero();
            assertThat(c.create(s, tree, "b.txt", CREATE).status()).isEqualTo(NtStatus.ACCESS_DENIED);
            assertThat(c.create(s, tree, "c.txt", 1).status())
                    .as("looking is still allowed")
                    .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);

            assertThat(c.reauthenticate(s, NtlmLogon.of("alice", "Secret-1")).status())
                    .isZero();
            assertThat(c.create(s, tree, "b.txt", CREATE).status()).isZero();
        }
    }

    @Test
    void reauthenticationAsAUserTheShareDoesNotAllowKeepsTheTreeReadOnly() throws Exception {
        try (SessionClient c = connect()) {
            SessionClient.Logon s = c.setup(NtlmLogon.of("alice", "Secret-1"), 0);
            int tree = c.treeConnect(s, "share");
            long[] file = SessionClient.fileId(c.create(s, tree, "a.txt", OPEN_IF));

            assertThat(c.reauthenticate(s, NtlmLogon.of("bob", "Secret-2")).status())
                    .isZero();

            assertThat(c.queryPosition(s, tree, file).status()).isZero();
            assertThat(c.create(s, tree, "b.txt", CREATE).status()).isEqualTo(NtStatus.ACCESS_DENIED);
            assertThat(c.send(s, Smb2Command.TREE_CONNECT, 0, treeConnectBody()).status())
                    .as("bob may not connect to the share")
                    .isEqualTo(NtStatus.ACCESS_DENIED);
        }
    }

    private static byte[] treeConnectBody() {
        byte[] path = "\\\\127.0.0.1\\share".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + path.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 9).putShort((short) 0).putShort((short) (64 + 8)).putShort((short) path.length);
        return b.put(path).array();
    }

    @Test
    void aNewSessionNamingThePreviousOneEndsIt() throws Exception {
        try (SessionClient c1 = connect();
                SessionClient c2 = connect()) {
            SessionClient.Logon old = c1.setup(NtlmLogon.of("alice", "Secret-1"), 0);
            int tree = c1.treeConnect(old, "share");
            long[] file = SessionClient.fileId(c1.create(old, tree, "a.txt", OPEN_IF));

            SessionClient.Logon again = c2.setup(NtlmLogon.of("alice", "Secret-1"), old.id);

            assertThat(again.id).isNotEqualTo(old.id);
            assertThat(c1.queryPosition(old, tree, file).status()).isEqualTo(NtStatus.USER_SESSION_DELETED);
            assertThat(disk.openCount()).isZero();
        }
    }

    @Test
    void aNewSessionOfAnotherUserLeavesThePreviousOneAlone() throws Exception {
        try (SessionClient c1 = connect();
                SessionClient c2 = connect()) {
            SessionClient.Logon old = c1.setup(NtlmLogon.of("alice", "Secret-1"), 0);
            int tree = c1.treeConnect(old, "share");
            long[] file = SessionClient.fileId(c1.create(old, tree, "a.txt", OPEN_IF));

            c2.setup(NtlmLogon.of("bob", "Secret-2"), old.id);

            assertThat(c1.queryPosition(old, tree, file).status()).isZero();
        }
    }

    @Test
    void aSignedRequestNamingASessionOfAnotherConnectionIsAnsweredSessionDeletedMarkedSigned() throws Exception {
        try (SessionClient c1 = connect();
                SessionClient c2 = connect()) {
            SessionClient.Logon s = c1.setup(NtlmLogon.of("alice", "Secret-1"), 0);
            int tree = c1.treeConnect(s, "share");
            long[] file = SessionClient.fileId(c1.create(s, tree, "a.txt", OPEN_IF));

            SessionClient.Response r = c2.queryPosition(s, tree, file);

            assertThat(r.status()).isEqualTo(NtStatus.USER_SESSION_DELETED);
            assertThat(r.signedBy(s.signer)).isTrue();
            SessionClient.Response unknown = c2.send(s.id ^ 0x5A5A, Smb2Command.ECHO, 0, new byte[] {4, 0, 0, 0}, null);
            assertThat(unknown.status()).as("ECHO needs no session").isZero();
        }
    }

    @Test
    void sessionIdsFitIn32Bits() throws Exception {
        try (SessionClient c = connect()) {
            for (int i = 0; i < 3; i++) {
                long id = c.setup(NtlmLogon.of("alice", "Secret-1"), 0).id;
                assertThat(id).isNotZero().isLessThanOrEqualTo(0xFFFF_FFFFL);
            }
        }
    }
}
