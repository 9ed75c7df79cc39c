package dev.sgw.core.file.memory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.sgw.core.volume.BucketSync;
import dev.sgw.core.volume.Caller;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileNames;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.FsStats;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.ReadResult;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.WriteResult;

/**
 * A {@link FileVolume} in memory, for protocol unit tests: the same namespace, attribute, data and error
 * rules as {@code ShareVolume} ({@link MemoryNamespace}, {@link MemoryNode}, {@link SparseContent}), and
 * the same {@code FileVolumeContract} proves it, with no metadata store, cache disk or bucket. Nothing is
 * durable beyond the object's life; writes report the stability {@code ShareVolume} reports (UNSTABLE as
 * asked, FILE_SYNC otherwise), and {@link #bucketSync()} never has anything pending.
 *
 * <table>
 *   <caption>States</caption>
 *   <tr><th>state</th><th>meaning</th></tr>
 *   <tr><td>OPEN</td><td>after construction: every operation works</td></tr>
 *   <tr><td>CLOSED</td><td>after {@link #close()}: every operation fails with UNAVAILABLE</td></tr>
 * </table>
 *
 * <p>Thread-safe: one read-write lock over the whole volume; lookups, listings and reads share it,
 * changes hold it alone, so every operation is atomic.
 */
public final class MemoryFileVolume implements FileVolume {
    /** The size of the pieces file content is kept in (tests cross their boundaries). */
    public static final int CHUNK_BYTES = SparseContent.CHUNK_BYTES;
    /** The largest file, as in {@code ShareVolume}. */
    public static final long MAX_FILE_BYTES = 1L << 50;

    private static final long MAX_FILES = 1L << 40;
    private static final BucketSync NO_BUCKET = new NoBucket();

    /**
     * What a new volume looks like.
     *
     * @param capacityBytes   what {@code statfs} reports as the volume's size
     * @param defaultUid      owner of the root and of new files when none is given
     * @param defaultGid      group, likewise
     * @param defaultFileMode permission bits of new regular files when none are given
     * @param defaultDirMode  permission bits of the root and of new directories when none are given
     */
    public record Settings(
            long capacityBytes, int defaultUid, int defaultGid, int defaultFileMode, int defaultDirMode) {
        /** 256 TiB, root-owned, files 0644 and directories 0755 (a share's defaults). */
        public static final Settings DEFAULTS = new Settings(256L << 40, 0, 0, 0644, 0755);

        public Settings {
            if (capacityBytes <= 0) {
                throw new IllegalArgumentException("capacity must be positive: " + capacityBytes);
            }
            if ((defaultFileMode & ~07777) != 0 || (defaultDirMode & ~07777) != 0) {
                throw new IllegalArgumentException("default modes are permission bits (0..07777)");
            }
        }
    }

    private final String name;
    private final Settings settings;
    private final MemoryNamespace namespace;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final long writeVerifier = ThreadLocalRandom.current().nextLong() | 1;
    private volatile boolean closed;

    /** An empty volume with the {@link Settings#DEFAULTS}. */
    public MemoryFileVolume(String name) {
        this(name, Settings.DEFAULTS);
    }

    /** An empty volume: a root directory only. */
    public MemoryFileVolume(String name, Settings settings) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.namespace = new MemoryNamespace(settings);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public NodeId root() {
        return new NodeId(ROOT_INODE, 1);
    }

    @Override
    public long writeVerifier() {
        return writeVerifier;
    }

    @Override
    public FileAttributes getattr(NodeId node) throws VolumeException {
        return reading(() -> namespace.require(node).attributes());
    }

    @Override
    public FileAttributes setattr(NodeId node, SetAttributes change) throws VolumeException {
        return changing(() -> setattr(namespace.require(node), change));
    }

    @Override
    public FileAttributes lookup(NodeId dir, String name) throws VolumeException {
        return reading(() -> namespace.lookup(dir, name).attributes());
    }

    @Override
    public FileAttributes parent(NodeId node) throws VolumeException {
        return reading(() -> namespace.parent(node).attributes());
    }

    @Override
    public FileAttributes create(NodeId dir, String name, CreateMode mode, SetAttributes initial)
            throws VolumeException {
        return changing(() -> {
            MemoryNamespace.Made made =
                    namespace.make(dir, name, FileType.REGULAR, null, mode == CreateMode.GUARDED, initial);
            if (!made.created() && !initial.equals(SetAttributes.NONE)) {
                return setattr(made.node(), initial);
            }
            if (made.created() && initial.size() != null && initial.size() != 0) {
                return setattr(made.node(), SetAttributes.size(initial.size()));
            }
            return made.node().attributes();
        });
    }

    @Override
    public FileAttributes mkdir(NodeId dir, String name, SetAttributes initial) throws VolumeException {
        return changing(() -> namespace
                .make(dir, name, FileType.DIRECTORY, null, true, initial)
                .node()
                .attributes());
    }

    @Override
    public FileAttributes symlink(NodeId dir, String name, String target, SetAttributes initial)
            throws VolumeException {
        return changing(() -> {
            FileNames.checkSymlinkTarget(target);
            return namespace
                    .make(dir, name, FileType.SYMLINK, target, true, initial)
                    .node()
                    .attributes();
        });
    }

    @Override
    public FileAttributes link(NodeId node, NodeId dir, String name) throws VolumeException {
        return changing(() -> namespace.link(node, dir, name).attributes());
    }

    @Override
    public String readlink(NodeId node) throws VolumeException {
        return reading(() -> {
            MemoryNode n = namespace.require(node);
            if (n.type != FileType.SYMLINK) {
                throw new VolumeException(VolumeError.INVAL, "inode " + node.inode() + " is not a symbolic link");
            }
            return n.symlink;
        });
    }

    @Override
    public void remove(NodeId dir, String name) throws VolumeException {
        changing(() -> {
            namespace.remove(dir, name, false);
            return null;
        });
    }

    @Override
    public void rmdir(NodeId dir, String name) throws VolumeException {
        changing(() -> {
            namespace.remove(dir, name, true);
            return null;
        });
    }

    @Override
    public void rename(NodeId fromDir, String fromName, NodeId toDir, String toName) throws VolumeException {
        changing(() -> {
            namespace.rename(fromDir, fromName, toDir, toName);
            return null;
        });
    }

    @Override
    public DirPage readdir(NodeId dir, long cookie, long verifier, int maxEntries) throws VolumeException {
        return reading(() -> namespace.readdir(dir, cookie, verifier, maxEntries));
    }

    @Override
    public ReadResult read(NodeId file, long offset, ByteBuffer dst) throws VolumeException {
        return reading(() -> {
            checkOffset(offset);
            MemoryNode f = regular(namespace.require(file));
            if (offset >= f.size) {
                return new ReadResult(0, true);
            }
            int n = (int) Math.min(dst.remaining(), f.size - offset);
            f.content.read(offset, dst, n);
            return new ReadResult(n, offset + n >= f.size);
        });
    }

    @Override
    public WriteResult write(NodeId file, long offset, ByteBuffer src, Stability stability) throws VolumeException {
        int n = src.remaining();
        return changing(() -> {
            checkOffset(offset);
            if (offset > MAX_FILE_BYTES - n) {
                throw new VolumeException(VolumeError.FBIG, "a file may hold at most " + MAX_FILE_BYTES + " bytes");
            }
            MemoryNode f = regular(namespace.require(file));
            f.content.write(offset, src);
            long grown = Math.max(0, offset + n - f.size);
            f.size += grown;
            namespace.sizeChanged(grown);
            f.touchContent(MemoryNode.now());
            Stability reached = stability == Stability.UNSTABLE ? Stability.UNSTABLE : Stability.FILE_SYNC;
            return new WriteResult(n, reached, f.attributes());
        });
    }

    /** Nothing to make durable: checks only that the file still exists. */
    @Override
    public void commit(NodeId file) throws VolumeException {
        reading(() -> namespace.require(file));
    }

    @Override
    public FsStats statfs() throws VolumeException {
        return reading(() -> new FsStats(
                settings.capacityBytes(),
                Math.max(0, settings.capacityBytes() - namespace.bytes()),
                MAX_FILES,
                Math.max(0, MAX_FILES - namespace.files()),
                FileNames.MAX_NAME_BYTES,
                MAX_FILE_BYTES));
    }

    @Override
    public int access(NodeId node, Caller caller, int wanted) throws VolumeException {
        return reading(() -> {
            MemoryNode n = namespace.require(node);
            int granted;
            if (caller.uid() == 0) {
                boolean anyExecute = (n.mode & 0111) != 0 || n.isDirectory();
                granted = ACCESS_READ | ACCESS_WRITE | (anyExecute ? ACCESS_EXECUTE : 0);
            } else if (caller.uid() == n.uid) {
                granted = (n.mode >> 6) & 7;
            } else if (caller.inGroup(n.gid)) {
                granted = (n.mode >> 3) & 7;
            } else {
                granted = n.mode & 7;
            }
            return granted & wanted;
        });
    }

    /** No bucket: nothing is ever pending, and waiting for uploads returns at once. */
    @Override
    public BucketSync bucketSync() {
        return NO_BUCKET;
    }

    @Override
    public void close() {
        Lock held = lock.writeLock();
        held.lock();
        try {
            closed = true;
        } finally {
            held.unlock();
        }
    }

    // ---- internals -------------------------------------------------------------------------------

    /** Applies a setattr to {@code n}, holding the write lock. */
    private FileAttributes setattr(MemoryNode n, SetAttributes change) throws VolumeException {
        if (change.size() != null) {
            if (n.isDirectory()) {
                throw new VolumeException(VolumeError.ISDIR, "cannot set the size of a directory");
            }
            if (n.type != FileType.REGULAR) {
                throw new VolumeException(VolumeError.INVAL, "cannot set the size of a symbolic link");
            }
            truncate(n, change.size());
        }
        if (change.mode() == null
                && change.uid() == null
                && change.gid() == null
                && change.atime() == null
                && change.mtime() == null) {
            return n.attributes();
        }
        if (change.mode() != null) {
            n.mode = change.mode() & 07777;
        }
        if (change.uid() != null) {
            n.uid = change.uid();
        }
        if (change.gid() != null) {
            n.gid = change.gid();
        }
        if (change.atime() != null) {
            n.atime = change.atime();
        }
        if (change.mtime() != null) {
            n.mtime = change.mtime();
        }
        n.touchAttributes(MemoryNode.now());
        return n.attributes();
    }

    /** Sets a regular file's size: bytes past a smaller size are forgotten, a larger one reads as zeros. */
    private void truncate(MemoryNode f, long size) throws VolumeException {
        if (size < 0) {
            throw new VolumeException(VolumeError.INVAL, "negative size " + size);
        }
        if (size > MAX_FILE_BYTES) {
            throw new VolumeException(VolumeError.FBIG, "a file may hold at most " + MAX_FILE_BYTES + " bytes");
        }
        f.content.truncate(size);
        namespace.sizeChanged(size - f.size);
        f.size = size;
        f.touchContent(MemoryNode.now());
    }

    private static void checkOffset(long offset) throws VolumeException {
        if (offset < 0) {
            throw new VolumeException(VolumeError.INVAL, "negative offset " + offset);
        }
    }

    private static MemoryNode regular(MemoryNode n) throws VolumeException {
        if (n.isDirectory()) {
            throw new VolumeException(VolumeError.ISDIR, "inode " + n.inode + " is a directory");
        }
        if (n.type != FileType.REGULAR) {
            throw new VolumeException(VolumeError.INVAL, "inode " + n.inode + " is not a regular file");
        }
        return n;
    }

    @FunctionalInterface
    private interface Operation<T> {
        T run() throws VolumeException;
    }

    /** Runs a lookup, listing or read: with others of its kind, never during a change. */
    private <T> T reading(Operation<T> op) throws VolumeException {
        return holding(lock.readLock(), op);
    }

    /** Runs a change alone. */
    private <T> T changing(Operation<T> op) throws VolumeException {
        return holding(lock.writeLock(), op);
    }

    private <T> T holding(Lock held, Operation<T> op) throws VolumeException {
        held.lock();
        try {
            if (closed) {
                throw new VolumeException(VolumeError.UNAVAILABLE, "volume " + name + " is closed");
            }
            return op.run();
        } finally {
            held.unlock();
        }
    }

    /** The {@link BucketSync} of a volume without a bucket. */
    private static final class NoBucket implements BucketSync {
        @Override
        public Backlog backlog() {
            return new Backlog(0, 0, 0, 0, 0, 0);
        }

        @Override
        public void uploadNow() {}

        @Override
        public boolean awaitUploaded(Duration timeout) {
            return true;
        }
    }
}
