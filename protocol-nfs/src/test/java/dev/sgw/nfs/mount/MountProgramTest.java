package dev.sgw.nfs.mount;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sgw.cache.CacheConfig;
import dev.sgw.cache.CacheMode;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.file.FileShareConfig;
import dev.sgw.core.file.ShareVolume;
import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.UserMapping;
import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.VolumeMode;
import dev.sgw.nfs.FileHandles;
import dev.sgw.nfs.ListDirectory;
import dev.sgw.nfs.rpc.OpaqueAuth;
import dev.sgw.nfs.rpc.RpcServer;
import dev.sgw.nfs.rpc.RpcTestClient;
import dev.sgw.nfs.rpc.RpcTestClient.Reply;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** MOUNT v3 over a real socket, with a real share volume (RocksDB metadata, cache disk, in-memory bucket). */
class MountProgramTest {
    private static final int MOUNT = MountProgram.PROGRAM;

    @TempDir
    Path dir;

    private MetadataStore store;
    private CacheDisk disk;
    private ShareVolume volume;
    private final ListDirectory directory = new ListDirectory();
    private final List<VolumeDirectory.NfsExport> exports = directory.exports;
    private RpcServer server;
    private RpcTestClient client;

    @BeforeEach
    void start() throws Exception {
        store = MetadataStore.open(dir.resolve("meta"));
        disk = CacheDisk.open(
                "disk",
                new CacheConfig(dir.resolve("cache"), 16L << 20, CacheMode.EVICTING, 64 << 10, Duration.ofMillis(200)));
        volume = ShareVolume.open(
                FileShareConfig.of("demo", 7, "share7", VolumeMode.CACHE), store, disk, new MemoryObjectStore());
        exports.add(new VolumeDirectory.NfsExport(share(7, "/demo", ClientRule.anyReadWrite()), volume));
        exports.add(new VolumeDirectory.NfsExport(
                share(8, "/lan", new ClientRule("10.0.0.0/8", true), new ClientRule("192.168.1.5", false)), volume));
        exports.add(new VolumeDirectory.NfsExport(share(9, "/local/ro", new ClientRule("127.0.0.0/8", false)), volume));
        server = new RpcServer(List.of(new MountProgram(directory)), RpcServer.Settings.defaults());
        InetSocketAddress bound = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new RpcTestClient(bound);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        volume.close();
        disk.close();
        store.close();
    }

    private Reply call(int version, int procedure, byte[] args) throws Exception {
        byte[] cred = RpcTestClient.authSys(1, "client", 1000, 1000);
        return client.call(client.nextXid(), MOUNT, version, procedure, OpaqueAuth.AUTH_SYS, cred, args)
                .get(5, TimeUnit.SECONDS);
    }

    private static byte[] path(String p) {
        return ByteBufUtil.getBytes(new XdrEncoder().writeString(p, 1024).buffer());
    }

    @Test
    void nullAnswersInEveryVersion() throws Exception {
        for (int v = 1; v <= 3; v++) {
            Reply r = call(v, MountProgram.NULL, new byte[0]);
            assertThat(r.success()).isTrue();
            assertThat(r.results()).isEmpty();
        }
        assertThat(call(4, MountProgram.NULL, new byte[0]).stat())
                .as("PROG_MISMATCH")
                .isEqualTo(2);
    }

    @Test
    void mntAnswersTheRootHandleOfTheVolumeWithAuthSys() throws Exception {
        XdrDecoder in = call(3, MountProgram.MNT, path("/demo")).decoder();
        assertThat(in.readEnum()).isEqualTo(MountStatus.MNT3_OK.code());
        byte[] handle = in.readOpaque(64);
        assertThat(in.readIntArray(16)).containsExactly(1);
        in.requireEnd();
        FileHandles.FileHandle decoded = FileHandles.decode(handle);
        assertThat(decoded.exportId()).isEqualTo(7);
        assertThat(decoded.node()).isEqualTo(volume.root());
        assertThat(decoded.node().inode()).isEqualTo(FileVolume.ROOT_INODE);
        assertThat(volume.getattr(decoded.node()))
                .as("the handle names a live directory")
                .isNotNull();

        XdrDecoder readOnly = call(3, MountProgram.MNT, path("/local/ro")).decoder();
        assertThat(readOnly.readEnum())
                .as("a read-only rule still allows mounting")
                .isEqualTo(0);
        assertThat(FileHandles.decode(readOnly.readOpaque(64)).exportId()).isEqualTo(9);
    }

    @Test
    void mntRefusesUnknownPathsAndClientsNotInTheAllowList() throws Exception {
        for (String unknown : List.of("/nothing", "/demo/", "/DEMO", "/local", "demo", "")) {
            XdrDecoder in = call(3, MountProgram.MNT, path(unknown)).decoder();
            assertThat(in.readEnum()).as(unknown).isEqualTo(MountStatus.MNT3ERR_NOENT.code());
            in.requireEnd();
        }
        XdrDecoder in = call(3, MountProgram.MNT, path("/lan")).decoder();
        assertThat(in.readEnum())
                .as("127.0.0.1 is not in 10.0.0.0/8 nor 192.168.1.5")
                .isEqualTo(MountStatus.MNT3ERR_ACCES.code());
        in.requireEnd();
        assertThat(dump()).as("refused mounts are not listed").isEmpty();
    }

    @Test
    void mntExistsOnlyInVersion3AndGarbageIsGarbageArgs() throws Exception {
        assertThat(call(1, MountProgram.MNT, path("/demo")).stat())
                .as("PROC_UNAVAIL")
                .isEqualTo(3);
        assertThat(call(3, MountProgram.MNT, new byte[] {0, 0, 0x10, 0}).stat())
                .as("GARBAGE_ARGS")
                .isEqualTo(4);
        byte[] tooLong = ByteBufUtil.getBytes(
                new XdrEncoder().writeString("/" + "a".repeat(1024), 2048).buffer());
        assertThat(call(3, MountProgram.MNT, tooLong).stat())
                .as("a path over MNTPATHLEN")
                .isEqualTo(4);
        assertThat(call(3, 6, new byte[0]).stat()).as("no procedure 6").isEqualTo(3);
    }

    @Test
    void dumpListsMountsPerClientUntilUmntAndUmntall() throws Exception {
        call(3, MountProgram.MNT, path("/demo"));
        call(3, MountProgram.MNT, path("/demo"));
        call(3, MountProgram.MNT, path("/local/ro"));
        assertThat(dump()).containsExactly(List.of("127.0.0.1", "/demo"), List.of("127.0.0.1", "/local/ro"));

        assertThat(call(3, MountProgram.UMNT, path("/demo")).results()).isEmpty();
        assertThat(dump()).containsExactly(List.of("127.0.0.1", "/local/ro"));

        call(3, MountProgram.MNT, path("/demo"));
        assertThat(call(3, MountProgram.UMNTALL, new byte[0]).results()).isEmpty();
        assertThat(dump()).isEmpty();
    }

    @Test
    void exportListsEveryExportWithStarOrItsRules() throws Exception {
        for (int v = 1; v <= 3; v++) {
            XdrDecoder in = call(v, MountProgram.EXPORT, new byte[0]).decoder();
            List<List<String>> listed = new ArrayList<>();
            while (in.readBool()) {
                List<String> entry = new ArrayList<>();
                entry.add(in.readString(1024));
                while (in.readBool()) {
                    entry.add(in.readString(255));
                }
                listed.add(entry);
            }
            in.requireEnd();
            assertThat(listed)
                    .as("version " + v)
                    .containsExactly(
                            List.of("/demo", "*"),
                            List.of("/lan", "10.0.0.0/8", "192.168.1.5"),
                            List.of("/local/ro", "127.0.0.0/8"));
        }
    }

    private List<List<String>> dump() throws Exception {
        XdrDecoder in = call(3, MountProgram.DUMP, new byte[0]).decoder();
        List<List<String>> list = new ArrayList<>();
        while (in.readBool()) {
            list.add(List.of(in.readString(255), in.readString(1024)));
        }
        in.requireEnd();
        return list;
    }

    private static NfsShare share(int id, String path, ClientRule... rules) {
        return new NfsShare(
                id,
                path,
                VolumeMode.CACHE,
                "res",
                null,
                "disk",
                UserMapping.ROOT_SQUASH,
                NfsShare.NOBODY,
                NfsShare.NOBODY,
                List.of(rules),
                0,
                NfsShare.DEFAULT_UPLOAD_DELAY_SECONDS,
                NfsShare.DEFAULT_CAPACITY);
    }
}
