package dev.sgw.core.file.upload;

import dev.sgw.core.store.ObjectStore;

/**
 * How files are uploaded.
 *
 * @param multipartThreshold files of at most this many bytes go up in one put; larger ones as multipart
 *                           uploads (at most {@value #MAX_SINGLE_PUT} bytes, as they are held in memory)
 * @param partSize           the wished part size of a multipart upload; the writer rounds it up to a
 *                           multiple of the file's chunk size, to at least {@link ObjectStore#MIN_PART_SIZE},
 *                           and grows it so that a file has at most 10,000 parts
 * @param partConcurrency    the most parts of one upload in flight (and in memory) at once
 */
public record UploadTuning(long multipartThreshold, long partSize, int partConcurrency) {

    public static final long MIB = 1024 * 1024;
    /** The largest single put: files above it always go up in parts. */
    public static final long MAX_SINGLE_PUT = 1024 * MIB;

    private static final UploadTuning DEFAULTS = new UploadTuning(16 * MIB, 8 * MIB, 4);

    public UploadTuning {
        if (multipartThreshold < 0 || multipartThreshold > MAX_SINGLE_PUT) {
            throw new IllegalArgumentException(
                    "multipart threshold must be 0.." + MAX_SINGLE_PUT + ": " + multipartThreshold);
        }
        if (partSize < ObjectStore.MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size below " + ObjectStore.MIN_PART_SIZE + ": " + partSize);
        }
        if (partConcurrency < 1) {
            throw new IllegalArgumentException("part concurrency must be at least 1: " + partConcurrency);
        }
    }

    /** Multipart above 16 MiB, 8 MiB parts, 4 parts at once. */
    public static UploadTuning defaults() {
        return DEFAULTS;
    }

    public UploadTuning withMultipartThreshold(long bytes) {
        return new UploadTuning(bytes, partSize, partConcurrency);
    }

    public UploadTuning withPartSize(long bytes) {
        return new UploadTuning(multipartThreshold, bytes, partConcurrency);
    }

    public UploadTuning withPartConcurrency(int parts) {
        return new UploadTuning(multipartThreshold, partSize, parts);
    }
}
