package dev.sgw.core.file.memory;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The bytes of one regular file of a {@link MemoryFileVolume}, in chunks of {@link #CHUNK_BYTES}: a chunk
 * never written holds no memory and reads as zeros, so a sparse file costs what was written.
 *
 * <p>Invariant: every byte at or past the file's size is zero (a shrinking {@link #truncate} drops the
 * chunks past the end and zeroes the tail of the last one), so growing the file shows zeros.
 * Not thread-safe: the volume's lock guards it.
 */
final class SparseContent {
    static final int CHUNK_BYTES = 64 << 10;
    private static final byte[] ZEROS = new byte[CHUNK_BYTES];

    private final NavigableMap<Long, byte[]> chunks = new TreeMap<>();

    /** Puts {@code length} bytes from {@code offset} into {@code dst}, advancing it. */
    void read(long offset, ByteBuffer dst, int length) {
        int done = 0;
        while (done < length) {
            long pos = offset + done;
            int within = (int) (pos % CHUNK_BYTES);
            int len = Math.min(length - done, CHUNK_BYTES - within);
            byte[] chunk = chunks.get(pos / CHUNK_BYTES);
            if (chunk == null) {
                dst.put(ZEROS, 0, len);
            } else {
                dst.put(chunk, within, len);
            }
            done += len;
        }
    }

    /** Writes all of {@code src} at {@code offset}, advancing it. */
    void write(long offset, ByteBuffer src) {
        long pos = offset;
        while (src.hasRemaining()) {
            int within = (int) (pos % CHUNK_BYTES);
            int len = Math.min(src.remaining(), CHUNK_BYTES - within);
            byte[] chunk = chunks.computeIfAbsent(pos / CHUNK_BYTES, index -> new byte[CHUNK_BYTES]);
            src.get(chunk, within, len);
            pos += len;
        }
    }

    /**
     * Zeros bytes {@code [from, to)} ({@code from < to}): chunks covered whole are dropped, the others
     * zeroed in place; chunks never written are zeros already.
     */
    void zero(long from, long to) {
        Iterator<Map.Entry<Long, byte[]>> held = chunks.subMap(from / CHUNK_BYTES, true, (to - 1) / CHUNK_BYTES, true)
                .entrySet()
                .iterator();
        while (held.hasNext()) {
            Map.Entry<Long, byte[]> chunk = held.next();
            long chunkStart = chunk.getKey() * CHUNK_BYTES;
            int start = (int) (Math.max(from, chunkStart) - chunkStart);
            int end = (int) (Math.min(to, chunkStart + CHUNK_BYTES) - chunkStart);
            if (start == 0 && end == CHUNK_BYTES) {
                held.remove();
            } else {
                Arrays.fill(chunk.getValue(), start, end, (byte) 0);
            }
        }
    }

    /** Forgets every byte at or past {@code size}. */
    void truncate(long size) {
        long kept = (size + CHUNK_BYTES - 1) / CHUNK_BYTES;
        chunks.tailMap(kept, true).clear();
        int tail = (int) (size % CHUNK_BYTES);
        byte[] last = tail == 0 ? null : chunks.get(size / CHUNK_BYTES);
        if (last != null) {
            Arrays.fill(last, tail, CHUNK_BYTES, (byte) 0);
        }
    }
}
