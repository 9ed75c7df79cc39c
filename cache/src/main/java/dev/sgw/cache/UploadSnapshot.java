package dev.sgw.cache;

import java.nio.ByteBuffer;

/**
 * An immutable copy of a dirty chunk's bytes, taken by {@link ChunkCache#beginUpload(ChunkId)}. The
 * uploader sends {@link #data()} to the bucket and then hands the snapshot back to
 * {@link ChunkCache#completeUpload(UploadSnapshot)} or {@link ChunkCache#failUpload(UploadSnapshot)}.
 * Writes to the chunk after the snapshot do not change it.
 */
public final class UploadSnapshot {

    private final ChunkId id;
    private final long version;
    private final long uploadSeq;
    private final byte[] bytes;

    UploadSnapshot(ChunkId id, long version, long uploadSeq, byte[] bytes) {
        this.id = id;
        this.version = version;
        this.uploadSeq = uploadSeq;
        this.bytes = bytes;
    }

    public ChunkId id() {
        return id;
    }

    /** The chunk's version when the snapshot was taken; every write or truncate raises it. */
    public long version() {
        return version;
    }

    /** The chunk's length when the snapshot was taken. */
    public int length() {
        return bytes.length;
    }

    /** The bytes, as a new read-only buffer positioned at zero. */
    public ByteBuffer data() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** Which {@code beginUpload} made this snapshot; tells a stale snapshot from the current one. */
    long uploadSeq() {
        return uploadSeq;
    }

    @Override
    public String toString() {
        return "UploadSnapshot[" + id + " v" + version + ", " + bytes.length + " bytes]";
    }
}
