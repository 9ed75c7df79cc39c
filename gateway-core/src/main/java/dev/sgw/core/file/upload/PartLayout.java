package dev.sgw.core.file.upload;

import java.io.IOException;

import dev.sgw.core.store.MultipartPart;
import dev.sgw.core.store.ObjectStore;

/**
 * How a file of {@code size} bytes in chunks of {@code chunkSize} is cut into multipart parts: every part
 * but the last is {@code partSize} bytes, a whole number of chunks, at least {@link ObjectStore#MIN_PART_SIZE},
 * and there are at most {@link MultipartPart#MAX_PART_NUMBER} parts.
 */
record PartLayout(long size, int chunkSize, long partSize, int partCount) {

    /** The largest part a store accepts (S3 and OSS: 5 GiB), and one array can hold. */
    static final long MAX_PART_SIZE = Integer.MAX_VALUE - 8L * 1024 * 1024;

    static PartLayout of(long size, int chunkSize, long wishedPartSize) throws IOException {
        long chunksPerPart =
                Math.max(Math.ceilDiv(wishedPartSize, chunkSize), Math.ceilDiv(ObjectStore.MIN_PART_SIZE, chunkSize));
        long chunks = Math.ceilDiv(size, (long) chunkSize);
        chunksPerPart = Math.max(chunksPerPart, Math.ceilDiv(chunks, MultipartPart.MAX_PART_NUMBER));
        long partSize = chunksPerPart * chunkSize;
        if (partSize > MAX_PART_SIZE) {
            throw new IOException("a file of " + size + " bytes needs parts of " + partSize + " bytes, more than "
                    + MAX_PART_SIZE + " can be uploaded");
        }
        int partCount = (int) Math.max(1, Math.ceilDiv(size, partSize));
        return new PartLayout(size, chunkSize, partSize, partCount);
    }

    /** The offset of part {@code index} (0-based; its part number is index + 1). */
    long offset(int index) {
        return index * partSize;
    }

    int length(int index) {
        return (int) Math.min(partSize, size - offset(index));
    }

    long firstChunk(int index) {
        return offset(index) / chunkSize;
    }

    long lastChunk(int index) {
        return (offset(index) + length(index) - 1) / chunkSize;
    }
}
