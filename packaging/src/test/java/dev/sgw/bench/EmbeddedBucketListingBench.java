package dev.sgw.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import dev.sgw.EmbeddedBucket;
import dev.sgw.IndexedBlobStore;
import dev.sgw.cache.CacheConfig;
import dev.sgw.cache.CacheMode;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.file.FileShareConfig;
import dev.sgw.core.file.ShareVolume;
import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.store.ListPage;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.PrefixedObjectStore;
import dev.sgw.core.store.s3.S3ObjectStore;
import dev.sgw.core.store.s3.S3StoreConfig;
import dev.sgw.core.sync.MemoryNamespace;
import dev.sgw.core.sync.ReverseSync;
import dev.sgw.core.sync.ReverseSyncSettings;
import dev.sgw.core.sync.ScanProgress;
import dev.sgw.core.volume.VolumeMode;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * How fast the gateway lists and imports a share on the embedded bucket, as it runs: the {@code s3}
 * backend over loopback HTTP to the embedded bucket (S3Proxy, filesystem store, listings from
 * {@code IndexedBlobStore}). Not a test; a plain main:
 *
 * <pre>
 * bench/run-jmh EmbeddedBucketListingBench [objects, default 100000] [runs, default 3]
 * </pre>
 *
 * <ol>
 *   <li>starts an embedded bucket in a temporary directory (credentials, bucket), stops it, and fills its
 *       data directory through its blob store directly, in process ({@value #FILL_THREADS} threads):
 *       {@code objects} keys {@code dir000..dir099/file-NNNNNNN.dat} (the key as content) under the share
 *       prefix {@value #PREFIX}, and a few outside it;</li>
 *   <li>restarts the bucket, so that the index is loaded from the data directory (the time to start,
 *       walk included, is printed; the bucket logs the walk's own time);</li>
 *   <li>each run: a flat listing of the prefix through the backend (keys/s), then a first reverse-sync
 *       scan of the prefix into a fresh share (a {@link ShareVolume} on a new RocksDB metadata store and
 *       cache disk, as the gateway opens one; objects/s), and for comparison into an in-memory namespace
 *       (what listing and merging cost without the share's metadata writes).</li>
 * </ol>
 */
public final class EmbeddedBucketListingBench {

    private static final String BUCKET = "bench";
    private static final String PREFIX = "share/";
    private static final int DIRECTORIES = 100;
    private static final int OUTSIDE = 100;
    private static final int FILL_THREADS = 4;

    private EmbeddedBucketListingBench() {}

    public static void main(String[] args) throws Exception {
        int objects = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Files.createTempDirectory("sgw-embedded-listing-bench");
        System.out.printf(
                "embedded bucket listing bench: %,d objects under '%s' (+%d outside), %d runs, in %s%n",
                objects, PREFIX, OUTSIDE, runs, work);
        try {
            try (EmbeddedBucket bucket = EmbeddedBucket.start(work.resolve("bucket"), "127.0.0.1", 0, BUCKET)) {
                System.out.printf(
                        "embedded bucket started at %s, bucket '%s' created; stopped for the fill%n",
                        bucket.endpoint(), BUCKET);
            }
            fill(work.resolve("bucket").resolve("data"), objects);
            long restartStart = System.nanoTime();
            try (EmbeddedBucket bucket = EmbeddedBucket.start(work.resolve("bucket"), "127.0.0.1", 0, BUCKET);
                    ObjectStore backend = backend(bucket)) {
                report(
                        "restart (index loaded from the data directory)",
                        objects + OUTSIDE,
                        System.nanoTime() - restartStart);
                ObjectStore share = new PrefixedObjectStore(backend, PREFIX);
                List<Double> imports = new ArrayList<>();
                for (int run = 1; run <= runs; run++) {
                    timeListing(share, objects, run);
                    imports.add(timeShareImport(share, work.resolve("share-" + run), run, objects));
                    timeMemoryImport(share, work.resolve("memory-" + run), run, objects);
                }
                System.out.printf(
                        "share import, objects/s per run: %s (min %,.0f)%n",
                        imports.stream().map(r -> String.format("%,.0f", r)).toList(),
                        imports.stream().mapToDouble(Double::doubleValue).min().orElse(0));
            }
        } finally {
            delete(work);
        }
    }

    private static ObjectStore backend(EmbeddedBucket bucket) {
        return new S3ObjectStore(S3StoreConfig.builder(BUCKET, bucket.accessKey(), bucket.secretKey())
                .endpoint(bucket.endpoint())
                .pathStyleAccess(true)
                .build());
    }

    /**
     * Puts the objects through the embedded bucket's blob store itself, in process, while the bucket is
     * stopped: the same files a PUT writes, without the HTTP round trips that make a fill of 100,000 take
     * many minutes on a small machine.
     */
    private static void fill(Path data, int objects) throws Exception {
        long start = System.nanoTime();
        try (IndexedBlobStore store = IndexedBlobStore.open(data);
                ExecutorService pool = Executors.newFixedThreadPool(FILL_THREADS)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < FILL_THREADS; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < objects; i += FILL_THREADS) {
                        put(store, PREFIX + String.format("dir%03d/file-%07d.dat", i % DIRECTORIES, i));
                    }
                    for (int i = first; i < OUTSIDE; i += FILL_THREADS) {
                        put(store, String.format("elsewhere/file-%03d", i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        report(
                "fill (" + FILL_THREADS + " threads putting through the blob store)",
                objects + OUTSIDE,
                System.nanoTime() - start);
    }

    private static void put(BlobStore store, String key) {
        byte[] content = key.getBytes(StandardCharsets.UTF_8);
        store.putBlob(
                PutObjectRequest.builder()
                        .bucket(BUCKET)
                        .key(key)
                        .contentLength((long) content.length)
                        .build(),
                new ByteArrayInputStream(content));
    }

    private static void timeListing(ObjectStore share, int expected, int run) throws Exception {
        long start = System.nanoTime();
        long keys = 0;
        ListRequest request = ListRequest.flat("");
        while (true) {
            ListPage page = share.list(request);
            keys += page.objects().size();
            if (page.isLast()) {
                break;
            }
            request = request.next(page.nextToken());
        }
        check("listed keys", keys, expected);
        report("run " + run + ": flat listing of the prefix, sequential pages", keys, System.nanoTime() - start);
    }

    /** A first scan into a fresh share: its own metadata store and cache disk, as a new gateway has. */
    private static double timeShareImport(ObjectStore share, Path directory, int run, int objects) throws Exception {
        FileShareConfig config = FileShareConfig.of("bench-" + run, 7, "s7", VolumeMode.CACHE);
        try (MetadataStore metadata = MetadataStore.open(directory.resolve("meta"));
                CacheDisk disk = CacheDisk.open(
                        "bench",
                        new CacheConfig(
                                directory.resolve("cache"),
                                256L << 20,
                                CacheMode.EVICTING,
                                CacheConfig.DEFAULT_CHUNK_SIZE,
                                Duration.ofSeconds(30)));
                ShareVolume target = ShareVolume.open(config, metadata, disk, share);
                ReverseSync sync = new ReverseSync(
                        config.name(),
                        share,
                        target.remoteChanges(),
                        metadata,
                        config.volumeId(),
                        ReverseSyncSettings.defaults(),
                        null)) {
            long start = System.nanoTime();
            ScanProgress done = sync.scan();
            long nanos = System.nanoTime() - start;
            check("files and directories added to the share", done.added(), objects + DIRECTORIES);
            return report(
                    "run " + run + ": reverse sync into a fresh share (" + done.added() + " added)",
                    done.scanned(),
                    nanos);
        }
    }

    private static void timeMemoryImport(ObjectStore share, Path directory, int run, int objects) throws Exception {
        MemoryNamespace namespace = new MemoryNamespace();
        try (MetadataStore metadata = MetadataStore.open(directory.resolve("meta")); // the scan's checkpoint only
                ReverseSync sync = new ReverseSync(
                        "memory-" + run, share, namespace, metadata, 7, ReverseSyncSettings.defaults(), null)) {
            long start = System.nanoTime();
            ScanProgress done = sync.scan();
            long nanos = System.nanoTime() - start;
            check("entries added to the in-memory namespace", done.added(), objects + DIRECTORIES);
            report("run " + run + ": reverse sync into an in-memory namespace", done.scanned(), nanos);
        }
    }

    private static void check(String what, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }

    private static double report(String what, long objects, long nanos) {
        double rate = objects / (nanos / 1e9);
        System.out.printf("%-66s %,9d objects %8.2f s %,10.0f /s%n", what, objects, nanos / 1e9, rate);
        return rate;
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
