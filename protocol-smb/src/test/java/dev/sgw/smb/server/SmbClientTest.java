package dev.sgw.smb.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.smb.auth.SecurityExchange;
import dev.sgw.smb.file.DiskTreeCommands;
import dev.sgw.smb.rpc.RpcPipes;
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
 * Samba's smbclient against the server on a free loopback port, serving in-memory shares: share
 * enumeration (srvsvc over IPC$), listing a share at every dialect, signing and encryption asked by the
 * client, and the logons and tree connects that must fail.
 */
class SmbClientTest {
    @TempDir
    Path dir;

    private SmbServer server;
    private TestGateway gateway;
    private int port;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(Smbclient.PATH)), "smbclient is installed");
        assumeTrue(partsBuilt(), "the auth, crypto, rpc and file parts are merged");
        gateway = new TestGateway()
                .user("alice", "Secret-1")
                .user("bob", "Secret-2")
                .share("share", "alice")
                .share("private", "bob");
        FileVolume v = gateway.smb("share").orElseThrow().volume();
        FileAttributes f = v.create(v.root(), "hello.txt", CreateMode.GUARDED, SetAttributes.NONE);
        v.write(f.id(), 0, ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)), Stability.FILE_SYNC);
        serve(SmbSettings.defaults());
    }

    private void serve(SmbServer s) throws IOException {
        if (server != null) {
            server.close();
        }
        server = s;
        server.start(new ProtocolContext(
                new InetSocketAddress("127.0.0.1", 0), gateway, new SimpleMeterRegistry(), gateway, dir));
        port = server.endpoints().get(0).port();
    }

    private void serve(SmbSettings settings) throws IOException {
        serve(new SmbServer(settings, SecurityExchange::negotiateToken, DiskTreeCommands::new));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Smbclient.Run smbclient(String... args) throws IOException, InterruptedException {
        return Smbclient.run(dir, port, List.of(args));
    }

    @Test
    void sharesAreListedThroughSrvsvc() throws Exception {
        Smbclient.Run run = smbclient("-L", "//127.0.0.1", "-U", "alice%Secret-1", "-m", "SMB3_11");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("share", "private", "IPC$", "Disk", "IPC");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SMB2_02", "SMB2_10", "SMB3_00", "SMB3_02", "SMB3_11"})
    void aShareIsListedAtEveryDialect(String dialect) throws Exception {
        Smbclient.Run run = smbclient("//127.0.0.1/share", "-U", "alice%Secret-1", "-m", dialect, "-c", "ls");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("hello.txt").contains("blocks of size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sign", "encrypt"})
    void aFileGoesThereAndBackWithTheProtectionTheClientAsks(String protection) throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        Files.write(dir.resolve("up.bin"), data);
        Smbclient.Run run = smbclient(
                "//127.0.0.1/share",
                "-U",
                "alice%Secret-1",
                "-m",
                "SMB3_11",
                "--client-protection=" + protection,
                "-c",
                "put up.bin remote.bin; get remote.bin down.bin; ls");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("remote.bin");
        assertThat(dir.resolve("down.bin")).as(run.output()).exists();
        assertThat(Files.readAllBytes(dir.resolve("down.bin"))).isEqualTo(data);
    }

    @Test
    void encryptionWorksOnSmb30Too() throws Exception {
        Smbclient.Run run = smbclient(
                "//127.0.0.1/share",
                "-U",
                "alice%Secret-1",
                "-m",
                "SMB3_00",
                "--client-protection=encrypt",
                "-c",
                "ls");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("hello.txt");
    }

    @Test
    void aWrongPasswordIsALogonFailure() throws Exception {
        Smbclient.Run run = smbclient("//127.0.0.1/share", "-U", "alice%wrong", "-m", "SMB3_11", "-c", "ls");
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("NT_STATUS_LOGON_FAILURE");
    }

    @Test
    void anUnknownUserIsALogonFailure() throws Exception {
        Smbclient.Run run = smbclient("//127.0.0.1/share", "-U", "mallory%Secret-1", "-m", "SMB2_10", "-c", "ls");
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("NT_STATUS_LOGON_FAILURE");
    }

    @Test
    void aUserTheShareDoesNotAllowIsDenied() throws Exception {
        Smbclient.Run run = smbclient("//127.0.0.1/share", "-U", "bob%Secret-2", "-m", "SMB3_11", "-c", "ls");
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("NT_STATUS_ACCESS_DENIED");
    }

    @Test
    void anUnknownShareIsABadNetworkName() throws Exception {
        Smbclient.Run run = smbclient("//127.0.0.1/nosuch", "-U", "alice%Secret-1", "-m", "SMB3_11", "-c", "ls");
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("NT_STATUS_BAD_NETWORK_NAME");
    }

    @Test
    void anAnonymousSessionListsSharesButReachesNoDiskShare() throws Exception {
        Smbclient.Run list = smbclient("-L", "//127.0.0.1", "-N", "-m", "SMB3_11");
        assertThat(list.exit()).as(list.output()).isZero();
        assertThat(list.output()).contains("share", "IPC$");
        Smbclient.Run ls = smbclient("//127.0.0.1/share", "-N", "-m", "SMB3_11", "-c", "ls");
        assertThat(ls.exit()).isNotZero();
        assertThat(ls.output()).contains("NT_STATUS_ACCESS_DENIED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SMB2_10", "SMB3_11"})
    void aServerThatRequiresSigningServesClientsThatSign(String dialect) throws Exception {
        serve(SmbSettings.defaults().withSigningRequired(true));
        Smbclient.Run run = smbclient("//127.0.0.1/share", "-U", "alice%Secret-1", "-m", dialect, "-c", "ls");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("hello.txt");
    }

    @Test
    void aServerThatRequiresEncryptionServes3xAndRefuses2x() throws Exception {
        serve(SmbSettings.defaults().withEncryptionRequired(true));
        Smbclient.Run smb3 = smbclient("//127.0.0.1/share", "-U", "alice%Secret-1", "-m", "SMB3_11", "-c", "ls");
        assertThat(smb3.exit()).as(smb3.output()).isZero();
        assertThat(smb3.output()).contains("hello.txt");
        Smbclient.Run smb2 = smbclient("//127.0.0.1/share", "-U", "alice%Secret-1", "-m", "SMB2_10", "-c", "ls");
        assertThat(smb2.exit()).isNotZero();
        assertThat(smb2.output()).contains("NT_STATUS_ACCESS_DENIED");
    }

    /** Whether the parts this test needs are built (their stubs throw before they are merged). */
    static boolean partsBuilt() {
        try {
            SecurityExchange.negotiateToken();
            new RpcPipes("SGW", "WORKGROUP", List::of);
            Class.forName("dev.sgw.smb.file.DiskTreeCommands");
            return TransportTest.CryptoBuilt.yes();
        } catch (UnsupportedOperationException | ClassNotFoundException e) {
            return false;
        }
    }
}
