package dev.sgw.core.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Promise 1 for file shares: a child JVM creates files and writes them FILE_SYNC
 * ({@link CrashShareMain#step}), acknowledging each step on stdout (a file); the test SIGKILLs it at a
 * random moment, reopens the share and checks that every acknowledged create and write is there, byte for
 * byte, over several rounds on the same share. The seed is printed ({@code -Dsgw.crash.seed=<seed>}).
 */
class ShareCrashTest {
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path work;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void acknowledgedDurableWritesAndCreatesSurviveKillNine() throws Exception {
        long seed = Long.getLong("sgw.crash.seed", System.nanoTime());
        System.out.println("ShareCrashTest seed " + seed);
        Random random = new Random(seed);
        Path share = work.resolve("share");
        Path nativeDir = Files.createDirectories(work.resolve("native"));
        long acked = -1; // highest acknowledged step so far
        int rounds = 0;
        int roundsWithAcks = 0;
        long start = System.nanoTime();
        while (rounds < 12 && System.nanoTime() - start < BUDGET_NANOS) {
            rounds++;
            Path out = work.resolve("out-" + rounds + ".txt");
            Path err = work.resolve("err-" + rounds + ".txt");
            Process child = startChild(share, acked + 1, nativeDir, out, err);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (lastAck(out) < 0 && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(child.isAlive())
                        .as("round %d: child died: %s", rounds, Files.exists(err) ? Files.readString(err) : "")
                        .isTrue();
                Thread.sleep(random.nextInt(600));
            } finally {
                child.toHandle().destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            long last = lastAck(out);
            if (last > acked) {
                roundsWithAcks++;
                acked = last;
            }
            try (ShareFixture reopened = CrashShareMain.openShare(share)) {
                verify(reopened.volume, acked, "seed " + seed + ", round " + rounds);
            }
            System.out.printf("round %d: steps acknowledged up to %d%n", rounds, acked);
        }
        System.out.printf(
                "ShareCrashTest: %d rounds, %d with acknowledgements, %d steps, %d ms%n",
                rounds, roundsWithAcks, acked + 1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertThat(roundsWithAcks).as("rounds killed while writing").isGreaterThanOrEqualTo(3);
    }

    private static void verify(ShareVolume v, long acked, String where) throws IOException {
        NodeId log = acked >= 0 ? v.lookup(v.root(), "log").id() : null;
        for (long k = 0; k <= acked; k++) {
            NodeId dir = v.lookup(v.root(), CrashShareMain.dirName(k)).id();
            FileAttributes f = v.lookup(dir, CrashShareMain.fileName(k));
            byte[] expected = CrashShareMain.content(k);
            long offset = Math.max(0, CrashShareMain.offset(k));
            assertThat(f.size()).as("%s: size of step %d's file", where, k).isEqualTo(offset + expected.length);
            ByteBuffer dst = ByteBuffer.allocate(expected.length);
            v.read(f.id(), offset, dst);
            assertThat(dst.array()).as("%s: content of step %d", where, k).isEqualTo(expected);
            ByteBuffer entry = ByteBuffer.allocate(8);
            v.read(log, 8 * k, entry);
            assertThat(entry.getLong(0)).as("%s: log entry %d", where, k).isEqualTo(k);
        }
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

    private static Process startChild(Path share, long start, Path nativeDir, Path out, Path err) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData",
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-Djava.io.tmpdir=" + nativeDir,
                "-cp",
                System.getProperty("java.class.path"),
                CrashShareMain.class.getName(),
                share.toString(),
                Long.toString(start)));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("ROCKSDB_SHAREDLIB_DIR", nativeDir.toString());
        return builder.start();
    }
}
