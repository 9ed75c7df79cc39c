package dev.sgw.smb.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.core.manage.SmbUser;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.core.spi.VolumeDirectory.SmbExport;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.smb.auth.SecurityExchange;
import dev.sgw.smb.file.DiskTreeCommands;
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
 * The share and user settings as Samba's smbclient meets them on a real server on a loopback port: a share
 * left out of enumeration, read-only users, a disabled user, a share that must be encrypted, and the owner
 * of files a user makes. The volumes are in memory, as the gateway opens them: root 0777, new files 0666.
 */
class ShareAccessTest {
    @TempDir
    Path dir;

    private SmbServer server;
    private TestGateway gateway;
    private int port;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(Smbclient.PATH)), "smbclient is installed");
        assumeTrue(SmbClientTest.partsBuilt(), "the auth, crypto, rpc and file parts are merged");
        gateway = new TestGateway()
                .user("alice", "Secret-1")
                .user("bob", "Secret-2")
                .user(SmbUser.withPassword("carol", "Secret-3").withEnabled(false))
                .user(SmbUser.withPassword("dave", "Secret-4").withIds(2001, 3000));
        add(TestGateway.shareBuilder("share")
                .allowedUsers(List.of("alice", "bob", "carol", "dave"))
                .readOnlyUsers(List.of("bob"))
                .build());
        add(TestGateway.shareBuilder("hidden")
                .allowedUsers(List.of("alice"))
                .browseable(false)
                .build());
        add(TestGateway.shareBuilder("vault")
                .allowedUsers(List.of("alice"))
                .encryptData(true)
                .build());
        FileVolume v = volume("share");
        FileAttributes f = v.create(v.root(), "hello.txt", CreateMode.GUARDED, SetAttributes.NONE);
        v.write(f.id(), 0, ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)), Stability.FILE_SYNC);
        server = new SmbServer(SmbSettings.defaults(), SecurityExchange::negotiateToken, DiskTreeCommands::new);
        server.start(new ProtocolContext(
                new InetSocketAddress("127.0.0.1", 0), gateway, new SimpleMeterRegistry(), gateway, dir));
        port = server.endpoints().get(0).port();
        Files.writeString(dir.resolve("up.txt"), "uploaded\n");
    }

    /** A share over a volume as the gateway opens one: owned by the share's owner, open to all (0777/0666). */
    private void add(dev.sgw.core.manage.SmbShare share) {
        gateway.shares.add(new SmbExport(
                share,
                new MemoryFileVolume(share.name(), new MemoryFileVolume.Settings(1L << 40, 1000, 1000, 0666, 0777))));
    }

    private FileVolume volume(String share) {
        return gateway.smb(share).orElseThrow().volume();
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

    private Smbclient.Run on(String share, String credentials, String commands)
            throws IOException, InterruptedException {
        return smbclient("//127.0.0.1/" + share, "-U", credentials, "-m", "SMB3_11", "-c", commands);
    }

    private static List<String> names(FileVolume v) throws IOException {
        List<String> names = new ArrayList<>();
        v.readdir(v.root(), 0, 0, 1000).entries().forEach(e -> names.add(e.name()));
        return names;
    }

    @Test
    void aShareThatIsNotBrowseableIsLeftOutOfTheListButConnectsByName() throws Exception {
        Smbclient.Run list = smbclient("-L", "//127.0.0.1", "-U", "alice%Secret-1", "-m", "SMB3_11");
        assertThat(list.exit()).as(list.output()).isZero();
        assertThat(list.output()).contains("share", "vault", "IPC$").doesNotContain("hidden");
        Smbclient.Run ls = on("hidden", "alice%Secret-1", "ls");
        assertThat(ls.exit()).as(ls.output()).isZero();
        assertThat(ls.output()).contains("blocks of size");
    }

    @Test
    void aReadOnlyUserReadsButEveryChangeIsAccessDenied() throws Exception {
        Smbclient.Run get = on("share", "bob%Secret-2", "get hello.txt got.txt");
        assertThat(get.exit()).as(get.output()).isZero();
        assertThat(Files.readString(dir.resolve("got.txt"))).isEqualTo("hello\n");
        for (String change : List.of(
                "put up.txt", "mkdir newdir", "rm hello.txt", "rename hello.txt moved.txt", "setmode hello.txt +r")) {
            Smbclient.Run run = on("share", "bob%Secret-2", change);
            assertThat(run.output()).as(change).contains("NT_STATUS_ACCESS_DENIED");
        }
        assertThat(names(volume("share"))).as("nothing changed").containsExactly("hello.txt");
        FileAttributes hello = volume("share").lookup(volume("share").root(), "hello.txt");
        assertThat(hello.dosAttributes().readOnly()).isFalse();

        Smbclient.Run put = on("share", "alice%Secret-1", "put up.txt");
        assertThat(put.exit())
                .as("a read-write user of the same share: " + put.output())
                .isZero();
        assertThat(names(volume("share"))).contains("up.txt");
    }

    @Test
    void aDisabledUserIsRefusedOnceThePasswordIsRightAndAWrongPasswordSaysNothingMore() throws Exception {
        Smbclient.Run right = on("share", "carol%Secret-3", "ls");
        assertThat(right.exit()).isNotZero();
        assertThat(right.output()).contains("NT_STATUS_ACCOUNT_DISABLED");
        Smbclient.Run wrong = on("share", "carol%wrong-password", "ls");
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.output()).contains("NT_STATUS_LOGON_FAILURE").doesNotContain("DISABLED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SMB3_11", "SMB3_00"})
    void anEncryptDataShareIsServedToClientsThatEncrypt(String dialect) throws Exception {
        Smbclient.Run run =
                smbclient("//127.0.0.1/vault", "-U", "alice%Secret-1", "-m", dialect, "-c", "put up.txt; ls");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("up.txt");
        assertThat(names(volume("vault"))).containsExactly("up.txt");
    }

    @Test
    void anEncryptDataShareRefusesAClientThatCannotEncrypt() throws Exception {
        Smbclient.Run run = smbclient("//127.0.0.1/vault", "-U", "alice%Secret-1", "-m", "SMB2_10", "-c", "ls");
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("NT_STATUS_ACCESS_DENIED");
        Smbclient.Run other = smbclient("//127.0.0.1/share", "-U", "alice%Secret-1", "-m", "SMB2_10", "-c", "ls");
        assertThat(other.exit())
                .as("the other shares serve 2.x: " + other.output())
                .isZero();
    }

    @Test
    void whatAUserMakesBelongsToTheirIdsAndWithoutIdsToTheSharesOwner() throws Exception {
        Smbclient.Run dave = on("share", "dave%Secret-4", "put up.txt dave.txt; mkdir dave-dir");
        assertThat(dave.exit()).as(dave.output()).isZero();
        Smbclient.Run alice = on("share", "alice%Secret-1", "put up.txt alice.txt");
        assertThat(alice.exit()).as(alice.output()).isZero();
        FileVolume v = volume("share");
        assertThat(owner(v.lookup(v.root(), "dave.txt"))).isEqualTo("2001:3000");
        assertThat(owner(v.lookup(v.root(), "dave-dir"))).isEqualTo("2001:3000");
        assertThat(owner(v.lookup(v.root(), "alice.txt"))).isEqualTo("1000:1000");

        Smbclient.Run aliceWritesDaves = on("share", "alice%Secret-1", "put up.txt dave.txt");
        assertThat(aliceWritesDaves.exit())
                .as("a file made over SMB is open to the share's other users (0666): " + aliceWritesDaves.output())
                .isZero();
        assertThat(owner(v.lookup(v.root(), "dave.txt")))
                .as("and keeps its owner")
                .isEqualTo("2001:3000");
    }

    private static String owner(FileAttributes a) {
        return a.uid() + ":" + a.gid();
    }
}
