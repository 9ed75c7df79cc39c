package dev.sgw.core.meta;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store's durability promise under {@code kill -9}: a child JVM applies DURABLE multi-key updates
 * ({@link CrashWorkload}) and acknowledges each on stdout; the test kills it with SIGKILL at a random
 * moment, reopens the store and checks that it opens cleanly, holds every acknowledged update, holds
 * no half update, and that the id allocator never goes back. Many rounds, on one store, so later
 * rounds also recover stores written by recoveries.
 *
 * <p>The seed is printed; rerun a failure with {@code -Dsgw.crash.seed=<seed>}.
 */
class MetadataCrashTest {
    private static final int ROUNDS = 25;
    private static final long TIME_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(35);
    private static final long CHILD_START_TIMEOUT_SECONDS = 20;

    @TempDir
    Path work;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void acknowledgedUpdatesSurviveKillNineAndNoneIsHalfApplied() throws Exception {
        long seed = Long.getLong("sgw.crash.seed", System.nanoTime());
        System.out.println("MetadataCrashTest seed " + seed + " (rerun: -Dsgw.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path store = work.resolve("store");
        Path nativeDir = Files.createDirectories(work.resolve("native"));
        Path childErr = work.resolve("child-stderr.log");

        long start = System.nanoTime();
        long lastVerified = 0; // the last update found in the store after the previous round
        long highestIdSeen = 0; // by any acknowledgement or in the store, over all rounds
        int rounds = 0;
        int roundsWithAcks = 0;
        long acks = 0;
        while (rounds < ROUNDS && System.nanoTime() - start < TIME_BUDGET_NANOS) {
            rounds++;
            String where = "seed " + seed + ", round " + rounds;
            Process child = startChild(store, nativeDir, childErr);
            ChildOutput output = new ChildOutput(child);
            try {
                boolean early = random.nextInt(5) == 0; // may land in JVM start, open or recovery
                int delay = early ? random.nextInt(900) : random.nextInt(400);
                if (!early) {
                    boolean acked = output.awaitFirstAck(child, CHILD_START_TIMEOUT_SECONDS);
                    assertThat(acked)
                            .as(
                                    "%s: child acknowledged nothing in %d s or died; stderr:%n%s",
                                    where, CHILD_START_TIMEOUT_SECONDS, tail(childErr))
                            .isTrue();
                }
                Thread.sleep(delay);
                System.out.printf("round %d: kill %d ms after %s%n", rounds, delay, early ? "start" : "first ack");
                assertThat(child.isAlive())
                        .as(
                                "%s: child died by itself (exit %s); stderr:%n%s",
                                where, child.isAlive() ? "-" : child.exitValue(), tail(childErr))
                        .isTrue();
            } finally {
                // SIGKILL, through the handle: Process.destroyForcibly() would also close our end of
                // the child's stdout and lose acknowledgements still in the pipe
                child.toHandle().destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
                output.finish();
            }
            assertThat(output.problems).as("%s: child output", where).isEmpty();

            long acked = Math.max(lastVerified, output.lastAck);
            try (MetadataStore reopened = MetadataStore.open(store)) {
                CrashWorkload.Found found;
                try (MetaSnapshot snapshot = reopened.snapshot()) {
                    found = CrashWorkload.verify(snapshot);
                } catch (AssertionError e) {
                    throw new AssertionError(where + ": " + e.getMessage(), e);
                }
                assertThat(found.last())
                        .as("%s: acknowledged update %d is missing (store ends at %d)", where, acked, found.last())
                        .isGreaterThanOrEqualTo(acked);
                assertThat(found.last())
                        .as(
                                "%s: store holds update %d but only %d was acknowledged and "
                                        + "the child writes one update at a time",
                                where, found.last(), acked)
                        .isLessThanOrEqualTo(acked + 1);
                for (Map.Entry<Long, Long> e : found.idByUpdate().entrySet()) {
                    Long ackedId = output.idByUpdate.get(e.getKey());
                    assertThat(ackedId == null || ackedId.equals(e.getValue()))
                            .as(
                                    "%s: update %d acknowledged with id %d but stored with id %d",
                                    where, e.getKey(), ackedId, e.getValue())
                            .isTrue();
                }
                highestIdSeen = Math.max(highestIdSeen, Math.max(output.lastAckId, found.maxId()));
                long next = reopened.idAllocator(CrashWorkload.VOLUME, CrashWorkload.ID_COUNTER)
                        .next();
                assertThat(next)
                        .as(
                                "%s: allocator went back: next id %d, but %d was already handed out",
                                where, next, highestIdSeen)
                        .isGreaterThan(highestIdSeen);
                highestIdSeen = next;
                lastVerified = found.last();
                System.out.printf(
                        "round %d: %d acknowledged (last %d), store at update %d, next id %d%n",
                        rounds, output.ackCount, output.lastAck, found.last(), next);
            }
            if (output.lastAck > 0) {
                roundsWithAcks++;
                acks += output.ackCount;
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf(
                "MetadataCrashTest: %d rounds (%d killed while writing), %d acknowledged updates, "
                        + "store at update %d, %d ms%n",
                rounds, roundsWithAcks, acks, lastVerified, millis);
        assertThat(rounds).as("rounds within the time budget").isGreaterThanOrEqualTo(8);
        assertThat(roundsWithAcks).as("rounds killed while writing").isGreaterThanOrEqualTo(5);
    }

    private static Process startChild(Path store, Path nativeDir, Path stderr) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData",
                "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + nativeDir,
                "-cp",
                System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(),
                store.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        // RocksDB unpacks its native library on every start; into a fixed file of the test directory,
        // not a new temporary file that a killed JVM never deletes
        builder.environment().put("ROCKSDB_SHAREDLIB_DIR", nativeDir.toString());
        return builder.start();
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Reads the child's acknowledgements until its stdout closes. */
    private static final class ChildOutput {
        final CountDownLatch firstAck = new CountDownLatch(1);
        final Map<Long, Long> idByUpdate = new ConcurrentHashMap<>();
        final List<String> problems = new ArrayList<>();
        volatile long lastAck;
        volatile long lastAckId;
        volatile long ackCount;
        private final Thread reader;

        ChildOutput(Process child) {
            reader = Thread.ofPlatform().daemon().name("crash-child-stdout").start(() -> read(child));
        }

        private void read(Process child) {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                long expected = -1;
                while ((line = in.readLine()) != null) {
                    String[] f = line.split(" ");
                    if (f.length == 2 && f[0].equals("ready")) {
                        expected = Long.parseLong(f[1]) + 1;
                    } else if (f.length == 4 && f[0].equals("ack") && f[3].equals("end")) {
                        long n = Long.parseLong(f[1]);
                        long id = Long.parseLong(f[2]);
                        if (n != expected) {
                            problem("ack " + n + " where " + expected + " was next");
                        }
                        expected = n + 1;
                        idByUpdate.put(n, id);
                        lastAckId = id;
                        lastAck = n;
                        ackCount++;
                        firstAck.countDown();
                    } else {
                        problem("unexpected line: " + line);
                    }
                }
            } catch (IOException | RuntimeException e) {
                problem("reading child output: " + e);
            }
        }

        /** Waits for the first acknowledgement; false if none came in time or the child died. */
        boolean awaitFirstAck(Process child, long timeoutSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (System.nanoTime() < deadline && child.isAlive()) {
                if (firstAck.await(50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return firstAck.getCount() == 0;
        }

        private synchronized void problem(String what) {
            problems.add(what);
        }

        void finish() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
