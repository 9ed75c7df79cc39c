package dev.sgw.core.file.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.Map;
import java.util.Objects;

/**
 * One version of a file as the one object to put into the bucket at {@code key}.
 *
 * @param key           the object key ({@link dev.sgw.core.layout.BucketLayout#fileKey})
 * @param size          the file's size in bytes
 * @param metadata      the object's user metadata ({@link dev.sgw.core.layout.BucketLayout#attributesMetadata})
 * @param knownEtag     the ETag of the object this version replaces, as last written or seen by this
 *                      gateway; {@code null} when the object must not exist yet
 * @param chunkSize     the size of the file's chunks, as {@code chunks} and {@code changedChunks} count them
 * @param chunks        the bytes of this version
 * @param changedChunks the chunks that differ from the object with {@code knownEtag} (bit {@code i} for
 *                      chunk {@code i}); {@code null} when all may differ. Chunks beyond the old object's
 *                      end are taken as changed whatever their bit.
 * @param stillCurrent  whether the file's content is still this version's
 */
public record FileObject(
        String key,
        long size,
        Map<String, String> metadata,
        String knownEtag,
        int chunkSize,
        ChunkSource chunks,
        BitSet changedChunks,
        ContentCheck stillCurrent) {

    public FileObject {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("empty key");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(chunks, "chunks");
        Objects.requireNonNull(stillCurrent, "stillCurrent");
        changedChunks = changedChunks == null ? null : (BitSet) changedChunks.clone();
    }

    /** The number of chunks, the last one possibly short. */
    long chunkCount() {
        return Math.ceilDiv(size, (long) chunkSize);
    }

    /** The same content as a new object at {@code otherKey}: no known ETag, nothing to copy from. */
    FileObject asNewObject(String otherKey) {
        return new FileObject(otherKey, size, metadata, null, chunkSize, chunks, null, stillCurrent);
    }

    /** Whether chunks {@code first..last} (inclusive) are all marked unchanged. */
    boolean unchanged(long first, long last) {
        if (changedChunks == null) {
            return false;
        }
        if (last > Integer.MAX_VALUE) {
            return false; // BitSet indexes are ints; such chunks are taken as changed
        }
        int next = changedChunks.nextSetBit((int) first);
        return next < 0 || next > last;
    }

    /**
     * Reads {@code length} bytes of this version from {@code offset}, which must start on a chunk boundary
     * and end on one or at the end of the file.
     */
    byte[] readBytes(long offset, int length) throws IOException {
        if (offset % chunkSize != 0
                || offset + length > size
                || ((offset + length) % chunkSize != 0 && offset + length != size)) {
            throw new IllegalArgumentException("not a chunk-aligned range of " + key + ": " + offset + "+" + length);
        }
        byte[] content = new byte[length];
        int at = 0;
        for (long index = offset / chunkSize; at < length; index++) {
            int expected = (int) Math.min(chunkSize, size - index * chunkSize);
            ByteBuffer chunk = chunks.read(index);
            if (chunk == null || chunk.remaining() != expected) {
                throw new IOException("chunk " + index + " of " + key + " has "
                        + (chunk == null ? "no" : chunk.remaining()) + " bytes, expected " + expected);
            }
            chunk.get(content, at, expected);
            at += expected;
        }
        return content;
    }
}
