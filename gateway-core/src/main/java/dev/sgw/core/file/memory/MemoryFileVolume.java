package dev.sgw.core.file.memory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.sgw.core.volume.BucketSync;
import dev.sgw.core.volume.Caller;
import dev.sgw.core.volume.ChangeAction;
import dev.sgw.core.volume.ChangeEvent;
import dev.sgw.core.volume.ChangeSource;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.DirChanges;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileNames;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.FsStats;
import dev.sgw.core.volume.NamedAttributes;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.ReadResult;
import dev.sgw.core.volume.RenameMode;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeChanges;
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
 *
 * <p>Changes: like {@code ShareVolume}, it tells its {@link VolumeChanges} listener ({@link #observe}) of
 * every change with the same {@link ChangeEvent}s: ADDED by create, exclusive create, mkdir, symlink and
 * link; REMOVED by remove and rmdir; RENAMED_OLD_NAME then RENAMED_NEW_NAME by a rename within a directory
 * (REMOVED then ADDED by one to another); MODIFIED by write,
 * deallocate and a setattr of the size; ATTRIBUTES by any other setattr. A change collects its events while
 * it holds the lock and hands them to the listener after releasing it, on the changing thread.
 */
public final class MemoryFileVolume implements FileVolume, ChangeSource {
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
    /** The events of the change holding the write lock, handed to {@link #changes} once it is released. */
    private final List<ChangeEvent> events = new ArrayList<>();
    /** Told of every change (the volume's FileSharing); null: nobody. */
    private volatile VolumeChanges changes;

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
    public void observe(VolumeChanges listener) {
        this.changes = listener;
    }

    @Override
    public Optional<PathStep> placeOf(long inode) {
        if (inode == ROOT_INODE) {
            return Optional.empty();
        }
        try {
            return reading(() -> namespace
                    .find(inode)
                    .filter(n -> !n.links.isEmpty())
                    .map(n -> new PathStep(
                            n.links.getFirst().parent(), n.links.getFirst().name())));
        } catch (VolumeException closedVolume) {
            return Optional.empty();
        }
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
    public NavigableMap<String, byte[]> namedAttributes(NodeId node) throws VolumeException {
        return reading(() -> {
            NavigableMap<String, byte[]> copy = new TreeMap<>();
            namespace.require(node).named.forEach((name, value) -> copy.put(name, value.clone()));
            return copy;
        });
    }

    @Override
    public FileAttributes setNamedAttribute(NodeId node, String name, byte[] value) throws VolumeException {
        return changing(() -> {
            MemoryNode n = namespace.require(node);
            NamedAttributes.checkChange(n.named, name, value);
            boolean changed = true;
            if (value != null) {
                n.named.put(name, value.clone());
            } else {
                changed = n.named.remove(name) != null;
            }
            if (changed) {
                n.touchAttributes(MemoryNode.now());
                emit(ChangeAction.ATTRIBUTES, n);
            }
            return n.attributes();
        });
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
    public FileAttributes create(NodeId dir, String name, CreateMode mode, SetAttributes initial, DirChanges changes)
            throws VolumeException {
        return changing(() -> inDirs(changes, dir, dir, () -> {
            MemoryNamespace.Made made =
                    namespace.make(dir, name, FileType.REGULAR, null, mode == CreateMode.GUARDED, initial);
            if (!made.created() && !initial.equals(SetAttributes.NONE)) {
                return setattr(made.node(), initial);
            }
            return created(dir, name, made, initial);
        }));
    }

    @Override
    public FileAttributes createExclusive(
            NodeId dir, String name, long verifier, SetAttributes initial, DirChanges changes) throws VolumeException {
        return changing(() -> inDirs(
                changes,
                dir,
                dir,
                () -> created(
                        dir,
                        name,
                        namespace.make(dir, name, FileType.REGULAR, null, true, verifier, initial),
                        initial)));
    }

    /** Reports a new regular file and gives it the size {@code initial} asks for; an existing one as it is. */
    private FileAttributes created(NodeId dir, String name, MemoryNamespace.Made made, SetAttributes initial)
            throws VolumeException {
        if (!made.created()) {
            return made.node().attributes();
        }
        emit(ChangeAction.ADDED, dir.inode(), name, made.node());
        if (initial.size() != null && initial.size() != 0) {
            return setattr(made.node(), SetAttributes.size(initial.size()));
        }
        return made.node().attributes();
    }

    @Override
    public FileAttributes mkdir(NodeId dir, String name, SetAttributes initial, DirChanges changes)
            throws VolumeException {
        return changing(() -> inDirs(
                changes,
                dir,
                dir,
                () -> added(
                        dir,
                        name,
                        namespace
                                .make(dir, name, FileType.DIRECTORY, null, true, initial)
                                .node())));
    }

    @Override
    public FileAttributes symlink(NodeId dir, String name, String target, SetAttributes initial, DirChanges changes)
            throws VolumeException {
        return changing(() -> inDirs(changes, dir, dir, () -> {
            FileNames.checkSymlinkTarget(target);
            return added(
                    dir,
                    name,
                    namespace
                            .make(dir, name, FileType.SYMLINK, target, true, initial)
                            .node());
        }));
    }

    @Override
    public FileAttributes link(NodeId node, NodeId dir, String name, DirChanges changes) throws VolumeException {
        return changing(() -> inDirs(changes, dir, dir, () -> added(dir, name, namespace.link(node, dir, name))));
    }

    private FileAttributes added(NodeId dir, String name, MemoryNode made) {
        emit(ChangeAction.ADDED, dir.inode(), name, made);
        return made.attributes();
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
    public void remove(NodeId dir, String name, DirChanges changes) throws VolumeException {
        changing(() -> inDirs(changes, dir, dir, () -> {
            emit(ChangeAction.REMOVED, dir.inode(), name, namespace.remove(dir, name, false));
            return null;
        }));
    }

    @Override
    public void rmdir(NodeId dir, String name, DirChanges changes) throws VolumeException {
        changing(() -> inDirs(changes, dir, dir, () -> {
            emit(ChangeAction.REMOVED, dir.inode(), name, namespace.remove(dir, name, true));
            return null;
        }));
    }

    @Override
    public void rename(
            NodeId fromDir, String fromName, NodeId toDir, String toName, RenameMode mode, DirChanges changes)
            throws VolumeException {
        Objects.requireNonNull(mode, "mode");
        changing(() -> inDirs(changes, fromDir, toDir, () -> {
            MemoryNode moved = namespace.rename(fromDir, fromName, toDir, toName, mode);
            // as Windows reports them: a move to another directory is a removal there and an addition here
            boolean moves = fromDir.inode() != toDir.inode();
            emit(moves ? ChangeAction.REMOVED : ChangeAction.RENAMED_OLD_NAME, fromDir.inode(), fromName, moved);
            emit(moves ? ChangeAction.ADDED : ChangeAction.RENAMED_NEW_NAME, toDir.inode(), toName, moved);
            return null;
        }));
    }

    /**
     * Runs a change of the entries of {@code first} and {@code second} (the same directory for all but a
     * rename) under the write lock, reporting their attributes before and after it to {@code changes} when it
     * succeeds.
     */
    private <T> T inDirs(DirChanges changes, NodeId first, NodeId second, Operation<T> op) throws VolumeException {
        if (!changes.wanted()) {
            return op.run();
        }
        FileAttributes firstBefore = dirAttributes(first);
        FileAttributes secondBefore = dirAttributes(second);
        T result = op.run(); // fails as it would without a report when a directory is not there
        changes.report(firstBefore, namespace.requireDir(first).attributes());
        if (second.inode() != first.inode()) {
            changes.report(secondBefore, namespace.requireDir(second).attributes());
        }
        return result;
    }

    /** The attributes of {@code dir} now, or null when it is not there (the change then fails). */
    private FileAttributes dirAttributes(NodeId dir) {
        return namespace.find(dir.inode()).map(MemoryNode::attributes).orElse(null);
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
            emit(ChangeAction.MODIFIED, f);
            Stability reached = stability == Stability.UNSTABLE ? Stability.UNSTABLE : Stability.FILE_SYNC;
            return new WriteResult(n, reached, f.attributes());
        });
    }

    /** Zeros the range in memory: chunks it covers whole are dropped, so they hold no memory. */
    @Override
    public FileAttributes deallocate(NodeId file, long offset, long length) throws VolumeException {
        return changing(() -> {
            if (offset < 0 || length < 0) {
                throw new VolumeException(VolumeError.INVAL, "deallocate of " + length + " bytes at " + offset);
            }
            MemoryNode f = regular(namespace.require(file));
            long end = Math.min(f.size, offset + Math.min(length, MAX_FILE_BYTES));
            if (offset < end) {
                f.content.zero(offset, end);
                f.touchContent(MemoryNode.now());
            }
            emit(ChangeAction.MODIFIED, f);
            return f.attributes();
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
            return caller.granted(n.mode, n.uid, n.gid, n.isDirectory()) & wanted;
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

    /**
     * Applies a setattr to {@code n}, holding the write lock: the size first, then the other attributes and
     * the change time (given, or now). Reports MODIFIED for a size change, else ATTRIBUTES if anything changed.
     */
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
        boolean more = change.mode() != null
                || change.uid() != null
                || change.gid() != null
                || change.atime() != null
                || change.mtime() != null
                || change.ctime() != null
                || change.btime() != null
                || change.dosAttributes() != null;
        if (more) {
            apply(n, change);
        }
        if (more || change.size() != null) {
            emit(change.size() != null ? ChangeAction.MODIFIED : ChangeAction.ATTRIBUTES, n);
        }
        return n.attributes();
    }

    /** Sets the attributes {@code change} asks for but the size, then the change time (given or now). */
    private static void apply(MemoryNode n, SetAttributes change) {
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
        if (change.btime() != null) {
            n.btime = change.btime();
        }
        if (change.dosAttributes() != null) {
            n.dos = change.dosAttributes().bits();
        }
        n.touchAttributes(MemoryNode.now());
        if (change.ctime() != null) {
            n.ctime = change.ctime();
        }
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

    /**
     * Runs a change alone, then reports the events it collected without the lock (also those of a change
     * that failed after part of it was done, such as a create whose size could not be set).
     */
    private <T> T changing(Operation<T> op) throws VolumeException {
        List<ChangeEvent> happened = new ArrayList<>();
        try {
            Lock held = lock.writeLock();
            held.lock();
            try {
                events.clear();
                return run(op);
            } finally {
                happened.addAll(events);
                events.clear();
                held.unlock();
            }
        } finally {
            VolumeChanges listener = changes;
            if (listener != null) {
                happened.forEach(listener::changed);
            }
        }
    }

    /** Notes a change of {@code name} in {@code dir} (holding the write lock) for the listener, if any. */
    private void emit(ChangeAction action, long dir, String name, MemoryNode file) {
        if (changes != null) {
            events.add(new ChangeEvent(action, dir, name, file.inode, file.isDirectory(), false));
        }
    }

    /** Notes a change of {@code file} under its first name; the root has none and is not reported. */
    private void emit(ChangeAction action, MemoryNode file) {
        if (!file.links.isEmpty()) {
            MemoryNode.Link at = file.links.getFirst();
            emit(action, at.parent(), at.name(), file);
        }
    }

    private <T> T holding(Lock held, Operation<T> op) throws VolumeException {
        held.lock();
        try {
            return run(op);
        } finally {
            held.unlock();
        }
    }

    /** Runs {@code op} holding a lock: UNAVAILABLE once closed. */
    private <T> T run(Operation<T> op) throws VolumeException {
        if (closed) {
            throw new VolumeException(VolumeError.UNAVAILABLE, "volume " + name + " is closed");
        }
        return op.run();
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
