package dev.sgw.cache;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Chunks of data kept on a local cache disk, each either CLEAN (the bucket has the same bytes) or DIRTY
 * (pinned until an uploader puts it in the bucket). The cache knows nothing of files or object stores: a
 * chunk is a byte string of at most {@link #chunkSize()} bytes named by a {@link ChunkId}. Offsets are
 * within the chunk. All methods are thread-safe; operations on one chunk are atomic with respect to each
 * other.
 *
 * <h2>Durability</h2>
 * <ul>
 *   <li>When {@code write}/{@code truncate} returns, the change is in the operating system's page cache:
 *       it survives the death of this process ({@code kill -9}) but maybe not a power loss. A chunk whose
 *       write was interrupted by a crash is found DIRTY (possibly holding part of that write).</li>
 *   <li>When {@link #fsync(ChunkId)} returns, every change to that chunk that returned before the call,
 *       and its DIRTY state, survive a power loss; {@link #sync()} does the same for all chunks. Removals
 *       are durable after {@code fsync} of that id or {@code sync()} too.</li>
 *   <li>A chunk found CLEAN after a crash always holds the exact bytes of a fill or of a completed upload;
 *       any chunk whose state cannot be trusted is found DIRTY, never dropped. Clean-state changes
 *       (fill, completed upload) need no fsync: at worst they are redone.</li>
 *   <li>{@link #close()} makes everything durable.</li>
 * </ul>
 *
 * <h2>Space</h2>
 * Space is the sum of chunk lengths (plus reservations of writes in progress) and never exceeds the
 * capacity. A write that needs room evicts clean chunks ({@link CacheMode#EVICTING} only), else waits for
 * uploads to make room, else fails with {@link CacheFullException} without changing anything.
 */
public interface ChunkCache extends Closeable {

    /** What {@link #read} and {@link #length} return for a chunk that is not cached. */
    int NOT_CACHED = -1;

    /** Opens (creating if needed) the cache in {@code config.directory()}. */
    static ChunkCache open(CacheConfig config, DirtyChunkListener listener) throws IOException {
        return DiskChunkCache.open(config, listener);
    }

    /** The largest chunk this cache holds. */
    int chunkSize();

    /**
     * Copies bytes of the chunk from {@code offset} into {@code dst}, advancing its position.
     *
     * @return the bytes copied, {@code min(dst.remaining(), length - offset)} and 0 at or after the end of
     *         the chunk; or {@link #NOT_CACHED} if the chunk is absent (the caller fetches it from the bucket)
     */
    int read(ChunkId id, int offset, ByteBuffer dst) throws IOException;

    /** The chunk's cached length, or {@link #NOT_CACHED}. */
    int length(ChunkId id);

    /** The chunk's state ({@link ChunkState#ABSENT} if not cached). */
    ChunkState state(ChunkId id);

    /**
     * Writes {@code src.remaining()} bytes at {@code offset} (advancing {@code src}); the chunk grows to at
     * least {@code offset + src.remaining()} bytes (a gap reads as zeros) and becomes DIRTY (pinned).
     * May wait for space as described above.
     *
     * @return {@code true} if written; {@code false} (nothing changed) only with {@link IfAbsent#REFUSE}
     *         when the chunk is not cached
     * @throws CacheFullException if no room was found in time; nothing was changed
     * @throws IllegalArgumentException if the range is outside {@code [0, chunkSize())}
     */
    boolean write(ChunkId id, int offset, ByteBuffer src, IfAbsent ifAbsent) throws IOException;

    /**
     * Stores a whole chunk fetched from the bucket as CLEAN (reading {@code data.remaining()} bytes and
     * advancing it). Never waits and never overwrites: a chunk already cached (clean or dirty) is kept.
     *
     * @return {@code true} if stored; {@code false} if the chunk was already cached or there is no room
     *         without waiting (the caller serves the data it fetched without caching it)
     */
    boolean fill(ChunkId id, ByteBuffer data) throws IOException;

    /**
     * Sets the chunk's length (shrinking it, or growing it with zeros) and makes it DIRTY. Same return
     * value, waiting and exceptions as {@link #write}.
     */
    boolean truncate(ChunkId id, int length, IfAbsent ifAbsent) throws IOException;

    /**
     * Drops the chunk whatever its state (its data is no longer wanted, e.g. the object was deleted). An
     * upload in flight for it can no longer complete.
     *
     * @return whether it was cached
     */
    boolean remove(ChunkId id) throws IOException;

    /** Makes the chunk's changes so far (and its state, or its removal) durable. See "Durability". */
    void fsync(ChunkId id) throws IOException;

    /** Makes every change so far durable. */
    void sync() throws IOException;

    /**
     * Starts uploading a DIRTY chunk: copies its bytes into an immutable snapshot and moves it to
     * UPLOADING. Writes go on during the upload; they move it to UPLOADING_REDIRTIED.
     *
     * @return the snapshot, or empty if the chunk is not DIRTY (absent, clean, or already uploading)
     */
    Optional<UploadSnapshot> beginUpload(ChunkId id) throws IOException;

    /**
     * The snapshot is now in the bucket. The chunk becomes CLEAN if nothing changed since the snapshot;
     * otherwise it returns to DIRTY (and the listener is told) to be uploaded again.
     *
     * @return whether the chunk became CLEAN; {@code false} also for a stale snapshot (the chunk was
     *         removed or this is not its current upload), which changes nothing
     */
    boolean completeUpload(UploadSnapshot snapshot) throws IOException;

    /** The upload failed: the chunk returns to DIRTY (and the listener is told). Stale snapshots are ignored. */
    void failUpload(UploadSnapshot snapshot);

    /** Every chunk holding data the bucket may not have (DIRTY, UPLOADING, UPLOADING_REDIRTIED). */
    List<ChunkId> dirtyChunks();

    /**
     * Waits until {@code bytes} more bytes would fit (evicting clean chunks in EVICTING mode), without
     * reserving them.
     *
     * @return whether they fit before the timeout
     */
    boolean awaitSpace(long bytes, Duration timeout) throws IOException;

    CacheStats stats();

    /**
     * Never evicts a clean chunk of namespace {@code space} from now on, whatever the cache's mode (a
     * volume in sync mode keeps a full local copy in a cache shared with evictable volumes). Call it
     * before the namespace is used; it lasts until the cache is closed.
     */
    void retain(String space);

    /** Makes everything durable and releases the directory. Later calls throw {@link IllegalStateException}. */
    @Override
    void close() throws IOException;
}
