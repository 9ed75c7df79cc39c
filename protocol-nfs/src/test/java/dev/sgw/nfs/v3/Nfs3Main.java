package dev.sgw.nfs.v3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.sgw.cache.CacheConfig;
import dev.sgw.cache.CacheMode;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.file.FileShareConfig;
import dev.sgw.core.file.ShareVolume;
import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.UserMapping;
import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeMode;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.ListDirectory;
import dev.sgw.nfs.NfsProgram;
import dev.sgw.nfs.mount.MountProgram;
import dev.sgw.nfs.portmap.PortmapProgram;
import dev.sgw.nfs.portmap.PortmapRegistry;
import dev.sgw.nfs.rpc.RpcServer;

/**
 * Serves one share volume (in a new temporary directory, with an in-memory bucket) as {@code /demo} over
 * NFSv3, MOUNT and portmap on one port of 127.0.0.1, for probing by hand with the libnfs tools and fio:
 * {@code nfs-ls 'nfs://127.0.0.1/demo?version=3&nfsport=P&mountport=P'}. Arguments: port (default any),
 * seconds to run (default 600), cache size in MiB (default 1024), and a number of files to put under
 * {@code /tree} (default 0: none) spread over {@code tree/a}, {@code tree/a/b} with a symbolic link, for
 * listings that take many READDIRPLUS pages. The export's root is mode 0777 and ids are not squashed, so
 * any local user may write. The temporary directory is deleted when the time is up (not when the process
 * is killed).
 */
public final class Nfs3Main {
    private Nfs3Main() {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 600;
        long cacheMib = args.length > 2 ? Long.parseLong(args[2]) : 1024;
        Path dir = Files.createTempDirectory("sgw-nfs3-");
        try {
            serve(dir, port, seconds, cacheMib, args.length > 3 ? Integer.parseInt(args[3]) : 0);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void serve(Path dir, int port, long seconds, long cacheMib, int treeFiles) throws Exception {
        try (MetadataStore store = MetadataStore.open(dir.resolve("meta"));
                CacheDisk disk = CacheDisk.open(
                        "disk",
                        new CacheConfig(
                                dir.resolve("cache"),
                                cacheMib << 20,
                                CacheMode.EVICTING,
                                64 << 10,
                                Duration.ofMillis(200)));
                ShareVolume volume = ShareVolume.open(
                        FileShareConfig.of("demo", 7, "share7", VolumeMode.CACHE),
                        store,
                        disk,
                        new MemoryObjectStore())) {
            volume.setattr(volume.root(), SetAttributes.mode(0777));
            populate(volume, treeFiles);
            ListDirectory exports = new ListDirectory();
            exports.exports.add(new VolumeDirectory.NfsExport(
                    Nfs3Fixture.share(7, "/demo", UserMapping.NONE, ClientRule.anyReadWrite()), volume));
            PortmapRegistry registry = new PortmapRegistry();
            PortmapProgram portmap = new PortmapProgram(registry);
            MountProgram mount = new MountProgram(exports);
            NfsProgram nfs = new NfsProgram(List.of(new Nfs3Program(new ExportAccess(exports))));
            try (RpcServer server = new RpcServer(List.of(portmap, mount, nfs), RpcServer.Settings.defaults())) {
                InetSocketAddress bound = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                registry.registerTcp(portmap, bound, "superuser");
                registry.registerTcp(mount, bound, "superuser");
                registry.registerTcp(nfs, bound, "superuser");
                System.out.println("PORT " + bound.getPort() + " DIR " + dir);
                System.out.flush();
                Thread.sleep(seconds * 1000);
            }
        }
    }

    private static void populate(ShareVolume volume, int files) throws IOException {
        if (files <= 0) {
            return;
        }
        NodeId tree =
                volume.mkdir(volume.root(), "tree", SetAttributes.mode(0755)).id();
        NodeId a = volume.mkdir(tree, "a", SetAttributes.mode(0755)).id();
        NodeId b = volume.mkdir(a, "b", SetAttributes.mode(0700)).id();
        volume.symlink(a, "to-b", "b", SetAttributes.NONE);
        NodeId[] dirs = {tree, a, b};
        for (int i = 0; i < files; i++) {
            NodeId dir = dirs[i % 3];
            FileAttributes f = volume.create(
                    dir, "file-" + "n".repeat(i % 17) + "-" + i, CreateMode.GUARDED, SetAttributes.mode(0644));
            volume.write(
                    f.id(),
                    0,
                    ByteBuffer.wrap(("file " + i + "\n").getBytes(StandardCharsets.UTF_8)),
                    Stability.UNSTABLE);
        }
    }
}
