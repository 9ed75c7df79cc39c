package dev.sgw.core.file;

import java.time.Duration;
import java.util.Objects;

import dev.sgw.cache.ChunkId;
import dev.sgw.core.volume.VolumeMode;

/**
 * How a file share is opened.
 *
 * @param name            the share's name, for logs and metrics
 * @param volumeId        the share's volume id in the metadata store (1..2^31-1); every key of the share
 *                        carries it
 * @param chunkSpace      the share's chunk namespace in the cache disk ({@link ChunkId#space()} rules)
 * @param mode            {@link VolumeMode#SYNC} (a full local copy, retained) or {@link VolumeMode#CACHE}
 *                        (clean chunks evicted, fetched from the bucket on demand)
 * @param capacityBytes   what {@code statfs} reports as the share's size
 * @param defaultUid      owner of objects without sgw metadata, and of new files when none is given
 * @param defaultGid      group, likewise
 * @param defaultFileMode permission bits of such regular files and symbolic links
 * @param defaultDirMode  permission bits of such directories
 * @param uploadDelay     how long a changed file rests before it is uploaded (writes coalesce)
 * @param caseInsensitive names are found without regard to case and keep the case they were made with
 *                        ({@link dev.sgw.core.volume.FileNames#fold}); bucket keys that differ only in case
 *                        stay visible, the later under a {@link MangledName}. Off: names are exact (POSIX)
 */
public record FileShareConfig(
        String name,
        int volumeId,
        String chunkSpace,
        VolumeMode mode,
        long capacityBytes,
        int defaultUid,
        int defaultGid,
        int defaultFileMode,
        int defaultDirMode,
        Duration uploadDelay,
        boolean caseInsensitive) {

    public static final long DEFAULT_CAPACITY = 256L << 40;
    public static final Duration DEFAULT_UPLOAD_DELAY = Duration.ofSeconds(5);

    public FileShareConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(uploadDelay, "uploadDelay");
        if (volumeId <= 0) {
            throw new IllegalArgumentException("volume id must be 1.." + Integer.MAX_VALUE + ": " + volumeId);
        }
        new ChunkId(chunkSpace, 0, 0); // checks the namespace's characters
        if (mode == VolumeMode.WRITE_THROUGH) {
            throw new IllegalArgumentException("a file share runs in SYNC or CACHE mode, not " + mode);
        }
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacityBytes);
        }
        if ((defaultFileMode & ~07777) != 0 || (defaultDirMode & ~07777) != 0) {
            throw new IllegalArgumentException("default modes are permission bits (0..07777)");
        }
        if (uploadDelay.isNegative()) {
            throw new IllegalArgumentException("negative upload delay: " + uploadDelay);
        }
    }

    /** A case-sensitive share. */
    public FileShareConfig(
            String name,
            int volumeId,
            String chunkSpace,
            VolumeMode mode,
            long capacityBytes,
            int defaultUid,
            int defaultGid,
            int defaultFileMode,
            int defaultDirMode,
            Duration uploadDelay) {
        this(
                name,
                volumeId,
                chunkSpace,
                mode,
                capacityBytes,
                defaultUid,
                defaultGid,
                defaultFileMode,
                defaultDirMode,
                uploadDelay,
                false);
    }

    /** A share with the defaults: 256 TiB, root-owned files 0644 and directories 0755, a 5 s upload delay. */
    public static FileShareConfig of(String name, int volumeId, String chunkSpace, VolumeMode mode) {
        return new FileShareConfig(
                name, volumeId, chunkSpace, mode, DEFAULT_CAPACITY, 0, 0, 0644, 0755, DEFAULT_UPLOAD_DELAY);
    }

    public FileShareConfig withUploadDelay(Duration delay) {
        return new FileShareConfig(
                name,
                volumeId,
                chunkSpace,
                mode,
                capacityBytes,
                defaultUid,
                defaultGid,
                defaultFileMode,
                defaultDirMode,
                delay,
                caseInsensitive);
    }

    public FileShareConfig withCapacity(long bytes) {
        return new FileShareConfig(
                name,
                volumeId,
                chunkSpace,
                mode,
                bytes,
                defaultUid,
                defaultGid,
                defaultFileMode,
                defaultDirMode,
                uploadDelay,
                caseInsensitive);
    }

    public FileShareConfig withCaseInsensitive(boolean on) {
        return new FileShareConfig(
                name,
                volumeId,
                chunkSpace,
                mode,
                capacityBytes,
                defaultUid,
                defaultGid,
                defaultFileMode,
                defaultDirMode,
                uploadDelay,
                on);
    }
}
