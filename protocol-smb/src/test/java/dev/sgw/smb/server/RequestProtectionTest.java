package dev.sgw.smb.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import dev.sgw.core.manage.SmbUser;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.smb.auth.SecurityExchange;
import dev.sgw.smb.file.DiskTreeCommands;
import dev.sgw.smb.server.RawSession.Answer;
import dev.sgw.smb.server.RawSession.Protection;
import dev.sgw.smb.wire.NtStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What no real client sends, sent to a real server on a loopback port by a hand-built client ({@link
 * RawSession}): logons that must fail, unsigned requests on a session that must sign, plaintext requests on a
 * share that must be encrypted, a read-only user asking for write access, a user disabled while logged on.
 * Each is refused with the status Windows gives; the same requests done right are served.
 */
class RequestProtectionTest {
    private static final int SMB_2_1 = 0x0210;
    private static final int SMB_3_0 = 0x0300;
    private static final int SHAREFLAG_ENCRYPT_DATA = 0x8000;
    private static final int FILE_WRITE_DATA = 0x2;
    private static final int CREATE_NEW = 2;

    @TempDir
    Path dir;

    private SmbServer server;
    private TestGateway gateway;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(SmbClientTest.partsBuilt(), "the auth, crypto, rpc and file parts are merged");
        gateway = new TestGateway()
                .user("alice", "Secret-1")
                .user("bob", "Secret-2")
                .user(SmbUser.withPassword("carol", "Secret-3").withEnabled(false))
                .share(TestGateway.shareBuilder("share")
                        .allowedUsers(List.of("alice", "bob", "carol"))
                        .readOnlyUsers(List.of("bob"))
                        .build())
                .share(TestGateway.shareBuilder("vault")
                        .allowedUsers(List.of("alice"))
                        .encryptData(true)
                        .build());
    }

    private void serve(SmbSettings settings) throws IOException {
        server = new SmbServer(settings, SecurityExchange::negotiateToken, DiskTreeCommands::new);
        server.start(new ProtocolContext(
                new InetSocketAddress("127.0.0.1", 0), gateway, new SimpleMeterRegistry(), gateway, dir));
        port = server.endpoints().get(0).port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RawSession logOn(int dialect, String user, String password) throws IOException {
        return RawSession.logOn(port, dialect, user, password);
    }

    @ParameterizedTest
    @ValueSource(ints = {SMB_2_1, SMB_3_0})
    void logonsFailWithTheStatusWindowsGives(int dialect) throws Exception {
        serve(SmbSettings.defaults());
        try (RawSession right = logOn(dialect, "alice", "Secret-1")) {
            assertThat(right.logonStatus()).isZero();
        }
        try (RawSession wrong = logOn(dialect, "alice", "Secret-2")) {
            assertThat(wrong.logonStatus()).as("wrong password").isEqualTo(NtStatus.LOGON_FAILURE);
        }
        try (RawSession unknown = logOn(dialect, "mallory", "Secret-1")) {
            assertThat(unknown.logonStatus()).as("unknown user").isEqualTo(NtStatus.LOGON_FAILURE);
        }
        try (RawSession disabled = logOn(dialect, "carol", "Secret-3")) {
            assertThat(disabled.logonStatus()).as("disabled user").isEqualTo(NtStatus.ACCOUNT_DISABLED);
        }
        try (RawSession guess = logOn(dialect, "carol", "Secret-1")) {
            assertThat(guess.logonStatus())
                    .as("a wrong password for a disabled user tells nothing of the account")
                    .isEqualTo(NtStatus.LOGON_FAILURE);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {SMB_2_1, SMB_3_0})
    void aSessionThatMustSignRefusesUnsignedRequests(int dialect) throws Exception {
        serve(SmbSettings.defaults().withSigningRequired(true));
        try (RawSession s = logOn(dialect, "alice", "Secret-1")) {
            assertThat(s.logonStatus()).isZero();
            assertThat(s.treeConnect("share", Protection.PLAIN).status())
                    .as("an unsigned TREE_CONNECT")
                    .isEqualTo(NtStatus.ACCESS_DENIED);
            Answer tree = s.treeConnect("share", Protection.SIGNED);
            assertThat(tree.status()).isZero();
            assertThat(s.openRoot(tree.treeId(), Protection.PLAIN).status())
                    .as("an unsigned CREATE")
                    .isEqualTo(NtStatus.ACCESS_DENIED);
            assertThat(s.openRoot(tree.treeId(), Protection.SIGNED).status()).isZero();
        }
    }

    @Test
    void aShareThatMustBeEncryptedRefusesPlaintextRequests() throws Exception {
        serve(SmbSettings.defaults());
        try (RawSession s = logOn(SMB_3_0, "alice", "Secret-1")) {
            assertThat(s.logonStatus()).isZero();
            Answer vault = s.treeConnect("vault", Protection.PLAIN);
            assertThat(vault.status()).isZero();
            assertThat(vault.body(4) & SHAREFLAG_ENCRYPT_DATA)
                    .as("the client is told to encrypt")
                    .isNotZero();
            assertThat(s.openRoot(vault.treeId(), Protection.PLAIN).status())
                    .as("a plaintext CREATE")
                    .isEqualTo(NtStatus.ACCESS_DENIED);
            assertThat(s.openRoot(vault.treeId(), Protection.SIGNED).status())
                    .as("a signed one is not encrypted either")
                    .isEqualTo(NtStatus.ACCESS_DENIED);
            assertThat(s.openRoot(vault.treeId(), Protection.SEALED).status()).isZero();

            Answer share = s.treeConnect("share", Protection.PLAIN);
            assertThat(share.body(4) & SHAREFLAG_ENCRYPT_DATA).isZero();
            assertThat(s.openRoot(share.treeId(), Protection.PLAIN).status())
                    .as("plaintext stays fine on a share that does not ask for encryption")
                    .isZero();
        }
    }

    @Test
    void aShareThatMustBeEncryptedRefusesAConnectionThatCannotEncrypt() throws Exception {
        serve(SmbSettings.defaults());
        try (RawSession s = logOn(SMB_2_1, "alice", "Secret-1")) {
            assertThat(s.logonStatus()).isZero();
            assertThat(s.treeConnect("vault", Protection.PLAIN).status()).isEqualTo(NtStatus.ACCESS_DENIED);
            assertThat(s.treeConnect("share", Protection.PLAIN).status()).isZero();
        }
    }

    @Test
    void aReadOnlyUsersTreeGrantsReadingOnly() throws Exception {
        serve(SmbSettings.defaults());
        try (RawSession bob = logOn(SMB_3_0, "bob", "Secret-2");
                RawSession alice = logOn(SMB_3_0, "alice", "Secret-1")) {
            Answer readOnly = bob.treeConnect("share", Protection.PLAIN);
            assertThat(readOnly.status()).isZero();
            assertThat(readOnly.body(12))
                    .as("MaximalAccess: FILE_GENERIC_READ | FILE_GENERIC_EXECUTE")
                    .isEqualTo(0x001200A9);
            assertThat(bob.create(readOnly.treeId(), "new.txt", FILE_WRITE_DATA, CREATE_NEW, Protection.PLAIN)
                            .status())
                    .isEqualTo(NtStatus.ACCESS_DENIED);
            assertThat(bob.openRoot(readOnly.treeId(), Protection.PLAIN).status())
                    .isZero();

            Answer readWrite = alice.treeConnect("share", Protection.PLAIN);
            assertThat(readWrite.body(12)).as("FILE_ALL_ACCESS").isEqualTo(0x001F01FF);
            assertThat(alice.create(readWrite.treeId(), "new.txt", FILE_WRITE_DATA, CREATE_NEW, Protection.PLAIN)
                            .status())
                    .isZero();
        }
    }

    @Test
    void aUserDisabledWhileLoggedOnConnectsNoFurtherTree() throws Exception {
        serve(SmbSettings.defaults());
        try (RawSession s = logOn(SMB_3_0, "alice", "Secret-1")) {
            Answer before = s.treeConnect("share", Protection.PLAIN);
            assertThat(before.status()).isZero();
            gateway.user(SmbUser.withPassword("alice", "Secret-1").withEnabled(false));
            assertThat(s.treeConnect("share", Protection.PLAIN).status()).isEqualTo(NtStatus.ACCESS_DENIED);
            assertThat(s.openRoot(before.treeId(), Protection.PLAIN).status())
                    .as("a tree already connected carries on, as on Windows")
                    .isZero();
        }
    }

    @Test
    void aUserTakenOffTheShareConnectsNoFurtherTree() throws Exception {
        serve(SmbSettings.defaults());
        try (RawSession s = logOn(SMB_3_0, "bob", "Secret-2")) {
            assertThat(s.treeConnect("share", Protection.PLAIN).status()).isZero();
            assertThat(s.treeConnect("vault", Protection.PLAIN).status())
                    .as("not an allowed user")
                    .isEqualTo(NtStatus.ACCESS_DENIED);
            gateway.change(TestGateway.shareBuilder("share")
                    .allowedUsers(List.of("alice"))
                    .build());
            assertThat(s.treeConnect("share", Protection.PLAIN).status()).isEqualTo(NtStatus.ACCESS_DENIED);
        }
    }
}
