package dev.sgw.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.sgw.cache.CrashWriterMain.CHUNK;
import static dev.sgw.cache.CrashWriterMain.CHUNKS;
import static dev.sgw.cache.CrashWriterMain.FILLS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a child process that writes, truncates, removes, uploads and fills chunks ({@link CrashWriterMain})
 * with SIGKILL at random moments, reopens the cache each time and checks that it opens cleanly, that every
 * acknowledged (fsynced) change is there with its state and bytes, and that the one operation in flight
 * at the kill left either the old or the new bytes, never anything else.
 */
class ChunkCacheCrashTest {

    static final int ROUNDS = 10;

    @TempDir
    Path dir;

    Path cacheDir;

    /** What the parent knows of one chunk. */
    static final class Model {
        byte[] bytes = new byte[CHUNK];
        int length;
        ChunkState state = ChunkState.ABSENT;

        Model copy() {
            Model m = new Model();
            m.bytes = bytes.clone();
            m.length = length;
            m.state = state;
            return m;
        }
    }

    /** An operation announced by the child, with the model it leads to once acknowledged. */
    record Pending(String kind, int chunk, Model after) {}

    final Model[] models = new Model[CHUNKS];
    long acknowledged;
    List<String> lastLines = List.of();
    final List<String> allLines = new ArrayList<>();
    int roundsWithAnOperationInFlight;

    @Test
    void acknowledgedChangesSurviveKillNine() throws Exception {
        for (int c = 0; c < CHUNKS; c++) {
            models[c] = new Model();
        }
        cacheDir = dir.resolve("cache");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            List<String> lines = runAndKill(seed + round, 50 + random.nextInt(400));
            lastLines = lines;
            allLines.add("---- round " + round);
            allLines.addAll(lines);
            Pending pending = replay(lines);
            if (pending != null) {
                roundsWithAnOperationInFlight++;
            }
            try {
                verifyReopened(pending, "seed " + seed + " round " + round);
            } catch (AssertionError e) {
                Path log = Path.of("target", "crash-test-failure.log");
                Files.write(log, allLines);
                throw new AssertionError(
                        e.getMessage() + "\n(the child's output is in " + log.toAbsolutePath() + ")", e);
            }
        }
        System.out.printf(
                "seed %d: %d acknowledged operations over %d rounds, %d killed mid-operation%n",
                seed, acknowledged, ROUNDS, roundsWithAnOperationInFlight);
        assertThat(acknowledged).as("the child did real work").isGreaterThan(ROUNDS * 5L);
        assertThat(roundsWithAnOperationInFlight)
                .as("kills landed inside operations")
                .isPositive();
    }

    /**
     * Runs a child until it is ready, lets it work {@code killAfterMillis}, kills it with SIGKILL and returns
     * what it printed. Its stdout goes to a file: reading a killed process's pipe can lose the last lines.
     */
    List<String> runAndKill(long seed, int killAfterMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path out = dir.resolve("child-" + seed + ".out");
        Process child = new ProcessBuilder(
                        java,
                        "-Xmx64m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        classpath,
                        CrashWriterMain.class.getName(),
                        cacheDir.toString(),
                        Long.toString(seed))
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(out).contains("@ READY END")) {
                assertThat(child.isAlive()).as("child alive before READY").isTrue();
                assertThat(System.nanoTime()).as("child ready within 30 s").isLessThan(giveUp);
                Thread.sleep(10);
            }
            Thread.sleep(killAfterMillis);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        return Files.readAllLines(out);
    }

    /** Applies the acknowledged operations to the model; returns the one in flight at the kill, if any. */
    Pending replay(List<String> lines) {
        Pending pending = null;
        for (String line : lines) {
            if (!line.startsWith("@ ") || !line.endsWith(" END")) {
                continue;
            }
            String[] f = line.substring(2, line.length() - 4).split(" ");
            switch (f[0]) {
                case "READY", "FD" -> pending = null;
                case "F" -> pending = new Pending("F", -1, null);
                case "W" -> {
                    int c = Integer.parseInt(f[1]);
                    int offset = Integer.parseInt(f[2]);
                    int length = Integer.parseInt(f[3]);
                    Model after = models[c].copy();
                    System.arraycopy(
                            CrashWriterMain.data(Long.parseLong(f[4]), length), 0, after.bytes, offset, length);
                    after.length = Math.max(after.length, offset + length);
                    after.state = ChunkState.DIRTY;
                    pending = new Pending("W", c, after);
                }
                case "T" -> {
                    int c = Integer.parseInt(f[1]);
                    Model after = models[c].copy();
                    after.length = Integer.parseInt(f[2]);
                    Arrays.fill(after.bytes, after.length, CHUNK, (byte) 0);
                    after.state = ChunkState.DIRTY;
                    pending = new Pending("T", c, after);
                }
                case "R" -> pending = new Pending("R", Integer.parseInt(f[1]), new Model());
                case "U" -> {
                    int c = Integer.parseInt(f[1]);
                    Model after = models[c].copy();
                    if (after.state == ChunkState.DIRTY) {
                        after.state = ChunkState.CLEAN;
                    }
                    pending = new Pending("U", c, after);
                }
                case "A" -> {
                    models[pending.chunk()] = pending.after();
                    acknowledged++;
                    pending = null;
                }
                case "C" -> {
                    if (f[2].equals("true")) {
                        models[pending.chunk()] = pending.after();
                    }
                    acknowledged++;
                    pending = null;
                }
                default -> throw new AssertionError("unknown line " + line);
            }
        }
        return pending;
    }

    void verifyReopened(Pending pending, String where) throws IOException {
        try (ChunkCache cache = ChunkCache.open(CrashWriterMain.config(cacheDir), DirtyChunkListener.NONE)) {
            try (Stream<Path> files = Files.walk(cacheDir)) {
                assertThat(files.filter(p -> p.toString().endsWith(".tmp")))
                        .as("%s: temporary files", where)
                        .isEmpty();
            }
            Set<ChunkId> dirty = new HashSet<>();
            long bytes = 0;
            for (int c = 0; c < CHUNKS; c++) {
                ChunkId id = CrashWriterMain.chunk(c);
                ChunkState state = cache.state(id);
                byte[] actual = readAll(cache, id);
                Model before = models[c];
                String what = where + ", chunk " + c
                        + (pending != null && pending.chunk() == c ? " (in flight: " + pending.kind() + ")" : "");
                if (pending != null && pending.chunk() == c) {
                    checkEitherOr(what, state, actual, before, pending.after());
                } else {
                    assertThat(state).as("%s: state", what).isEqualTo(before.state);
                    byte[] expected = Arrays.copyOf(before.bytes, before.length);
                    if (!Arrays.equals(actual, expected)) {
                        throw new AssertionError(what + ": " + actual.length + " bytes, expected " + expected.length
                                + "; differing " + differences(actual, expected) + "; this round's operations on it:\n"
                                + String.join("\n", history(c)) + "\nstray bytes: " + explain(actual, expected));
                    }
                }
                Model now = new Model();
                now.state = state;
                now.length = actual.length;
                System.arraycopy(actual, 0, now.bytes, 0, actual.length);
                models[c] = now;
                if (state == ChunkState.DIRTY) {
                    dirty.add(id);
                }
                bytes += actual.length;
            }
            for (int f = 0; f < FILLS; f++) {
                ChunkId id = CrashWriterMain.fillChunk(f);
                ChunkState state = cache.state(id);
                assertThat(state).as("%s: fill %d", where, f).isIn(ChunkState.ABSENT, ChunkState.CLEAN);
                if (state == ChunkState.CLEAN) {
                    assertThat(readAll(cache, id))
                            .as("%s: fill %d bytes", where, f)
                            .isEqualTo(CrashWriterMain.fillData(f));
                    bytes += CrashWriterMain.fillData(f).length;
                }
            }
            assertThat(new HashSet<>(cache.dirtyChunks()))
                    .as("%s: dirty list", where)
                    .isEqualTo(dirty);
            assertThat(cache.stats().usedBytes()).as("%s: space", where).isEqualTo(bytes);
        }
    }

    /** The ranges where two byte arrays differ, as text. */
    static String differences(byte[] a, byte[] b) {
        StringBuilder out = new StringBuilder();
        int n = Math.max(a.length, b.length);
        for (int i = 0; i < n; ) {
            if (i < a.length && i < b.length && a[i] == b[i]) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && !(i < a.length && i < b.length && a[i] == b[i])) {
                i++;
            }
            out.append('[').append(start).append(", ").append(i).append(") ");
        }
        return out.toString();
    }

    /** Which logged write the first differing bytes came from, if any. */
    String explain(byte[] actual, byte[] expected) {
        int i = Arrays.mismatch(actual, expected);
        if (i < 0 || i >= actual.length) {
            return "none";
        }
        StringBuilder out = new StringBuilder("at " + i + " value " + actual[i] + "; ");
        for (String line : allLines) {
            String[] f = line.split(" ");
            if (f.length == 7 && f[1].equals("W")) {
                int offset = Integer.parseInt(f[3]);
                int length = Integer.parseInt(f[4]);
                byte[] data = CrashWriterMain.data(Long.parseLong(f[5]), length);
                for (int shift = 0; shift < length - 16; shift++) {
                    if (i + 16 <= actual.length && Arrays.equals(data, shift, shift + 16, actual, i, i + 16)) {
                        out.append("matches ")
                                .append(line)
                                .append(" at its byte ")
                                .append(shift)
                                .append("; ");
                    }
                }
            }
        }
        return out.toString();
    }

    List<String> history(int c) {
        List<String> out = new ArrayList<>();
        boolean ours = false;
        for (String line : lastLines) {
            String[] f = line.split(" ");
            if (f.length > 2 && !f[1].equals("F") && !f[1].equals("FD") && !f[1].equals("READY")) {
                ours = f[2].equals(String.valueOf(c));
            }
            if (ours || !line.startsWith("@ ")) {
                out.add(line);
            }
        }
        return out;
    }

    /** The operation in flight left the chunk as before, as after, or (a write) with each byte old or new. */
    static void checkEitherOr(String what, ChunkState state, byte[] actual, Model before, Model after) {
        if (state == before.state && Arrays.equals(actual, Arrays.copyOf(before.bytes, before.length))) {
            return;
        }
        if (state == after.state && Arrays.equals(actual, Arrays.copyOf(after.bytes, after.length))) {
            return;
        }
        assertThat(state).as("%s: state of a half-done change", what).isEqualTo(ChunkState.DIRTY);
        // a write that extends the chunk may be cut short by the kill (the kernel stops copying pages when a
        // fatal signal is pending): the length then lies between the old and the new one
        assertThat(actual.length)
                .as("%s: length", what)
                .isBetween(Math.min(before.length, after.length), Math.max(before.length, after.length));
        for (int i = 0; i < actual.length; i++) {
            byte old = i < before.length ? before.bytes[i] : 0;
            if (actual[i] != old && actual[i] != after.bytes[i]) {
                throw new AssertionError(what + ": byte " + i + " is " + actual[i] + ", neither old " + old
                        + " nor new " + after.bytes[i]);
            }
        }
    }

    static byte[] readAll(ChunkCache cache, ChunkId id) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(CHUNK);
        int n = cache.read(id, 0, dst);
        return n == ChunkCache.NOT_CACHED ? new byte[0] : Arrays.copyOf(dst.array(), n);
    }
}
