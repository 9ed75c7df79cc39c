package dev.sgw.core.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.sgw.cache.CacheFullException;
import dev.sgw.cache.ChunkId;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.meta.Durability;
import dev.sgw.core.meta.MetaSnapshot;
import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.volume.BucketSync;
import dev.sgw.core.volume.Caller;
import dev.sgw.core.volume.ChangeAction;
import dev.sgw.core.volume.ChangeEvent;
import dev.sgw.core.volume.ChangeSource;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.DirChanges;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileAttributes;
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
import dev.sgw.core.volume.VolumeMode;
import dev.sgw.core.volume.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FileVolume} of one file share: its namespace in the {@link MetadataStore}
 * ({@link Namespace}, {@link InodeTable}), its file content as chunks of a {@link CacheDisk}
 * ({@link FileData}), and its bucket (an {@link ObjectStore} rooted at the share's prefix) for content not
 * cached and for attributes of imported objects. What the bucket must be told is journaled with each
 * change; an uploader takes it from {@link #writeback()}, and reverse sync reports the bucket's changes to
 * {@link #remoteChanges()}.
 *
 * <table>
 *   <caption>States</caption>
 *   <tr><th>state</th><th>meaning</th></tr>
 *   <tr><td>OPEN</td><td>after {@link #open}: every operation works</td></tr>
 *   <tr><td>CLOSED</td><td>after {@link #close()}: every operation fails with UNAVAILABLE</td></tr>
 * </table>
 *
 * <p>Attributes of an object seen in the bucket but not yet read ({@code attributesPending}) are read
 * with a HEAD on the first {@code getattr}, {@code lookup}, {@code setattr}, {@code readlink},
 * {@code access} or use of its named attributes; {@code readdir} shows the share's defaults until then. If
 * the HEAD fails the defaults are shown and the HEAD is tried again next time. An imported directory's come
 * from its marker object; one without a marker keeps the defaults. Named attributes come from
 * {@code sgw-named} ({@link BucketLayout}); an object without it keeps the ones the inode has.
 */
// try (var held = ...lock(...)): the resource is a held inode lock, scoped by the block, never referenced
@SuppressWarnings("try")
public final class ShareVolume implements FileVolume, ChangeSource {
    private static final Logger LOG = LoggerFactory.getLogger(ShareVolume.class);
    private static final int MAX_SYMLINK_BYTES = 4095;
    private static final long MAX_FILES = 1L << 40;

    /** Turns a stored inode into the attributes a caller sees. */
    @FunctionalInterface
    interface Attributes {
        FileAttributes of(InodeRecord r);
    }

    private final FileShareConfig config;
    private final CacheDisk disk;
    private final ObjectStore bucket;
    private final InodeTable table;
    private final FileData data;
    private final Namespace namespace;
    private final ShareWriteback writeback;
    private final ShareRemoteChanges remoteChanges;
    /** Told of every change (the volume's FileSharing, for lease breaks and change watches); null: nobody. */
    private volatile VolumeChanges changes;

    private final ThreadPoolExecutor readAhead;
    private final long writeVerifier = ThreadLocalRandom.current().nextLong() | 1;
    private volatile BucketSync bucketSync;
    private volatile boolean closed;

    private ShareVolume(FileShareConfig config, MetadataStore store, CacheDisk disk, ObjectStore bucket)
            throws IOException {
        this.config = config;
        this.disk = disk;
        this.bucket = bucket;
        this.table = new InodeTable(store, config);
        this.readAhead = new ThreadPoolExecutor(
                2,
                2,
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64),
                Thread.ofPlatform()
                        .daemon()
                        .name("read-ahead-" + config.name() + "-", 0)
                        .factory(),
                new ThreadPoolExecutor.AbortPolicy());
        this.readAhead.allowCoreThreadTimeOut(true);
        this.data = new FileData(table, disk.cache(), bucket, readAhead);
        this.namespace = new Namespace(table, data);
        this.writeback = new ShareWriteback(table, data, disk.cache(), config);
        this.remoteChanges = new ShareRemoteChanges(table, namespace, data);
        this.writeback.connect(namespace, remoteChanges);
        this.bucketSync = new JournalBacklog(table);
    }

    /**
     * Opens (creating on first use) share {@code config.volumeId()} in {@code store}, with its chunks in
     * {@code disk} (retained in SYNC mode) and its bucket {@code bucket}, already rooted at the share's
     * prefix. Chunks left dirty by an earlier process whose files are not marked pending are marked now.
     * The caller keeps ownership of the store, disk and bucket.
     */
    public static ShareVolume open(FileShareConfig config, MetadataStore store, CacheDisk disk, ObjectStore bucket)
            throws IOException {
        Objects.requireNonNull(config, "config");
        ShareVolume v = new ShareVolume(config, store, disk, bucket);
        v.table.openOrCreateRoot();
        FoldedNameIndex.open(v.table);
        for (long orphan : v.table.orphans()) {
            v.namespace.releaseIfClosed(orphan); // removed while open before a restart: nobody holds it now
        }
        List<ChunkId> dirty = disk.attach(config.chunkSpace(), config.mode() == VolumeMode.SYNC, id -> {});
        v.writeback.markDirtyChunksPending(dirty);
        return v;
    }

    /** The seam an uploader works through: the journal, file versions to upload, outcomes. */
    public WritebackSource writeback() {
        return writeback;
    }

    /** The seam reverse sync and share import work through. */
    public RemoteChanges remoteChanges() {
        return remoteChanges;
    }

    /** Installs the uploader's view of the backlog (by default: the journal's length, nothing uploads). */
    public void useBucketSync(BucketSync sync) {
        this.bucketSync = Objects.requireNonNull(sync, "sync");
    }

    public FileShareConfig config() {
        return config;
    }

    @Override
    public String name() {
        return config.name();
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
        remoteChanges.observe(listener);
        namespace.heldOpenBy(inode -> listener != null && listener.heldOpen(inode));
    }

    @Override
    public void lastClosed(long inode) {
        try {
            guard(() -> {
                namespace.releaseIfClosed(inode);
                return null;
            });
        } catch (IOException e) {
            LOG.warn(
                    "share {}: freeing removed file {} at its last close failed: {}",
                    config.name(),
                    inode,
                    e.toString());
        }
    }

    @Override
    public Optional<PathStep> placeOf(long inode) {
        if (inode == ROOT_INODE) {
            return Optional.empty();
        }
        try {
            return table.load(inode)
                    .filter(r -> !r.links.isEmpty())
                    .map(r -> new PathStep(
                            r.links.getFirst().parent(), r.links.getFirst().name()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Reports a change of {@code name} in {@code dir} to the listener, if there is one. */
    private void emit(ChangeAction action, long dir, String name, FileAttributes file) {
        VolumeChanges listener = changes;
        if (listener != null) {
            listener.changed(new ChangeEvent(action, dir, name, file.inode(), file.isDirectory(), false));
        }
    }

    /** Reports a change of the file {@code r} under its first name. */
    private void emit(ChangeAction action, InodeRecord r) {
        VolumeChanges listener = changes;
        if (listener != null && !r.links.isEmpty()) {
            InodeRecord.Link at = r.links.getFirst();
            listener.changed(new ChangeEvent(action, at.parent(), at.name(), r.inode, r.isDirectory(), false));
        }
    }

    @Override
    public FileAttributes getattr(NodeId node) throws IOException {
        return guard(() -> attributes(resolved(table.require(node))));
    }

    @Override
    public FileAttributes setattr(NodeId node, SetAttributes change) throws IOException {
        return guard(() -> {
            resolved(table.require(node));
            try (var held = table.locks.lock(node.inode())) {
                InodeRecord r = table.require(node);
                if (change.size() != null) {
                    if (r.type == FileType.DIRECTORY) {
                        throw new VolumeException(VolumeError.ISDIR, "cannot set the size of a directory");
                    }
                    if (r.type != FileType.REGULAR) {
                        throw new VolumeException(VolumeError.INVAL, "cannot set the size of a symbolic link");
                    }
                    data.truncate(r, change.size());
                }
                boolean bucketVisible = change.mode() != null
                        || change.uid() != null
                        || change.gid() != null
                        || change.mtime() != null
                        || change.btime() != null
                        || change.dosAttributes() != null;
                if (!bucketVisible && change.atime() == null && change.ctime() == null) {
                    if (change.size() != null) {
                        emit(ChangeAction.MODIFIED, r);
                    }
                    return attributes(r);
                }
                apply(r, change);
                table.store.update(
                        b -> {
                            if (bucketVisible) {
                                table.markPending(b, r);
                            }
                            table.put(b, r);
                        },
                        Durability.DURABLE);
                emit(change.size() != null ? ChangeAction.MODIFIED : ChangeAction.ATTRIBUTES, r);
                return attributes(r);
            }
        });
    }

    @Override
    public NavigableMap<String, byte[]> namedAttributes(NodeId node) throws IOException {
        return guard(() -> {
            resolved(table.require(node)); // an imported object's are in its metadata
            try (MetaSnapshot snap = table.store.snapshot()) {
                return table.namedAttributes(snap, table.require(snap, node));
            }
        });
    }

    @Override
    public FileAttributes setNamedAttribute(NodeId node, String name, byte[] value) throws IOException {
        byte[] kept = value == null ? null : value.clone();
        return guard(() -> {
            resolved(table.require(node));
            try (var held = table.locks.lock(node.inode())) {
                InodeRecord r = table.require(node);
                NavigableMap<String, byte[]> named = table.namedAttributes(table.store, r);
                NamedAttributes.checkChange(named, name, kept);
                if (kept != null) {
                    named.put(name, kept);
                } else if (named.remove(name) == null) {
                    return attributes(r); // removing one that is not there changes nothing
                }
                r.touchAttributes(InodeTable.now());
                table.store.update(
                        b -> {
                            table.markPending(b, r); // the bucket keeps them with the other attributes
                            table.putNamedAttributes(b, r, named);
                            table.put(b, r);
                        },
                        Durability.DURABLE);
                emit(ChangeAction.ATTRIBUTES, r);
                return attributes(r);
            }
        });
    }

    /** Sets the attributes {@code change} asks for but the size, then the change time (given or now). */
    private static void apply(InodeRecord r, SetAttributes change) {
        if (change.mode() != null) {
            r.mode = change.mode() & 07777;
        }
        if (change.uid() != null) {
            r.uid = change.uid();
        }
        if (change.gid() != null) {
            r.gid = change.gid();
        }
        if (change.atime() != null) {
            r.atime = change.atime();
        }
        if (change.mtime() != null) {
            r.mtime = change.mtime();
        }
        if (change.btime() != null) {
            r.btime = change.btime();
        }
        if (change.dosAttributes() != null) {
            r.dos = change.dosAttributes().bits();
        }
        r.touchAttributes(InodeTable.now());
        if (change.ctime() != null) {
            r.ctime = change.ctime();
        }
    }

    @Override
    public FileAttributes lookup(NodeId dir, String name) throws IOException {
        return guard(() -> attributes(resolved(namespace.lookup(dir, name))));
    }

    @Override
    public FileAttributes parent(NodeId node) throws IOException {
        return guard(() -> attributes(resolved(parentRecord(node))));
    }

    @Override
    public FileAttributes create(NodeId dir, String name, CreateMode mode, SetAttributes initial, DirChanges changes)
            throws IOException {
        return guard(() -> {
            Namespace.Made made = namespace.make(
                    dir, name, FileType.REGULAR, null, mode == CreateMode.GUARDED, null, initial, changes);
            NodeId id = made.inode().id();
            if (!made.created() && !initial.equals(SetAttributes.NONE)) {
                return setattr(id, initial);
            }
            if (made.created()) {
                emit(ChangeAction.ADDED, dir.inode(), name, attributes(made.inode()));
            }
            if (made.created() && initial.size() != null && initial.size() != 0) {
                return setattr(id, SetAttributes.size(initial.size()));
            }
            return attributes(made.inode());
        });
    }

    @Override
    public FileAttributes createExclusive(
            NodeId dir, String name, long verifier, SetAttributes initial, DirChanges changes) throws IOException {
        return guard(() -> {
            Namespace.Made made = namespace.make(dir, name, FileType.REGULAR, null, true, verifier, initial, changes);
            if (made.created()) {
                emit(ChangeAction.ADDED, dir.inode(), name, attributes(made.inode()));
            }
            if (made.created() && initial.size() != null && initial.size() != 0) {
                return setattr(made.inode().id(), SetAttributes.size(initial.size()));
            }
            return attributes(made.inode());
        });
    }

    @Override
    public FileAttributes mkdir(NodeId dir, String name, SetAttributes initial, DirChanges changes) throws IOException {
        return guard(() -> added(
                dir,
                name,
                attributes(namespace
                        .make(dir, name, FileType.DIRECTORY, null, true, null, initial, changes)
                        .inode())));
    }

    @Override
    public FileAttributes symlink(NodeId dir, String name, String target, SetAttributes initial, DirChanges changes)
            throws IOException {
        return guard(() -> {
            if (target == null
                    || target.isEmpty()
                    || target.indexOf('\0') >= 0
                    || target.getBytes(StandardCharsets.UTF_8).length > MAX_SYMLINK_BYTES) {
                throw new VolumeException(
                        VolumeError.INVAL,
                        "a symbolic link target is 1.." + MAX_SYMLINK_BYTES + " UTF-8 bytes without NUL");
            }
            return added(
                    dir,
                    name,
                    attributes(namespace
                            .make(dir, name, FileType.SYMLINK, target, true, null, initial, changes)
                            .inode()));
        });
    }

    @Override
    public FileAttributes link(NodeId node, NodeId dir, String name, DirChanges changes) throws IOException {
        return guard(() -> added(dir, name, attributes(namespace.link(node, dir, name, changes))));
    }

    private FileAttributes added(NodeId dir, String name, FileAttributes made) {
        emit(ChangeAction.ADDED, dir.inode(), name, made);
        return made;
    }

    @Override
    public String readlink(NodeId node) throws IOException {
        return guard(() -> {
            InodeRecord r = resolved(table.require(node));
            if (r.type != FileType.SYMLINK) {
                throw new VolumeException(VolumeError.INVAL, "inode " + node.inode() + " is not a symbolic link");
            }
            return r.symlink;
        });
    }

    @Override
    public void remove(NodeId dir, String name, DirChanges report) throws IOException {
        guard(() -> {
            FileAttributes gone = changes == null ? null : attributes(namespace.lookup(dir, name));
            namespace.remove(dir, name, false, false, report);
            if (gone != null) {
                emit(ChangeAction.REMOVED, dir.inode(), name, gone);
            }
            return null;
        });
    }

    @Override
    public void rmdir(NodeId dir, String name, DirChanges report) throws IOException {
        guard(() -> {
            FileAttributes gone = changes == null ? null : attributes(namespace.lookup(dir, name));
            namespace.remove(dir, name, true, false, report);
            if (gone != null) {
                emit(ChangeAction.REMOVED, dir.inode(), name, gone);
            }
            return null;
        });
    }

    @Override
    public void rename(NodeId fromDir, String fromName, NodeId toDir, String toName, RenameMode mode, DirChanges report)
            throws IOException {
        Objects.requireNonNull(mode, "mode");
        guard(() -> {
            FileAttributes moved = changes == null ? null : attributes(namespace.lookup(fromDir, fromName));
            namespace.rename(fromDir, fromName, toDir, toName, mode, report);
            if (moved != null) {
                // as Windows reports them: a move to another directory is a removal there and an addition here
                boolean moves = fromDir.inode() != toDir.inode();
                emit(moves ? ChangeAction.REMOVED : ChangeAction.RENAMED_OLD_NAME, fromDir.inode(), fromName, moved);
                emit(moves ? ChangeAction.ADDED : ChangeAction.RENAMED_NEW_NAME, toDir.inode(), toName, moved);
            }
            return null;
        });
    }

    @Override
    public DirPage readdir(NodeId dir, long cookie, long verifier, int maxEntries) throws IOException {
        return guard(() -> namespace.readdir(dir, cookie, verifier, maxEntries, this::attributes));
    }

    @Override
    public ReadResult read(NodeId file, long offset, ByteBuffer dst) throws IOException {
        return guard(() -> data.read(file, offset, dst));
    }

    @Override
    public WriteResult write(NodeId file, long offset, ByteBuffer src, Stability stability) throws IOException {
        return guard(() -> {
            int n = src.remaining();
            InodeRecord r = data.write(file, offset, src, stability);
            emit(ChangeAction.MODIFIED, r);
            return new WriteResult(
                    n, stability == Stability.UNSTABLE ? Stability.UNSTABLE : Stability.FILE_SYNC, attributes(r));
        });
    }

    @Override
    public FileAttributes deallocate(NodeId file, long offset, long length) throws IOException {
        return guard(() -> {
            InodeRecord r = data.deallocate(file, offset, length);
            emit(ChangeAction.MODIFIED, r);
            return attributes(r);
        });
    }

    @Override
    public void commit(NodeId file) throws IOException {
        guard(() -> {
            table.require(file);
            data.commit(file.inode());
            table.store.sync();
            return null;
        });
    }

    @Override
    public FsStats statfs() throws IOException {
        return guard(() -> {
            long used = table.bytes.get();
            long files = table.files.get();
            return new FsStats(
                    config.capacityBytes(),
                    Math.max(0, config.capacityBytes() - used),
                    MAX_FILES,
                    Math.max(0, MAX_FILES - files),
                    Namespace.MAX_NAME_BYTES,
                    FileData.MAX_FILE_BYTES);
        });
    }

    @Override
    public int access(NodeId node, Caller caller, int wanted) throws IOException {
        return guard(() -> {
            InodeRecord r = resolved(table.require(node));
            return caller.granted(r.mode, r.uid, r.gid, r.isDirectory()) & wanted;
        });
    }

    @Override
    public BucketSync bucketSync() {
        return bucketSync;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        readAhead.shutdownNow();
        disk.detach(config.chunkSpace());
        disk.cache().sync();
        table.store.sync();
    }

    // ---- internals -------------------------------------------------------------------------------

    FileAttributes attributes(InodeRecord r) {
        return r.attributes();
    }

    /**
     * The record of the directory holding {@code node}, from the first of its links. A rename or remove may
     * move the node and free its old parent between the two reads: then the node is read again.
     */
    private InodeRecord parentRecord(NodeId node) throws IOException {
        for (int attempt = 0; ; attempt++) {
            InodeRecord r = table.require(node);
            if (r.inode == ROOT_INODE) {
                return r;
            }
            if (r.links.isEmpty()) {
                throw new VolumeException(VolumeError.STALE, "inode " + r.inode + " has no name left");
            }
            Optional<InodeRecord> parent = table.load(r.links.getFirst().parent());
            if (parent.isPresent()) {
                return parent.get();
            }
            if (attempt >= 100) {
                throw new VolumeException(
                        VolumeError.IO, "the parent of inode " + r.inode + " keeps disappearing while read");
            }
        }
    }

    /**
     * Reads the attributes of an imported object (a directory's marker) from its metadata on first use (see
     * the class comment). An imported directory without a marker has nothing to read: its defaults stay.
     */
    private InodeRecord resolved(InodeRecord r) throws IOException {
        if (!r.attributesPending || r.links.isEmpty()) {
            return r;
        }
        String path = table.paths(r).getFirst();
        ObjectInfo info;
        try {
            info = bucket.head(r.isDirectory() ? path + "/" : path);
        } catch (ObjectStoreException e) {
            LOG.debug("share {}: cannot read the attributes of '{}': {}", config.name(), path, e.getMessage());
            if (r.isDirectory() && e.code() == ObjectStoreException.Code.NOT_FOUND) {
                return settled(r, null, path);
            }
            return r;
        }
        return settled(r, info, path);
    }

    /** Takes the attributes of {@code r} from {@code info}'s metadata (null: none), then none are pending. */
    private InodeRecord settled(InodeRecord r, ObjectInfo info, String path) throws IOException {
        InodeRecord.Link link = r.links.getFirst();
        try (var held = table.locks.lock(r.inode, link.parent())) {
            InodeRecord now = table.load(r.inode).orElse(null);
            // a directory's etag is "" (its marker's is not kept); a file's must be the object's read
            if (now == null
                    || !now.attributesPending
                    || (!now.isDirectory() && (info == null || !Objects.equals(now.etag, info.etag())))) {
                return now == null ? r : now;
            }
            Map<String, String> meta = info == null ? Map.of() : info.userMetadata();
            boolean becomesLink = info != null && takeAttributes(now, meta);
            Optional<NavigableMap<String, byte[]>> named = namedAttributesOf(meta, path);
            now.attributesPending = false;
            now.change++;
            InodeTable.Entry entry = table.entry(link.parent(), link.name()).orElse(null);
            table.store.update(
                    b -> {
                        if (named.isPresent()) {
                            table.putNamedAttributes(b, now, named.get());
                        }
                        table.put(b, now);
                        if (becomesLink && entry != null && entry.child() == now.inode) {
                            table.relink(b, link.parent(), entry, now);
                        }
                    },
                    Durability.BUFFERED);
            return now;
        }
    }

    /** Sets the attributes {@code meta} records on {@code now}; whether that makes it a symbolic link. */
    private static boolean takeAttributes(InodeRecord now, Map<String, String> meta) {
        BucketLayout.mode(meta).ifPresent(m -> now.mode = m);
        BucketLayout.uid(meta).ifPresent(u -> now.uid = u);
        BucketLayout.gid(meta).ifPresent(g -> now.gid = g);
        BucketLayout.mtime(meta).ifPresent(t -> now.mtime = t);
        now.btime = BucketLayout.btime(meta).orElse(now.mtime);
        String target = BucketLayout.symlinkTarget(meta);
        boolean becomesLink = target != null && now.type == FileType.REGULAR && !target.isEmpty();
        if (becomesLink) {
            now.type = FileType.SYMLINK;
            now.symlink = target;
            now.size = target.getBytes(StandardCharsets.UTF_8).length;
            now.contentInBucket = false;
        }
        OptionalInt dos = BucketLayout.dosAttributes(meta);
        now.dos = (dos.isPresent() ? DosAttributes.of(dos.getAsInt()) : DosAttributes.defaultFor(now.type)).bits();
        return becomesLink;
    }

    /**
     * The named attributes the metadata of the object at {@code path} records; empty when it records none or a
     * malformed value (logged: the object's other attributes are still taken).
     */
    private Optional<NavigableMap<String, byte[]>> namedAttributesOf(Map<String, String> meta, String path) {
        try {
            return BucketLayout.namedAttributes(meta);
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "share {}: the {} metadata of '{}' is malformed and ignored: {}",
                    config.name(),
                    BucketLayout.NAMED,
                    path,
                    e.getMessage());
            return Optional.empty();
        }
    }

    @FunctionalInterface
    private interface Operation<T> {
        T run() throws IOException;
    }

    private <T> T guard(Operation<T> op) throws VolumeException {
        if (closed) {
            throw new VolumeException(VolumeError.UNAVAILABLE, "share " + config.name() + " is closed");
        }
        try {
            return op.run();
        } catch (VolumeException e) {
            throw e;
        } catch (CacheFullException e) {
            throw new VolumeException(VolumeError.NOSPC, "share " + config.name() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new VolumeException(VolumeError.IO, "share " + config.name() + ": " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new VolumeException(
                    closed ? VolumeError.UNAVAILABLE : VolumeError.IO,
                    "share " + config.name() + ": " + e.getMessage(),
                    e);
        }
    }

    /** The default {@link BucketSync}: the journal's length as the backlog; nothing uploads by itself. */
    private static final class JournalBacklog implements BucketSync {
        private final InodeTable table;

        JournalBacklog(InodeTable table) {
            this.table = table;
        }

        @Override
        public Backlog backlog() {
            return new Backlog(table.journalLength.get(), 0, 0, 0, 0, 0);
        }

        @Override
        public void uploadNow() {}

        @Override
        public boolean awaitUploaded(java.time.Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (table.journalLength.get() > 0) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
        }
    }
}
