package dev.sgw.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ChunkCache} is opened.
 *
 * @param directory        the cache directory (created if missing; one cache per directory at a time)
 * @param capacityBytes    the most chunk bytes the cache holds on disk
 * @param mode             whether clean chunks may be evicted
 * @param chunkSize        the largest chunk, a power of two from 64 KiB to 64 MiB; fixed for a directory
 * @param spaceWaitTimeout how long a write waits for space before {@link CacheFullException}
 */
public record CacheConfig(
        Path directory, long capacityBytes, CacheMode mode, int chunkSize, Duration spaceWaitTimeout) {

    public static final int MIN_CHUNK_SIZE = 64 << 10;
    public static final int MAX_CHUNK_SIZE = 64 << 20;
    public static final int DEFAULT_CHUNK_SIZE = 1 << 20;
    public static final Duration DEFAULT_SPACE_WAIT = Duration.ofSeconds(30);

    public CacheConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(spaceWaitTimeout, "spaceWaitTimeout");
        if (Integer.bitCount(chunkSize) != 1 || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size must be a power of two from 64 KiB to 64 MiB: " + chunkSize);
        }
        if (capacityBytes < chunkSize) {
            throw new IllegalArgumentException(
                    "capacity " + capacityBytes + " is smaller than one chunk (" + chunkSize + ")");
        }
        if (spaceWaitTimeout.isNegative()) {
            throw new IllegalArgumentException("negative space wait timeout: " + spaceWaitTimeout);
        }
    }

    /** A configuration with 1 MiB chunks and a 30 s wait for space. */
    public static CacheConfig of(Path directory, long capacityBytes, CacheMode mode) {
        return new CacheConfig(directory, capacityBytes, mode, DEFAULT_CHUNK_SIZE, DEFAULT_SPACE_WAIT);
    }

    public CacheConfig withChunkSize(int size) {
        return new CacheConfig(directory, capacityBytes, mode, size, spaceWaitTimeout);
    }

    public CacheConfig withSpaceWaitTimeout(Duration timeout) {
        return new CacheConfig(directory, capacityBytes, mode, chunkSize, timeout);
    }
}
