package dev.sgw.core.block;

import java.time.Duration;
import java.util.Objects;

import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.volume.VolumeMode;

/**
 * How a {@link ChunkedBlockVolume} is opened.
 *
 * @param name              the volume's name, its key prefix in the bucket ({@link BucketLayout#checkVolumeName})
 * @param cacheSpace        the chunk namespace of this volume on the cache disk (e.g. {@code "v" + volume id});
 *                          unique to this volume for the life of the cache disk: a namespace reused for a new
 *                          volume would serve the old volume's cached chunks. Ignored in write-through mode.
 * @param capacity          bytes, a positive multiple of the block size
 * @param blockSize         512 or 4096
 * @param chunkSize         bytes per chunk object, a power of two from 64 KiB to 64 MiB
 * @param mode              sync, cache or write-through
 * @param uploadDelay       how long a chunk stays dirty before its upload starts (zero: at once)
 * @param uploadConcurrency uploads in flight at once, at least 1
 * @param spaceWait         how long a write that must bring its chunk into a full cache waits for room
 *                          before failing with no space
 */
public record BlockVolumeConfig(
        String name,
        String cacheSpace,
        long capacity,
        int blockSize,
        int chunkSize,
        VolumeMode mode,
        Duration uploadDelay,
        int uploadConcurrency,
        Duration spaceWait) {

    public static final int MIN_CHUNK_SIZE = 64 << 10;
    public static final int MAX_CHUNK_SIZE = 64 << 20;
    public static final int DEFAULT_CHUNK_SIZE = 1 << 20;
    public static final int DEFAULT_UPLOAD_CONCURRENCY = 4;
    public static final Duration DEFAULT_SPACE_WAIT = Duration.ofSeconds(30);

    public BlockVolumeConfig {
        BucketLayout.checkVolumeName(name);
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(uploadDelay, "uploadDelay");
        Objects.requireNonNull(spaceWait, "spaceWait");
        if (mode != VolumeMode.WRITE_THROUGH) {
            Objects.requireNonNull(cacheSpace, "cacheSpace");
        }
        if (blockSize != 512 && blockSize != 4096) {
            throw new IllegalArgumentException("block size must be 512 or 4096: " + blockSize);
        }
        if (Integer.bitCount(chunkSize) != 1 || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size must be a power of two from 64 KiB to 64 MiB: " + chunkSize);
        }
        if (capacity <= 0 || capacity % blockSize != 0) {
            throw new IllegalArgumentException(
                    "capacity must be a positive multiple of the block size " + blockSize + ": " + capacity);
        }
        if (uploadDelay.isNegative() || spaceWait.isNegative()) {
            throw new IllegalArgumentException(
                    "negative upload delay or space wait: " + uploadDelay + ", " + spaceWait);
        }
        if (uploadConcurrency < 1) {
            throw new IllegalArgumentException("upload concurrency must be at least 1: " + uploadConcurrency);
        }
    }

    /** A volume with 1 MiB chunks, no upload delay, 4 uploads at once and a 30 s wait for space. */
    public static BlockVolumeConfig of(String name, String cacheSpace, long capacity, int blockSize, VolumeMode mode) {
        return new BlockVolumeConfig(
                name,
                cacheSpace,
                capacity,
                blockSize,
                DEFAULT_CHUNK_SIZE,
                mode,
                Duration.ZERO,
                DEFAULT_UPLOAD_CONCURRENCY,
                DEFAULT_SPACE_WAIT);
    }

    public BlockVolumeConfig withChunkSize(int size) {
        return new BlockVolumeConfig(
                name, cacheSpace, capacity, blockSize, size, mode, uploadDelay, uploadConcurrency, spaceWait);
    }

    public BlockVolumeConfig withMode(VolumeMode newMode) {
        return new BlockVolumeConfig(
                name, cacheSpace, capacity, blockSize, chunkSize, newMode, uploadDelay, uploadConcurrency, spaceWait);
    }

    public BlockVolumeConfig withUploads(Duration delay, int concurrency) {
        return new BlockVolumeConfig(
                name, cacheSpace, capacity, blockSize, chunkSize, mode, delay, concurrency, spaceWait);
    }

    public BlockVolumeConfig withSpaceWait(Duration wait) {
        return new BlockVolumeConfig(
                name, cacheSpace, capacity, blockSize, chunkSize, mode, uploadDelay, uploadConcurrency, wait);
    }

    public BlockVolumeConfig withCapacity(long bytes) {
        return new BlockVolumeConfig(
                name, cacheSpace, bytes, blockSize, chunkSize, mode, uploadDelay, uploadConcurrency, spaceWait);
    }

    /** The number of chunks, the last one possibly cut short by the capacity. */
    public long chunkCount() {
        return (capacity + chunkSize - 1) / chunkSize;
    }
}
