package dev.sgw.core.block;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.sgw.core.volume.BucketSync;

/**
 * The data path of a {@link ChunkedBlockVolume} for one mode, chunk by chunk. The volume has checked
 * alignment and bounds: every range given here lies inside one chunk and inside the capacity.
 */
interface ChunkAccess {

    /** Reads {@code dst.remaining()} bytes of chunk {@code index} from {@code offset}, advancing {@code dst}. */
    void read(long index, int offset, ByteBuffer dst) throws IOException;

    /**
     * Writes {@code src.remaining()} bytes into chunk {@code index} at {@code offset}, advancing {@code src}.
     * {@code fullChunk} says the range covers the whole chunk (nothing to read first).
     */
    void write(long index, int offset, ByteBuffer src, boolean fullChunk, boolean fua) throws IOException;

    /** The whole chunk reads as zeros from now on, and its object goes from the bucket. */
    void discard(long index) throws IOException;

    /** Told after each whole read of the volume (for sequential read-ahead); the default ignores it. */
    default void readCompleted(long offset, long length) {}

    /** Makes every write so far durable (in the cache disk, or already in the bucket). */
    void flush() throws IOException;

    BucketSync bucketSync();

    /**
     * The volume grew to {@code grown}'s capacity (its other fields are unchanged): chunks are measured
     * against the new capacity from now on. Called before any I/O past the old capacity is let through.
     */
    void resize(BlockVolumeConfig grown);

    /** Stops background work and makes what is local durable. */
    void close() throws IOException;
}
