package dev.sgw.core.file.writeback;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.store.Crc64;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Promises 1 and 2 with the uploader running: a child JVM writes files FILE_SYNC through a share and its
 * {@link ShareUploader} on an S3 server run here ({@link UploaderCrashMain}), and is SIGKILLed at random
 * moments, several times. After each kill every acknowledged write reads back from the share; after a last
 * start and {@code awaitUploaded} every file's last acknowledged content is its object in the bucket. The
 * file the killed step was writing may hold either content (that write was never acknowledged): it is only
 * checked to be in the bucket as it is in the share. The seed is printed ({@code -Dsgw.crash.seed=<seed>}).
 */
class UploaderCrashTest {
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(25);

    @TempDir
    Path work;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void acknowledgedWritesSurviveKillNineAndReachTheBucket() throws Exception {
        long seed = Long.getLong("sgw.crash.seed", System.nanoTime());
        System.out.println("UploaderCrashTest seed " + seed);
        Random random = new Random(seed);
        Path shareDir = work.resolve("share");
        Path nativeDir = Files.createDirectories(work.resolve("native"));
        try (BucketServer server = new BucketServer(work.resolve("s3"));
                ObjectStore bucket = server.store(UploaderCrashMain.PREFIX)) {
            long acked = -1;
            int rounds = 0;
            int roundsWithAcks = 0;
            long start = System.nanoTime();
            while (rounds < 8 && System.nanoTime() - start < BUDGET_NANOS) {
                rounds++;
                Path out = work.resolve("out-" + rounds + ".txt");
                Path err = work.resolve("err-" + rounds + ".txt");
                Process child = startChild(shareDir, server.port(), acked + 1, nativeDir, out, err);
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (lastAck(out) < acked + 1 && child.isAlive() && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(child.isAlive())
                            .as("round %d: child died: %s", rounds, Files.exists(err) ? Files.readString(err) : "")
                            .isTrue();
                    Thread.sleep(200 + random.nextInt(800));
                } finally {
                    child.toHandle().destroyForcibly();
                    child.waitFor(10, TimeUnit.SECONDS);
                }
                long last = lastAck(out);
                if (last > acked) {
                    roundsWithAcks++;
                    acked = last;
                }
                UploaderFixture share = new UploaderFixture(shareDir, bucket, VolumeMode.SYNC, Duration.ZERO);
                share.openShare();
                try {
                    for (long k : lastSteps(acked)) {
                        assertThat(Crc64.of(share.read(UploaderCrashMain.path(k))))
                                .as("seed %d, round %d: %s after step %d", seed, rounds, UploaderCrashMain.path(k), k)
                                .isEqualTo(Crc64.of(UploaderCrashMain.content(k)));
                    }
                } finally {
                    share.close();
                }
                System.out.printf("round %d: steps acknowledged up to %d%n", rounds, acked);
            }
            assertThat(roundsWithAcks).as("rounds killed while writing").isGreaterThanOrEqualTo(3);

            UploaderFixture share = new UploaderFixture(shareDir, bucket, VolumeMode.SYNC, Duration.ZERO).open();
            try {
                assertThat(share.awaitUploaded()).isTrue();
                for (long k : lastSteps(acked)) {
                    assertThat(Crc64.of(share.object(UploaderCrashMain.path(k))))
                            .as("seed %d: object %s of step %d", seed, UploaderCrashMain.path(k), k)
                            .isEqualTo(Crc64.of(UploaderCrashMain.content(k)));
                }
                String inFlight = UploaderCrashMain.path(acked + 1);
                assertThat(Crc64.of(share.object(inFlight)))
                        .as("the file being written at the last kill")
                        .isEqualTo(Crc64.of(share.read(inFlight)));
                assertThat(share.uploader.backlog().conflicts())
                        .as("no conflict with its own lost uploads")
                        .isZero();
            } finally {
                share.close();
            }
            System.out.printf(
                    "UploaderCrashTest: %d rounds, %d with acknowledgements, %d steps, %d ms%n",
                    rounds, roundsWithAcks, acked + 1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    /** For each file, the last acknowledged step that wrote it, except the file of the step in flight. */
    private static List<Long> lastSteps(long acked) {
        List<Long> steps = new ArrayList<>();
        for (long k = Math.max(0, acked - UploaderCrashMain.FILES + 1); k <= acked; k++) {
            if (k % UploaderCrashMain.FILES != (acked + 1) % UploaderCrashMain.FILES) {
                steps.add(k);
            }
        }
        return steps;
    }

    private static long lastAck(Path out) throws IOException {
        if (!Files.exists(out)) {
            return -1;
        }
        long last = -1;
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length == 3 && f[0].equals("ack") && f[2].equals("end")) {
                last = Long.parseLong(f[1]);
            }
        }
        return last;
    }

    private static Process startChild(Path share, int port, long start, Path nativeDir, Path out, Path err)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData",
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-Djava.io.tmpdir=" + nativeDir,
                "-cp",
                System.getProperty("java.class.path"),
                UploaderCrashMain.class.getName(),
                share.toString(),
                Integer.toString(port),
                Long.toString(start)));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("ROCKSDB_SHAREDLIB_DIR", nativeDir.toString());
        return builder.start();
    }
}
