package dev.sgw.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.sgw.EmbeddedBucket;
import dev.sgw.core.store.BandwidthLimit;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectContent;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreStack;
import dev.sgw.core.store.PrefixedObjectStore;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.store.RetryPolicy;
import dev.sgw.core.store.s3.S3ObjectStore;
import dev.sgw.core.store.s3.S3StoreConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Put and get throughput of the {@code s3} backend with its full decorator stack (prefix, retry, metrics,
 * throttle at "unlimited"), of the same backend alone, and of the bare AWS SDK v2 client doing the same
 * requests, all against the same in-process S3Proxy (the embedded bucket) in the same run, for 1 MiB and
 * 64 MiB objects. stack/backend is what the decorators cost; backend/sdk is what the backend's own work
 * costs (above all the CRC64-ECMA computed over every byte put and checked over every byte of a whole get).
 *
 * <p>Run with {@code bench/run-jmh ObjectStoreThroughput}; it prints MiB/s per case and the ratio
 * sgw / bare SDK, and writes JMH's JSON to {@code bench/results/}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC"})
public class ObjectStoreThroughput {

    static final String BUCKET = "bench";

    @Param({"1048576", "67108864"})
    public int size;

    /** {@code stack}: the s3 backend under its decorators; {@code backend}: the s3 backend alone; {@code sdk}: bare AWS SDK. */
    @Param({"stack", "backend", "sdk"})
    public String client;

    private Path directory;
    private EmbeddedBucket bucket;
    private ObjectStore store;
    private S3Client sdk;
    private byte[] data;
    private final byte[] readBuffer = new byte[256 * 1024];

    @Setup(Level.Trial)
    public void start() throws Exception {
        directory = Files.createTempDirectory("sgw-bench");
        bucket = EmbeddedBucket.start(directory, "127.0.0.1", 0, BUCKET);
        data = new byte[size];
        new Random(42).nextBytes(data);
        if (!client.equals("sdk")) {
            ObjectStore backend =
                    new S3ObjectStore(S3StoreConfig.builder(BUCKET, bucket.accessKey(), bucket.secretKey())
                            .endpoint(bucket.endpoint())
                            .pathStyleAccess(true)
                            .build());
            store = client.equals("backend")
                    ? new PrefixedObjectStore(backend, "bench/") // the same keys as the others, nothing else
                    : ObjectStoreStack.build(
                                    backend,
                                    new ObjectStoreStack.Config(
                                            "bench/",
                                            RetryPolicy.defaults(),
                                            new SimpleMeterRegistry(),
                                            "bench",
                                            BandwidthLimit.unlimited()))
                            .store();
            store.put("read/" + size, ObjectBody.of(data), PutOptions.defaults());
        } else {
            sdk = S3Client.builder()
                    .endpointOverride(bucket.endpoint())
                    .region(Region.US_EAST_1)
                    .forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(bucket.accessKey(), bucket.secretKey())))
                    .build();
            sdk.putObject(b -> b.bucket(BUCKET).key("bench/read/" + size), RequestBody.fromBytes(data));
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (sdk != null) {
            sdk.close();
        }
        bucket.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Object put() throws IOException {
        if (store != null) {
            return store.put("write/" + size, ObjectBody.of(data), PutOptions.defaults());
        }
        return sdk.putObject(b -> b.bucket(BUCKET).key("bench/write/" + size), RequestBody.fromBytes(data));
    }

    @Benchmark
    public long get(Blackhole hole) throws IOException {
        if (store != null) {
            try (ObjectContent content = store.get("read/" + size, null)) {
                return drain(content.stream(), hole);
            }
        }
        try (InputStream in =
                sdk.getObject(b -> b.bucket(BUCKET).key("bench/read/" + size), ResponseTransformer.toInputStream())) {
            return drain(in, hole);
        }
    }

    private long drain(InputStream in, Blackhole hole) throws IOException {
        long total = 0;
        int n;
        while ((n = in.read(readBuffer)) > 0) {
            total += n;
            hole.consume(readBuffer[0]);
        }
        if (total != size) {
            throw new IOException("read " + total + " of " + size + " bytes");
        }
        return total;
    }

    /** Runs the benchmark and prints MiB/s per case and the sgw / SDK ratio. */
    public static void main(String[] args) throws Exception {
        var options = new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(ObjectStoreThroughput.class.getSimpleName())
                .resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON)
                .result("bench/results/ObjectStoreThroughput.json")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        List<String[]> rows = new ArrayList<>();
        for (RunResult result : results) {
            var params = result.getParams();
            double opsPerSecond = result.getPrimaryResult().getScore();
            double mibPerSecond = opsPerSecond * Integer.parseInt(params.getParam("size")) / (1024.0 * 1024.0);
            String op = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            rows.add(new String[] {
                op, params.getParam("size"), params.getParam("client"), String.format("%.1f", mibPerSecond)
            });
        }
        System.out.println();
        System.out.println("MiB/s        size     stack   backend       sdk   stack/sdk   stack/backend   backend/sdk");
        for (String op : List.of("put", "get")) {
            for (String size : List.of("1048576", "67108864")) {
                double stack = find(rows, op, size, "stack");
                double backend = find(rows, op, size, "backend");
                double sdk = find(rows, op, size, "sdk");
                System.out.printf(
                        "%-10s %6s %9.1f %9.1f %9.1f %11.2f %15.2f %13.2f%n",
                        op,
                        size.equals("1048576") ? "1 MiB" : "64 MiB",
                        stack,
                        backend,
                        sdk,
                        stack / sdk,
                        stack / backend,
                        backend / sdk);
            }
        }
    }

    private static double find(List<String[]> rows, String op, String size, String client) {
        return rows.stream()
                .filter(r -> r[0].equals(op) && r[1].equals(size) && r[2].equals(client))
                .mapToDouble(r -> Double.parseDouble(r[3]))
                .findFirst()
                .orElse(Double.NaN);
    }
}
