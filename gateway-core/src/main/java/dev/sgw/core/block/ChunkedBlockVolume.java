package dev.sgw.core.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectContent;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.Precondition;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.volume.BlockVolume;
import dev.sgw.core.volume.BucketSync;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlockVolume} stored as fixed-size chunk objects in a bucket ({@link BucketLayout#blockChunkKey}),
 * described by {@code <volume>/volume.json} ({@link BlockVolumeDescriptor}), in one of three modes:
 *
 * <pre>
 * mode          | write returns when                      | reads                        | data path
 * --------------+-----------------------------------------+------------------------------+-------------------
 * SYNC          | in the cache disk (page cache; with FUA | the cache disk (after a      | {@link CachedChunks}
 *               | or flush: durable); uploaded later      | recovery: misses from the    | + {@link WritebackUploader}
 *               |                                         | bucket, kept forever)        |
 * CACHE         | same as SYNC                            | the cache disk, misses from  | same, clean chunks
 *               |                                         | the bucket, with read-ahead  | evictable
 * WRITE_THROUGH | in the bucket                           | the bucket (small memory     | {@link WriteThroughChunks}
 *               |                                         | cache)                       |
 * </pre>
 *
 * <p>Chunk objects: at most one chunk long; a missing object or the part after a short object's end reads
 * as zeros (see {@link ChunkObjects}); a chunk of zeros is stored as no object. UNMAP of whole chunks
 * deletes their objects (in cache and sync mode, by uploading an empty chunk, so that the delete is
 * ordered after any upload of the chunk's older data); partial chunks get zeros written.
 *
 * <p>Opening: {@link #create} for a new volume (writes volume.json, fails if the bucket has one), and
 * {@link #recover} for every later open, including after a crash or onto an empty cache disk: it reads
 * volume.json, checks it against the configuration, resumes uploading what the cache disk holds dirty and
 * serves everything else from the bucket, filling the cache behind the reads.
 *
 * <p>Capacity: a volume only grows. {@link #grow} rewrites volume.json with the new capacity first, then
 * lets I/O reach the new blocks (which read as zeros); {@link #recoverGrowing} opens a volume whose
 * configuration grew while it was closed and grows it the same way. Shrinking is refused
 * ({@link VolumeError#INVAL}): it would cut off data.
 *
 * <p>Errors: a misaligned offset or length, or I/O past the capacity, is {@link VolumeError#INVAL}; a full
 * cache disk (after the cache's wait for uploads) is {@link VolumeError#NOSPC}; a bucket or cache disk
 * failure on a read, or a chunk failing its integrity check, is {@link VolumeError#IO} (never served as
 * data); a closed volume is {@link VolumeError#UNAVAILABLE}.
 */
public final class ChunkedBlockVolume implements BlockVolume {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkedBlockVolume.class);

    private final ObjectStore store;
    private final ChunkAccess chunks;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Replaced together by {@link #grow}, under the volume's monitor. */
    private volatile BlockVolumeConfig config;

    private volatile BlockVolumeDescriptor descriptor;

    private ChunkedBlockVolume(
            BlockVolumeConfig config, BlockVolumeDescriptor descriptor, ObjectStore store, ChunkAccess chunks) {
        this.config = config;
        this.descriptor = descriptor;
        this.store = store;
        this.chunks = chunks;
    }

    /**
     * Creates a new volume: writes its volume.json (only if the bucket has none) and opens it.
     *
     * @param store     the cloud resource's store, its key prefix applied
     * @param cacheDisk the cache disk ({@code null} allowed in write-through mode only)
     * @param clock     gives the creation time recorded in volume.json
     * @throws VolumeException {@link VolumeError#EXIST} if the bucket already has this volume (use
     *                         {@link #recover}) or the cache disk holds data of its namespace not yet uploaded
     */
    public static ChunkedBlockVolume create(
            BlockVolumeConfig config, ObjectStore store, CacheDisk cacheDisk, Clock clock) throws IOException {
        checkCacheDisk(config, cacheDisk);
        if (cacheDisk != null
                && config.mode() != VolumeMode.WRITE_THROUGH
                && CachedChunks.hasDirtyChunks(cacheDisk, config.cacheSpace())) {
            throw new VolumeException(
                    VolumeError.EXIST,
                    "volume " + config.name() + ": " + cacheDisk + " holds data not yet uploaded under namespace "
                            + config.cacheSpace() + "; use recover");
        }
        BlockVolumeDescriptor descriptor = BlockVolumeDescriptor.of(config, clock.instant());
        String key = BucketLayout.volumeDescriptorKey(config.name());
        try {
            store.put(
                    key,
                    ObjectBody.of(descriptor.toJson()),
                    PutOptions.defaults().with(Precondition.ifAbsent()));
        } catch (ObjectStoreException e) {
            if (e.code() == ObjectStoreException.Code.PRECONDITION_FAILED) {
                throw new VolumeException(
                        VolumeError.EXIST, "volume " + config.name() + " exists in bucket; use recover", e);
            }
            throw new VolumeException(VolumeError.IO, "volume " + config.name() + ": writing " + key + " failed", e);
        }
        LOG.info(
                "volume {}: created ({} bytes, {}-byte blocks, {}-byte chunks, {} mode)",
                config.name(),
                config.capacity(),
                config.blockSize(),
                config.chunkSize(),
                config.mode());
        return open(config, descriptor, store, cacheDisk);
    }

    /**
     * Opens an existing volume from its volume.json: after a restart or a crash (uploads of what the cache
     * disk holds dirty resume), or onto an empty cache disk (everything is read from the bucket and cached
     * as it is read).
     *
     * @throws VolumeException {@link VolumeError#NOENT} if the bucket has no such volume,
     *                         {@link VolumeError#INVAL} if its capacity, block size or chunk size differ from
     *                         {@code config}, {@link VolumeError#NOTSUPP} for an encrypted volume or a newer
     *                         format, {@link VolumeError#IO} if the bucket cannot be read
     */
    public static ChunkedBlockVolume recover(BlockVolumeConfig config, ObjectStore store, CacheDisk cacheDisk)
            throws IOException {
        checkCacheDisk(config, cacheDisk);
        BlockVolumeDescriptor descriptor = readDescriptor(config, store);
        checkMatches(config, descriptor);
        return recovered(config, descriptor, store, cacheDisk);
    }

    /**
     * {@link #recover}, except that a configuration whose capacity grew beyond volume.json's (the volume was
     * grown while the gateway was down) grows the volume: volume.json is rewritten before the volume opens
     * at the new capacity.
     *
     * @throws VolumeException {@link VolumeError#INVAL} if the configured capacity is smaller than
     *                         volume.json's (a volume cannot shrink), as well as {@link #recover}'s errors
     */
    public static ChunkedBlockVolume recoverGrowing(BlockVolumeConfig config, ObjectStore store, CacheDisk cacheDisk)
            throws IOException {
        checkCacheDisk(config, cacheDisk);
        BlockVolumeDescriptor descriptor = readDescriptor(config, store);
        if (descriptor.capacity() > config.capacity()) {
            throw new VolumeException(
                    VolumeError.INVAL,
                    "volume " + config.name() + ": the configuration says capacity " + config.capacity()
                            + " but the bucket's volume.json says " + descriptor.capacity()
                            + "; a volume cannot shrink (set capacityBytes to at least " + descriptor.capacity() + ")");
        }
        BlockVolumeConfig found = config.withCapacity(descriptor.capacity());
        checkMatches(found, descriptor);
        ChunkedBlockVolume volume = recovered(found, descriptor, store, cacheDisk);
        try {
            volume.grow(config.capacity());
        } catch (IOException | RuntimeException e) {
            volume.close();
            throw e;
        }
        return volume;
    }

    private static ChunkedBlockVolume recovered(
            BlockVolumeConfig config, BlockVolumeDescriptor descriptor, ObjectStore store, CacheDisk cacheDisk)
            throws IOException {
        LOG.info(
                "volume {}: recovered from the bucket (created {}, {} mode)",
                config.name(),
                descriptor.created(),
                config.mode());
        return open(config, descriptor, store, cacheDisk);
    }

    private static BlockVolumeDescriptor readDescriptor(BlockVolumeConfig config, ObjectStore store)
            throws IOException {
        String key = BucketLayout.volumeDescriptorKey(config.name());
        byte[] json;
        try (ObjectContent content = store.get(key, null)) {
            json = content.readAllBytes();
        } catch (ObjectStoreException e) {
            if (e.code() == ObjectStoreException.Code.NOT_FOUND) {
                throw new VolumeException(
                        VolumeError.NOENT,
                        "volume " + config.name() + " is not in the bucket (no " + key + "); use create",
                        e);
            }
            throw new VolumeException(VolumeError.IO, "volume " + config.name() + ": reading " + key + " failed", e);
        }
        return BlockVolumeDescriptor.fromJson(config.name(), json);
    }

    private static void checkCacheDisk(BlockVolumeConfig config, CacheDisk cacheDisk) throws VolumeException {
        if (config.mode() != VolumeMode.WRITE_THROUGH && cacheDisk == null) {
            throw new VolumeException(
                    VolumeError.INVAL, "volume " + config.name() + ": " + config.mode() + " mode needs a cache disk");
        }
    }

    private static void checkMatches(BlockVolumeConfig config, BlockVolumeDescriptor d) throws VolumeException {
        String name = config.name();
        if (d.capacity() != config.capacity()) {
            throw mismatch(name, "capacity", config.capacity(), d.capacity());
        }
        if (d.blockSize() != config.blockSize()) {
            throw mismatch(name, "block size", config.blockSize(), d.blockSize());
        }
        if (d.chunkSize() != config.chunkSize()) {
            throw mismatch(name, "chunk size", config.chunkSize(), d.chunkSize());
        }
        if (d.encryption() != null) {
            throw new VolumeException(
                    VolumeError.NOTSUPP,
                    "volume " + name + " is encrypted; this gateway does not open encrypted volumes yet");
        }
    }

    private static VolumeException mismatch(String name, String what, long configured, long inBucket) {
        return new VolumeException(
                VolumeError.INVAL,
                "volume " + name + ": the configuration says " + what + " " + configured
                        + " but the bucket's volume.json says " + inBucket);
    }

    private static ChunkedBlockVolume open(
            BlockVolumeConfig config, BlockVolumeDescriptor descriptor, ObjectStore store, CacheDisk cacheDisk)
            throws IOException {
        ChunkObjects objects = new ChunkObjects(store, config.name(), config.chunkSize());
        ChunkAccess chunks = config.mode() == VolumeMode.WRITE_THROUGH
                ? new WriteThroughChunks(config, objects)
                : CachedChunks.open(config, cacheDisk, objects);
        return new ChunkedBlockVolume(config, descriptor, store, chunks);
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public long capacity() {
        return config.capacity();
    }

    @Override
    public int blockSize() {
        return config.blockSize();
    }

    public VolumeMode mode() {
        return config.mode();
    }

    /** What the bucket's volume.json says. */
    public BlockVolumeDescriptor descriptor() {
        return descriptor;
    }

    /**
     * Grows the volume to {@code capacity} bytes while it is open: volume.json is rewritten first (so that a
     * crash leaves the bucket saying the larger size, which only adds zeros), then I/O may reach the new
     * blocks. The same capacity does nothing.
     *
     * @throws VolumeException {@link VolumeError#INVAL} if {@code capacity} is smaller than the current one or
     *                         not a multiple of the block size, {@link VolumeError#IO} if volume.json cannot be
     *                         written (the volume keeps its old capacity), {@link VolumeError#UNAVAILABLE} when
     *                         closed
     */
    public synchronized void grow(long capacity) throws IOException {
        checkOpen();
        BlockVolumeConfig current = config;
        if (capacity == current.capacity()) {
            return;
        }
        if (capacity < current.capacity()) {
            throw new VolumeException(
                    VolumeError.INVAL,
                    "volume " + current.name() + ": cannot shrink from " + current.capacity() + " to " + capacity
                            + " bytes; a volume only grows");
        }
        if (capacity % current.blockSize() != 0) {
            throw new VolumeException(
                    VolumeError.INVAL,
                    "volume " + current.name() + ": capacity " + capacity + " is not a multiple of the "
                            + current.blockSize() + "-byte block size");
        }
        BlockVolumeDescriptor grown = descriptor.withCapacity(capacity);
        String key = BucketLayout.volumeDescriptorKey(current.name());
        try {
            store.put(key, ObjectBody.of(grown.toJson()), PutOptions.defaults());
        } catch (ObjectStoreException e) {
            throw new VolumeException(VolumeError.IO, "volume " + current.name() + ": writing " + key + " failed", e);
        }
        BlockVolumeConfig next = current.withCapacity(capacity);
        chunks.resize(next);
        descriptor = grown;
        config = next;
        LOG.info("volume {}: grown from {} to {} bytes", current.name(), current.capacity(), capacity);
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        long length = dst.remaining();
        checkRange("read", offset, length);
        long pos = offset;
        while (dst.hasRemaining()) {
            long index = pos / config.chunkSize();
            int within = (int) (pos % config.chunkSize());
            int n = Math.min(dst.remaining(), config.chunkSize() - within);
            ByteBuffer piece = dst.slice(dst.position(), n);
            chunks.read(index, within, piece);
            dst.position(dst.position() + n);
            pos += n;
        }
        if (length > 0) {
            chunks.readCompleted(offset, length);
        }
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        checkRange("write", offset, src.remaining());
        long pos = offset;
        while (src.hasRemaining()) {
            long index = pos / config.chunkSize();
            int within = (int) (pos % config.chunkSize());
            int n = Math.min(src.remaining(), config.chunkSize() - within);
            ByteBuffer piece = src.slice(src.position(), n);
            chunks.write(index, within, piece, within == 0 && n == chunkLength(index), fua);
            src.position(src.position() + n);
            pos += n;
        }
    }

    @Override
    public void unmap(long offset, long length) throws IOException {
        checkRange("unmap", offset, length);
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            long index = pos / config.chunkSize();
            int within = (int) (pos % config.chunkSize());
            int n = (int) Math.min(end - pos, chunkLength(index) - within);
            if (within == 0 && n == chunkLength(index)) {
                chunks.discard(index);
            } else {
                chunks.write(index, within, ByteBuffer.allocate(n), false, false);
            }
            pos += n;
        }
    }

    @Override
    public void flush() throws IOException {
        checkOpen();
        chunks.flush();
    }

    @Override
    public BucketSync bucketSync() {
        return chunks.bucketSync();
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            chunks.close();
            LOG.info("volume {}: closed", config.name());
        }
    }

    private int chunkLength(long index) {
        return (int) Math.min(config.chunkSize(), config.capacity() - index * config.chunkSize());
    }

    private void checkOpen() throws VolumeException {
        if (closed.get()) {
            throw new VolumeException(VolumeError.UNAVAILABLE, "volume " + config.name() + " is closed");
        }
    }

    private void checkRange(String what, long offset, long length) throws VolumeException {
        checkOpen();
        int bs = config.blockSize();
        if (offset < 0 || length < 0 || offset % bs != 0 || length % bs != 0) {
            throw new VolumeException(
                    VolumeError.INVAL,
                    "volume " + config.name() + ": " + what + " of " + length + " bytes at " + offset
                            + " is not aligned to the " + bs + "-byte block size");
        }
        if (offset > config.capacity() || length > config.capacity() - offset) {
            throw new VolumeException(
                    VolumeError.INVAL,
                    "volume " + config.name() + ": " + what + " of " + length + " bytes at " + offset
                            + " runs past the capacity " + config.capacity());
        }
    }

    @Override
    public String toString() {
        return "block volume " + config.name() + " (" + config.mode() + ")";
    }
}
