package dev.sgw.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.store.ListPage;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.store.S3ProxyFixture;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.store.s3.S3ObjectStore;
import dev.sgw.core.store.s3.S3StoreConfig;
import dev.sgw.core.sync.MemoryNamespace;
import dev.sgw.core.sync.ReverseSync;
import dev.sgw.core.sync.ReverseSyncSettings;
import dev.sgw.core.sync.ScanProgress;

/**
 * How fast reverse sync imports a share: puts N objects (spread over about 100 directories) into a store,
 * then times the first scan into an in-memory namespace, and, for comparison, a bare flat listing and a
 * listing per directory of the same keys. Run by hand, not a test:
 *
 * <pre>
 * java ... dev.sgw.bench.ReverseSyncImportBench [memory|s3] [objects, default 100000] [runs, default 3]
 * </pre>
 *
 * The s3 case runs an in-process S3Proxy with its filesystem blob store in a temporary directory.
 */
public final class ReverseSyncImportBench {

    private static final int DIRECTORIES = 100;

    private ReverseSyncImportBench() {}

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "memory";
        int objects = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path work = Files.createTempDirectory("sgw-rsync-bench");
        S3ProxyFixture server = null;
        ObjectStore store;
        if (kind.equals("s3")) {
            server = S3ProxyFixture.start(work.resolve("s3"));
            server.createBucket("bench");
            store = new S3ObjectStore(S3StoreConfig.builder("bench", server.accessKey(), server.secretKey())
                    .endpoint(server.endpoint())
                    .pathStyleAccess(true)
                    .build());
        } else {
            store = new MemoryObjectStore();
        }
        try (MetadataStore metadata = MetadataStore.open(work.resolve("meta"))) {
            fill(store, objects);
            for (int run = 1; run <= runs; run++) {
                timeFlatListing(store, objects);
                timeDirectoryListing(store);
                timeImport(kind, store, metadata, run, objects);
            }
        } finally {
            store.close();
            if (server != null) {
                server.close();
            }
        }
    }

    private static void fill(ObjectStore store, int objects) throws Exception {
        long start = System.nanoTime();
        int threads = 8;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < objects; i += threads) {
                        String key = String.format("dir%03d/file-%07d.dat", i % DIRECTORIES, i);
                        store.put(key, ObjectBody.of(key.getBytes(StandardCharsets.UTF_8)), PutOptions.defaults());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        report("fill (8 threads of puts)", objects, System.nanoTime() - start);
    }

    private static void timeFlatListing(ObjectStore store, int expected) throws Exception {
        long start = System.nanoTime();
        long keys = 0;
        ListRequest request = ListRequest.flat("");
        while (true) {
            ListPage page = store.list(request);
            keys += page.objects().size();
            if (page.isLast()) {
                break;
            }
            request = request.next(page.nextToken());
        }
        check(keys, expected);
        report("flat listing, sequential pages", keys, System.nanoTime() - start);
    }

    private static void timeDirectoryListing(ObjectStore store) throws Exception {
        long start = System.nanoTime();
        long keys = 0;
        List<String> directories = new ArrayList<>();
        ListPage root = store.list(ListRequest.directory(""));
        directories.addAll(root.commonPrefixes());
        for (String directory : directories) {
            ListRequest request = ListRequest.directory(directory);
            while (true) {
                ListPage page = store.list(request);
                keys += page.objects().size();
                if (page.isLast()) {
                    break;
                }
                request = request.next(page.nextToken());
            }
        }
        report("listing per directory (delimiter /), sequential", keys, System.nanoTime() - start);
    }

    private static void timeImport(String kind, ObjectStore store, MetadataStore metadata, int run, int objects)
            throws Exception {
        MemoryNamespace namespace = new MemoryNamespace();
        try (ReverseSync sync = new ReverseSync(
                kind + "-" + run, store, namespace, metadata, run, ReverseSyncSettings.defaults(), null)) {
            long start = System.nanoTime();
            ScanProgress done = sync.scan();
            long nanos = System.nanoTime() - start;
            check(done.added(), objects + DIRECTORIES);
            report("import run " + run + " (" + done.added() + " files and directories added)", done.scanned(), nanos);
        }
    }

    private static void check(long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException("expected " + expected + ", got " + actual);
        }
    }

    private static void report(String what, long objects, long nanos) {
        System.out.printf(
                "%-60s %,9d objects %9.3f s %,12.0f objects/s%n", what, objects, nanos / 1e9, objects / (nanos / 1e9));
    }
}
