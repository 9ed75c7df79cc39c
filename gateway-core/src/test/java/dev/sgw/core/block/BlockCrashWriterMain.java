package dev.sgw.core.block;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import dev.sgw.cache.CacheConfig;
import dev.sgw.cache.CacheMode;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.s3.S3ObjectStore;
import dev.sgw.core.store.s3.S3StoreConfig;
import dev.sgw.core.volume.VolumeMode;

/**
 * The child process of {@link BlockVolumeCrashTest}: recovers the crash volume from its cache directory and
 * the parent's S3 server, then makes FUA writes 1, 2, 3, ... drawn from {@link #next} with the given seed,
 * printing {@code ack <n>} after each returned, until it is killed.
 *
 * <p>Arguments: endpoint, access key, secret key, bucket, cache directory, seed. It exits by itself when its
 * standard input closes (the test JVM died) or after a minute.
 */
public final class BlockCrashWriterMain {
    static final String VOLUME = "crash";
    static final int CHUNK = 64 << 10;
    static final int BLOCK = 512;
    static final long CAPACITY = 16L * CHUNK;
    private static final long MAX_RUN_MILLIS = 60_000;

    private BlockCrashWriterMain() {}

    /** One write of the workload. */
    record Write(long offset, byte[] data) {}

    /** The next write drawn from {@code random}: 1 to 16 blocks, now and then up to 256 (crossing chunks). */
    static Write next(Random random) {
        int blocks = 1 + random.nextInt(random.nextInt(4) == 0 ? 256 : 16);
        int start = random.nextInt((int) (CAPACITY / BLOCK) - blocks + 1);
        byte[] data = new byte[blocks * BLOCK];
        random.nextBytes(data);
        return new Write((long) start * BLOCK, data);
    }

    static BlockVolumeConfig config() {
        return new BlockVolumeConfig(
                VOLUME, "c1", CAPACITY, BLOCK, CHUNK, VolumeMode.CACHE, Duration.ZERO, 2, Duration.ofSeconds(10));
    }

    static CacheConfig cacheConfig(Path directory) {
        return new CacheConfig(directory, 8L * CHUNK, CacheMode.EVICTING, CHUNK, Duration.ofSeconds(10));
    }

    static ObjectStore store(String endpoint, String accessKey, String secretKey, String bucket) {
        return new S3ObjectStore(S3StoreConfig.builder(bucket, accessKey, secretKey)
                .endpoint(URI.create(endpoint))
                .pathStyleAccess(true)
                .build());
    }

    public static void main(String[] args) throws Exception {
        // acknowledgements alone on stdout; log lines (the console appender) go to stderr
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Thread.ofPlatform().daemon().name("parent-watchdog").start(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // the parent never writes; EOF means it is gone
                }
            } catch (Exception ignored) {
                // treat like EOF
            }
            Runtime.getRuntime().halt(3);
        });
        long deadline = System.currentTimeMillis() + MAX_RUN_MILLIS;
        Random random = new Random(Long.parseLong(args[5]));
        try (ObjectStore store = store(args[0], args[1], args[2], args[3]);
                CacheDisk disk = CacheDisk.open("crashdisk", cacheConfig(Path.of(args[4])));
                ChunkedBlockVolume volume = ChunkedBlockVolume.recover(config(), store, disk)) {
            for (long n = 1; System.currentTimeMillis() < deadline; n++) {
                Write w = next(random);
                volume.write(w.offset(), ByteBuffer.wrap(w.data()), true);
                out.println("ack " + n);
                out.flush();
            }
        }
        Runtime.getRuntime().halt(4);
    }
}
