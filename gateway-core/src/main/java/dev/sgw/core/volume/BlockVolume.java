package dev.sgw.core.volume;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A block device of fixed capacity used by the iSCSI target. Offsets and lengths are in bytes and must be
 * multiples of {@link #blockSize()} ({@link VolumeError#INVAL} otherwise); I/O past the capacity is
 * {@link VolumeError#INVAL} too. Data never written (or unmapped) reads as zeros. Thread-safe; concurrent
 * writes to the same blocks land in some order, each whole.
 *
 * <p>Durability: in cache and sync mode a write is in the cache disk's page cache when it returns
 * (surviving a gateway crash); with {@code fua}, or after {@link #flush}, it survives a power loss. In
 * write-through mode every write is in the bucket when it returns.
 */
public interface BlockVolume extends AutoCloseable {

    String name();

    /** Capacity in bytes, a multiple of the block size. */
    long capacity();

    /** 512 or 4096. */
    int blockSize();

    /** Reads {@code dst.remaining()} bytes at {@code offset}, advancing {@code dst}. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes {@code src.remaining()} bytes at {@code offset}, advancing {@code src}; durable if {@code fua}. */
    void write(long offset, ByteBuffer src, boolean fua) throws IOException;

    /** Discards a range: it reads as zeros from now on, and whole chunks in it are deleted from the bucket. */
    void unmap(long offset, long length) throws IOException;

    /** Makes every earlier write durable (SYNCHRONIZE CACHE). */
    void flush() throws IOException;

    /** The volume's link to its bucket: backlog, upload on demand. */
    BucketSync bucketSync();

    @Override
    void close() throws IOException;
}
