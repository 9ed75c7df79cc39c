package dev.sgw.core.block;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.S3ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Promise 1 for block volumes under {@code kill -9}: a child JVM ({@link BlockCrashWriterMain}) makes FUA
 * writes through a cache-mode volume on a cache directory and a bucket served by S3Proxy in this JVM, and
 * acknowledges each on stdout (a file); the test kills it with SIGKILL at a random moment, recovers the
 * volume from the same cache directory and checks that every acknowledged write reads back byte for byte
 * (the one write in flight may be there, per block, or not), then waits for the upload and checks that
 * the bucket alone (a fresh cache directory) gives the same bytes. Several rounds on one volume: at least
 * three, more while the rounds fit in 30 s (each costs a JVM start, so a loaded machine gets fewer).
 *
 * <p>The seed is printed; rerun a failure with {@code -Dsgw.crash.seed=<seed>}.
 */
class BlockVolumeCrashTest {
    private static final int MIN_ROUNDS = 3;
    private static final int MAX_ROUNDS = 8;
    private static final long TIME_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int BLOCK = BlockCrashWriterMain.BLOCK;

    @TempDir
    Path work;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void acknowledgedFuaWritesSurviveKillNineAndReachTheBucket() throws Exception {
        long seed = Long.getLong("sgw.crash.seed", System.nanoTime());
        System.out.println("BlockVolumeCrashTest seed " + seed + " (rerun: -Dsgw.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path cacheDir = work.resolve("cache");
        try (S3ProxyFixture server = S3ProxyFixture.start(work.resolve("bucket"))) {
            server.createBucket("crash");
            String[] storeArgs = {server.endpoint().toString(), server.accessKey(), server.secretKey(), "crash"};
            try (ObjectStore store =
                    BlockCrashWriterMain.store(storeArgs[0], storeArgs[1], storeArgs[2], storeArgs[3])) {
                try (CacheDisk disk = CacheDisk.open("crashdisk", BlockCrashWriterMain.cacheConfig(cacheDir))) {
                    ChunkedBlockVolume.create(BlockCrashWriterMain.config(), store, disk, Clock.systemUTC())
                            .close();
                }
                byte[] volume = new byte[(int) BlockCrashWriterMain.CAPACITY];
                long start = System.nanoTime();
                int rounds = 0;
                int roundsWithAcks = 0;
                long acks = 0;
                while (rounds < MIN_ROUNDS || (rounds < MAX_ROUNDS && System.nanoTime() - start < TIME_BUDGET_NANOS)) {
                    rounds++;
                    long roundSeed = random.nextLong();
                    String where = "seed " + seed + ", round " + rounds;
                    Path out = work.resolve("child-" + rounds + ".out");
                    Path err = work.resolve("child-" + rounds + ".err");
                    long roundStart = System.nanoTime();
                    Process child = startChild(storeArgs, cacheDir, roundSeed, out, err);
                    try {
                        boolean early = rounds > 2 && random.nextInt(5) == 0; // may land in JVM start or recovery
                        if (!early) {
                            assertThat(awaitFirstAck(child, out))
                                    .as("%s: child acknowledged nothing or died; stderr:%n%s", where, tail(err))
                                    .isTrue();
                        }
                        System.out.printf(
                                "round %d: first ack after %d ms%n",
                                rounds, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStart));
                        int delay = random.nextInt(early ? 1500 : 400);
                        Thread.sleep(delay);
                        assertThat(child.isAlive())
                                .as("%s: child died by itself; stderr:%n%s", where, tail(err))
                                .isTrue();
                    } finally {
                        child.toHandle().destroyForcibly();
                        child.waitFor(10, TimeUnit.SECONDS);
                    }
                    long acked = lastAck(out, where);
                    acks += acked;
                    roundsWithAcks += acked > 0 ? 1 : 0;

                    // what the acknowledged writes make, and what the one in flight may add
                    Random writes = new Random(roundSeed);
                    byte[] expected = volume.clone();
                    for (long n = 1; n <= acked; n++) {
                        apply(expected, BlockCrashWriterMain.next(writes));
                    }
                    byte[] withNext = expected.clone();
                    apply(withNext, BlockCrashWriterMain.next(writes));

                    byte[] found;
                    try (CacheDisk disk = CacheDisk.open("crashdisk", BlockCrashWriterMain.cacheConfig(cacheDir));
                            ChunkedBlockVolume v =
                                    ChunkedBlockVolume.recover(BlockCrashWriterMain.config(), store, disk)) {
                        found = BlockVolumeContract.readAll(v);
                        checkBlocks(found, expected, withNext, where + " (" + acked + " acknowledged)");
                        System.out.printf(
                                "round %d: recovered and checked at %d ms, backlog %s%n",
                                rounds,
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStart),
                                v.bucketSync().backlog());
                        assertThat(v.bucketSync().awaitUploaded(Duration.ofSeconds(30)))
                                .as("%s: uploaded", where)
                                .isTrue();
                    }
                    Path fresh = work.resolve("fresh-" + rounds);
                    try (CacheDisk disk = CacheDisk.open("fresh", BlockCrashWriterMain.cacheConfig(fresh));
                            ChunkedBlockVolume v =
                                    ChunkedBlockVolume.recover(BlockCrashWriterMain.config(), store, disk)) {
                        BlockVolumeContract.assertSameBytes(
                                BlockVolumeContract.readAll(v), found, where + ": the bucket alone after the upload");
                    }
                    volume = found;
                    System.out.printf(
                            "round %d: %d FUA writes acknowledged, all read back and in the bucket (%d ms)%n",
                            rounds, acked, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStart));
                }
                System.out.printf(
                        "BlockVolumeCrashTest: %d rounds (%d killed while writing), %d acknowledged writes, %d ms%n",
                        rounds, roundsWithAcks, acks, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                assertThat(roundsWithAcks).as("rounds killed while writing").isGreaterThanOrEqualTo(2);
            }
        }
    }

    private static void apply(byte[] volume, BlockCrashWriterMain.Write w) {
        System.arraycopy(w.data(), 0, volume, (int) w.offset(), w.data().length);
    }

    /** Each block holds what the acknowledged writes made or, for the write in flight, what it would make. */
    private static void checkBlocks(byte[] found, byte[] acked, byte[] withNext, String where) {
        for (int b = 0; b < found.length / BLOCK; b++) {
            int from = b * BLOCK;
            int to = from + BLOCK;
            if (!Arrays.equals(found, from, to, acked, from, to)
                    && !Arrays.equals(found, from, to, withNext, from, to)) {
                int first = from
                        + Arrays.mismatch(Arrays.copyOfRange(found, from, to), Arrays.copyOfRange(acked, from, to));
                throw new AssertionError(where + ": block " + b + " (chunk " + from / BlockCrashWriterMain.CHUNK
                        + ") holds neither the acknowledged bytes nor those of the write in flight; first difference"
                        + " at byte " + first + ": " + found[first] + " instead of " + acked[first]);
            }
        }
    }

    private static Process startChild(String[] storeArgs, Path cacheDir, long seed, Path out, Path err)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                BlockCrashWriterMain.class.getName()));
        command.addAll(List.of(storeArgs));
        command.add(cacheDir.toString());
        command.add(Long.toString(seed));
        return new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
    }

    private static boolean awaitFirstAck(Process child, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && child.isAlive()) {
            if (Files.exists(out)
                    && Files.readString(out, StandardCharsets.UTF_8).contains("ack 1\n")) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** The last acknowledged write, checking that the acknowledgements run 1, 2, 3, ... */
    private static long lastAck(Path out, String where) throws IOException {
        long last = 0;
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue; // a line cut by the kill cannot be empty, but a trailing newline is
            }
            if (!line.startsWith("ack ")) {
                throw new AssertionError(where + ": unexpected child output: " + line);
            }
            long n;
            try {
                n = Long.parseLong(line.substring(4));
            } catch (NumberFormatException cut) {
                break; // the last line, cut by the kill: not an acknowledgement
            }
            assertThat(n).as("%s: acknowledgements in order", where).isEqualTo(last + 1);
            last = n;
        }
        return last;
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
