package dev.sgw.nfs.v3;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.FileHandles;
import dev.sgw.nfs.ListDirectory;
import dev.sgw.nfs.Nfs3Status;
import dev.sgw.nfs.rpc.RpcServer;
import dev.sgw.nfs.xdr.XdrDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NFSv3 over a real socket and a real share volume (RocksDB metadata, cache disk, in-memory bucket), one
 * volume exported four ways: {@code /demo} (id 7, any client read-write, no squashing), {@code /ro} (id 8,
 * 127.0.0.0/8 read-only), {@code /lan} (id 9, 10.0.0.0/8 only) and {@code /squash} (id 10, root squashed).
 */
abstract class Nfs3Fixture {
    static final int DEMO = 7, RO = 8, LAN = 9, SQUASH = 10;

    @TempDir
    Path dir;

    MetadataStore store;
    CacheDisk disk;
    ShareVolume volume;
    RpcServer server;
    Nfs3Client client;
    byte[] root;

    @BeforeEach
    void start() throws Exception {
        store = MetadataStore.open(dir.resolve("meta"));
        disk = CacheDisk.open(
                "disk",
                new CacheConfig(dir.resolve("cache"), 64L << 20, CacheMode.EVICTING, 64 << 10, Duration.ofMillis(200)));
        volume = ShareVolume.open(
                FileShareConfig.of("demo", 7, "share7", VolumeMode.CACHE), store, disk, new MemoryObjectStore());
        ListDirectory exports = new ListDirectory();
        exports.exports.add(new VolumeDirectory.NfsExport(
                share(DEMO, "/demo", UserMapping.NONE, ClientRule.anyReadWrite()), exported(volume)));
        exports.exports.add(new VolumeDirectory.NfsExport(
                share(RO, "/ro", UserMapping.NONE, new ClientRule("127.0.0.0/8", false)), volume));
        exports.exports.add(new VolumeDirectory.NfsExport(
                share(LAN, "/lan", UserMapping.NONE, new ClientRule("10.0.0.0/8", true)), volume));
        exports.exports.add(new VolumeDirectory.NfsExport(
                share(SQUASH, "/squash", UserMapping.ROOT_SQUASH, ClientRule.anyReadWrite()), volume));
        server = new RpcServer(List.of(new Nfs3Program(new ExportAccess(exports))), RpcServer.Settings.defaults());
        InetSocketAddress bound = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new Nfs3Client(bound, 0);
        root = FileHandles.encode(DEMO, volume.root());
    }

    /** The volume {@code /demo} exports: the share volume itself, or a decorator of it a test adds. */
    FileVolume exported(ShareVolume volume) {
        return volume;
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        volume.close();
        disk.close();
        store.close();
    }

    static NfsShare share(int id, String path, UserMapping mapping, ClientRule... rules) {
        return new NfsShare(
                id,
                path,
                VolumeMode.CACHE,
                "res",
                null,
                "disk",
                mapping,
                NfsShare.NOBODY,
                NfsShare.NOBODY,
                List.of(rules),
                0,
                NfsShare.DEFAULT_UPLOAD_DELAY_SECONDS,
                NfsShare.DEFAULT_CAPACITY);
    }

    /** The same file seen through another export. */
    static byte[] in(int exportId, byte[] handle) throws Exception {
        return FileHandles.encode(exportId, FileHandles.decode(handle).node());
    }

    static void assertStatus(XdrDecoder in, Nfs3Status expected) {
        assertThat(in.readEnum()).as("nfsstat3").isEqualTo(expected.code());
    }

    // ---- procedures that must succeed -------------------------------------------------------------

    Nfs3Client.Fattr getattr(byte[] fh) throws Exception {
        XdrDecoder in = client.call(Nfs3Program.GETATTR, e -> Nfs3Client.fh(e, fh));
        assertStatus(in, Nfs3Status.NFS3_OK);
        Nfs3Client.Fattr a = Nfs3Client.fattr(in);
        in.requireEnd();
        return a;
    }

    /** CREATE (UNCHECKED with the mode) and the new handle. */
    byte[] create(byte[] dirFh, String name, int mode) throws Exception {
        XdrDecoder in = client.call(Nfs3Program.CREATE, e -> {
            Nfs3Client.dirop(e, dirFh, name);
            e.writeEnum(0);
            Nfs3Client.sattrMode(e, mode);
        });
        assertStatus(in, Nfs3Status.NFS3_OK);
        return Nfs3Client.postOpFh(in);
    }

    byte[] mkdir(byte[] dirFh, String name, int mode) throws Exception {
        XdrDecoder in = client.call(Nfs3Program.MKDIR, e -> {
            Nfs3Client.dirop(e, dirFh, name);
            Nfs3Client.sattrMode(e, mode);
        });
        assertStatus(in, Nfs3Status.NFS3_OK);
        return Nfs3Client.postOpFh(in);
    }

    byte[] lookup(byte[] dirFh, String name) throws Exception {
        XdrDecoder in = client.call(Nfs3Program.LOOKUP, e -> Nfs3Client.dirop(e, dirFh, name));
        assertStatus(in, Nfs3Status.NFS3_OK);
        return in.readOpaque(64);
    }
}
