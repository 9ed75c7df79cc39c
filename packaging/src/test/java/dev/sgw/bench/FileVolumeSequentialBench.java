package dev.sgw.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import dev.sgw.cache.CacheConfig;
import dev.sgw.cache.CacheMode;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.file.FileShareConfig;
import dev.sgw.core.file.ShareVolume;
import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.ReadResult;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeMode;

/**
 * Sequential write and read of one large file through a {@link ShareVolume} in cache mode, beside the same
 * I/O on a plain local file in the same directory, in the same run. Writes are UNSTABLE followed by one
 * commit (what an NFS client does), and the local file gets the matching {@code force}. The share's
 * uploader is not running: this measures the gateway's local data path, which is what a client waits for.
 *
 * <p>Usage: {@code bench/run-jmh FileVolumeSequentialBench [DIR] [SIZE_MIB] [IO_KIB] [RUNS]}; defaults
 * {@code target/bench-fs 1024 1024 3}.
 */
public final class FileVolumeSequentialBench {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-fs").toAbsolutePath();
        long sizeMiB = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        int ioBytes = (args.length > 2 ? Integer.parseInt(args[2]) : 1024) * 1024;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        long size = sizeMiB << 20;
        byte[] block = new byte[ioBytes];
        new Random(1).nextBytes(block);

        List<double[]> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            deleteTree(dir);
            Files.createDirectories(dir);
            double[] local = localFile(dir.resolve("plain.bin"), size, block);
            double[] share = shareVolume(dir.resolve("share"), size, block);
            results.add(new double[] {local[0], share[0], local[1], share[1]});
            System.out.printf(
                    "run %d: write plain %.1f MiB/s, share %.1f MiB/s; read plain %.1f MiB/s, share %.1f MiB/s%n",
                    run, local[0], share[0], local[1], share[1]);
        }
        deleteTree(dir);
        double[] median = new double[4];
        for (int i = 0; i < 4; i++) {
            int column = i;
            median[i] = results.stream().mapToDouble(r -> r[column]).sorted().toArray()[results.size() / 2];
        }
        System.out.printf("%nmedian of %d runs, %d MiB file, %d KiB I/O, in %s%n", runs, sizeMiB, ioBytes / 1024, dir);
        System.out.printf("| | plain file | sgw share (cache mode) | ratio |%n|---|---|---|---|%n");
        System.out.printf(
                "| sequential write + commit, MiB/s | %.1f | %.1f | %.2f |%n",
                median[0], median[1], median[1] / median[0]);
        System.out.printf(
                "| sequential read, MiB/s | %.1f | %.1f | %.2f |%n", median[2], median[3], median[3] / median[2]);
    }

    /** Write then force, then read back; MiB/s of each. */
    static double[] localFile(Path file, long size, byte[] block) throws IOException {
        long start = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (long off = 0; off < size; off += block.length) {
                ByteBuffer src = ByteBuffer.wrap(block, 0, (int) Math.min(block.length, size - off));
                while (src.hasRemaining()) {
                    ch.write(src, off + src.position());
                }
            }
            ch.force(true);
        }
        double write = mibPerSecond(size, System.nanoTime() - start);
        ByteBuffer dst = ByteBuffer.allocate(block.length);
        start = System.nanoTime();
        long total = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int n;
            while ((n = ch.read(dst.clear(), total)) > 0) {
                total += n;
            }
        }
        check(total, size);
        return new double[] {write, mibPerSecond(size, System.nanoTime() - start)};
    }

    static double[] shareVolume(Path dir, long size, byte[] block) throws IOException {
        Files.createDirectories(dir);
        CacheConfig cacheConfig = new CacheConfig(
                dir.resolve("cache"),
                2 * size + (64 << 20),
                CacheMode.EVICTING,
                CacheConfig.DEFAULT_CHUNK_SIZE,
                Duration.ofSeconds(30));
        try (MetadataStore meta = MetadataStore.open(dir.resolve("meta"));
                CacheDisk disk = CacheDisk.open("bench", cacheConfig);
                MemoryObjectStore bucket = new MemoryObjectStore();
                ShareVolume share = ShareVolume.open(
                        FileShareConfig.of("bench", 1, "bench", VolumeMode.CACHE), meta, disk, bucket)) {
            FileAttributes file = share.create(share.root(), "big.bin", CreateMode.GUARDED, SetAttributes.NONE);
            long start = System.nanoTime();
            for (long off = 0; off < size; off += block.length) {
                share.write(
                        file.id(),
                        off,
                        ByteBuffer.wrap(block, 0, (int) Math.min(block.length, size - off)),
                        Stability.UNSTABLE);
            }
            share.commit(file.id());
            double write = mibPerSecond(size, System.nanoTime() - start);
            ByteBuffer dst = ByteBuffer.allocate(block.length);
            start = System.nanoTime();
            long total = 0;
            while (true) {
                ReadResult r = share.read(file.id(), total, dst.clear());
                total += r.count();
                if (r.eof() || r.count() == 0) {
                    break;
                }
            }
            check(total, size);
            return new double[] {write, mibPerSecond(size, System.nanoTime() - start)};
        }
    }

    static double mibPerSecond(long bytes, long nanos) {
        return bytes / 1048576.0 / (nanos / 1e9);
    }

    static void check(long read, long expected) {
        if (read != expected) {
            throw new IllegalStateException("read " + read + " bytes, expected " + expected);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
