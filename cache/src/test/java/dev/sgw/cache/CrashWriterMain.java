package dev.sgw.cache;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;

/**
 * The child process of {@link ChunkCacheCrashTest}: opens the cache and changes chunks until it is
 * killed, printing each operation before it starts ({@code @ W ...}, {@code @ T ...}) and again once it is
 * durable ({@code @ A ...}), so the parent knows what was acknowledged. Its stdout is a file, not a pipe:
 * each flushed line is a write(2) that survives the kill, so the parent reads every acknowledgement. Single-threaded, so at most one
 * operation is in flight when the kill comes. Every protocol line starts with {@code @} and ends with
 * {@code END}; anything else on stdout (logging) is ignored by the parent.
 */
public final class CrashWriterMain {

    static final int CHUNK = CacheConfig.MIN_CHUNK_SIZE;
    static final int CHUNKS = 16;
    static final int FILLS = 8;
    static final long CAPACITY = 64L * CHUNK;

    private CrashWriterMain() {}

    static CacheConfig config(Path dir) {
        return new CacheConfig(dir, CAPACITY, CacheMode.EVICTING, CHUNK, Duration.ofSeconds(5));
    }

    static ChunkId chunk(int c) {
        return ChunkId.of("crash", 0, c);
    }

    static ChunkId fillChunk(int f) {
        return ChunkId.of("fill", 0, f);
    }

    /** The bytes of a write, made again by the parent from the seed. */
    static byte[] data(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The bucket's copy of fill chunk {@code f}. */
    static byte[] fillData(int f) {
        return data(-1 - f, CHUNK / 2 + f);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        Random random = new Random(seed);
        try (ChunkCache cache = ChunkCache.open(config(dir), DirtyChunkListener.NONE)) {
            say("READY");
            for (long seq = 0; ; seq++) {
                int kind = random.nextInt(100);
                int c = random.nextInt(CHUNKS);
                if (kind < 65) {
                    int offset = random.nextInt(CHUNK);
                    int length = 1 + random.nextInt(Math.min(CHUNK - offset, 16 << 10));
                    long dataSeed = seed * 1_000_003 + seq;
                    say("W " + c + " " + offset + " " + length + " " + dataSeed);
                    cache.write(chunk(c), offset, ByteBuffer.wrap(data(dataSeed, length)), IfAbsent.CREATE);
                    durable(cache, c, random);
                } else if (kind < 75) {
                    int length = random.nextInt(CHUNK + 1);
                    say("T " + c + " " + length);
                    cache.truncate(chunk(c), length, IfAbsent.CREATE);
                    durable(cache, c, random);
                } else if (kind < 80) {
                    say("R " + c);
                    cache.remove(chunk(c));
                    durable(cache, c, random);
                } else if (kind < 92) {
                    say("U " + c);
                    Optional<UploadSnapshot> s = cache.beginUpload(chunk(c));
                    say("C " + c + " " + (s.isEmpty() ? "none" : String.valueOf(cache.completeUpload(s.get()))));
                } else {
                    int f = random.nextInt(FILLS);
                    say("F " + f);
                    say("FD " + f + " " + cache.fill(fillChunk(f), ByteBuffer.wrap(fillData(f))));
                }
            }
        }
    }

    private static void durable(ChunkCache cache, int c, Random random) throws Exception {
        if (random.nextInt(4) == 0) {
            cache.sync();
        } else {
            cache.fsync(chunk(c));
        }
        say("A " + c);
    }

    private static void say(String line) {
        System.out.println("@ " + line + " END");
        System.out.flush();
    }
}
