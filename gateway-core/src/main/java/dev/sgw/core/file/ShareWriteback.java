package dev.sgw.core.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

import dev.sgw.cache.ChunkCache;
import dev.sgw.cache.ChunkId;
import dev.sgw.cache.ChunkState;
import dev.sgw.cache.UploadSnapshot;
import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.meta.Durability;
import dev.sgw.core.meta.KeyRange;
import dev.sgw.core.meta.MetaKeys;
import dev.sgw.core.meta.MetaScan;
import dev.sgw.core.meta.MetadataStoreException;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.VolumeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The share's side of the {@link WritebackSource} seam. */
// try (var held = ...lock(...)): the resource is a held inode lock, scoped by the block, never referenced
@SuppressWarnings("try")
final class ShareWriteback implements WritebackSource {
    private static final Logger LOG = LoggerFactory.getLogger(ShareWriteback.class);

    private final InodeTable table;
    private final FileData data;
    private final ChunkCache cache;
    private final FileShareConfig config;
    private Namespace namespace;
    private RemoteChanges remoteChanges;

    ShareWriteback(InodeTable table, FileData data, ChunkCache cache, FileShareConfig config) {
        this.table = table;
        this.data = data;
        this.cache = cache;
        this.config = config;
    }

    void connect(Namespace ns, RemoteChanges remote) {
        this.namespace = ns;
        this.remoteChanges = remote;
    }

    @Override
    public String shareName() {
        return config.name();
    }

    @Override
    public int chunkSize() {
        return data.chunkSize();
    }

    @Override
    public List<WritebackEntry> journal(long after, int max) throws IOException {
        KeyRange range = MetaKeys.journal(table.vol);
        if (after > 0) {
            range = range.resumeAfter(MetaKeys.journalEntry(table.vol, after));
        }
        List<WritebackEntry> entries = new ArrayList<>();
        try (MetaScan scan = table.store.scan(range)) {
            while (entries.size() < max && scan.next()) {
                long seq = ((MetaKeys.JournalEntry) MetaKeys.parse(scan.key())).sequence();
                entries.add(WritebackEntry.decode(seq, scan.value()));
            }
        }
        return entries;
    }

    @Override
    public void entryDone(long sequence) throws IOException {
        var key = MetaKeys.journalEntry(table.vol, sequence);
        Optional<byte[]> value = table.store.get(key);
        if (value.isEmpty()) {
            return;
        }
        WritebackEntry entry = WritebackEntry.decode(sequence, value.get());
        try (var held = table.locks.lock(entry.inode())) {
            Optional<InodeRecord> r = table.load(entry.inode());
            boolean releasesRename =
                    entry.kind() == WritebackEntry.Kind.RENAME && r.isPresent() && r.get().lastRenameSeq == sequence;
            table.store.update(
                    b -> {
                        b.delete(key);
                        if (releasesRename) {
                            r.get().lastRenameSeq = 0;
                            table.put(b, r.get());
                        }
                    },
                    Durability.DURABLE);
        }
        table.journalLength.decrementAndGet();
    }

    @Override
    public long backlog() {
        return table.journalLength.get();
    }

    @Override
    public Optional<PendingFile> pendingFile(long inode) throws IOException {
        Optional<InodeRecord> found = table.load(inode);
        if (found.isEmpty() || !found.get().pendingUpload || found.get().links.isEmpty()) {
            return Optional.empty();
        }
        InodeRecord r = found.get();
        // a change time a client set into the future would hold the upload back until then: not a change time
        long changedAt = r.ctime > InodeTable.now() ? 0 : r.ctime;
        return Optional.of(new PendingFile(
                table.paths(r), r.type, r.type == FileType.REGULAR ? r.size : 0, changedAt, r.contentVersion));
    }

    @Override
    public Optional<FileUpload> openUpload(long inode) throws IOException {
        try (var held = table.locks.lock(inode)) {
            Optional<InodeRecord> found = table.load(inode);
            if (found.isEmpty()
                    || !found.get().pendingUpload
                    || found.get().links.isEmpty()) {
                return Optional.empty();
            }
            InodeRecord r = found.get();
            String known = knownEtag(r);
            long size = r.type == FileType.REGULAR ? r.size : 0;
            BitSet changed = new BitSet();
            long chunks = data.chunkCount(size);
            for (long i = 0; i < chunks; i++) {
                if (!unchanged(r, known, i)) {
                    changed.set(Math.toIntExact(i));
                }
            }
            VersionToUpload version = new VersionToUpload(
                    inode,
                    r.type,
                    table.paths(r),
                    size,
                    metadata(r),
                    known,
                    known == null ? 0 : r.objectSize,
                    r.contentVersion,
                    changed,
                    data.chunkSize(),
                    renamePending(r));
            warnIfNamedStayLocal(r, version);
            data.uploadFloor.put(inode, r.size);
            return Optional.of(new Upload(r, version));
        }
    }

    @Override
    public Optional<String> currentEtag(long inode) throws IOException {
        return table.load(inode).map(ShareWriteback::knownEtag);
    }

    @Override
    public void objectMoved(String path, String oldEtag, String newEtag) throws IOException {
        Optional<InodeRecord> found = table.resolve(path);
        if (found.isEmpty()) {
            return;
        }
        try (var held = table.locks.lock(found.get().inode)) {
            Optional<InodeRecord> r = table.load(found.get().inode);
            if (r.isPresent() && Objects.equals(r.get().etag, oldEtag)) {
                r.get().etag = newEtag;
                table.store.update(b -> table.put(b, r.get()), Durability.DURABLE);
            }
        }
    }

    /** Marks the files of chunks found dirty at open pending, if a crash kept that from being recorded. */
    void markDirtyChunksPending(List<ChunkId> dirty) throws IOException {
        TreeSet<Long> inodes = new TreeSet<>();
        dirty.forEach(id -> inodes.add(id.object()));
        for (long inode : inodes) {
            try (var held = table.locks.lock(inode)) {
                Optional<InodeRecord> r = table.load(inode);
                if (r.isPresent() && !r.get().pendingUpload) {
                    table.store.update(
                            b -> {
                                table.markPending(b, r.get());
                                table.put(b, r.get());
                            },
                            Durability.DURABLE);
                }
            }
        }
    }

    // ---- internals -------------------------------------------------------------------------------

    private static String knownEtag(InodeRecord r) {
        return r.etag == null || r.etag.isEmpty() ? null : r.etag;
    }

    /** The user metadata of {@code r}'s object: its attributes, and its named attributes if they fit. */
    private Map<String, String> metadata(InodeRecord r) throws MetadataStoreException {
        Map<String, String> m =
                BucketLayout.attributesMetadata(r.mode, r.uid, r.gid, r.mtime, r.btime, r.dos, r.symlink);
        String named = namedValue(r);
        if (named != null && BucketLayout.namedAttributesFit(named, r.symlink)) {
            m.put(BucketLayout.NAMED, named);
        }
        return m;
    }

    /** The {@code sgw-named} value of {@code r}, null if it has no named attributes. */
    private String namedValue(InodeRecord r) throws MetadataStoreException {
        if (!r.hasNamedAttributes) {
            return null;
        }
        var named = table.namedAttributes(table.store, r);
        return named.isEmpty() ? null : BucketLayout.namedAttributesValue(named);
    }

    /** Warns that the named attributes of {@code r}, being uploaded as {@code version}, stay local only. */
    private void warnIfNamedStayLocal(InodeRecord r, VersionToUpload version) throws MetadataStoreException {
        if (!r.hasNamedAttributes || version.metadata().containsKey(BucketLayout.NAMED)) {
            return;
        }
        String named = namedValue(r);
        if (named != null) {
            LOG.warn(
                    "share {}: the named attributes of '{}' ({} bytes as {}) exceed the {} bytes object metadata "
                            + "leaves them; they are kept in the gateway only, not in the bucket",
                    config.name(),
                    version.paths().getFirst(),
                    named.length(),
                    BucketLayout.NAMED,
                    BucketLayout.NAMED_BUDGET);
        }
    }

    /** Whether chunk {@code i}'s bytes (up to the file's end) equal the same bytes of the known object. */
    private boolean unchanged(InodeRecord r, String known, long i) {
        if (known == null) {
            return false;
        }
        long end = Math.min((i + 1) * data.chunkSize(), r.size);
        if (end > r.bucketExtent) {
            return false;
        }
        ChunkState state = cache.state(data.chunk(r.inode, i));
        return state == ChunkState.CLEAN || (state == ChunkState.ABSENT && r.contentInBucket);
    }

    private boolean renamePending(InodeRecord r) throws MetadataStoreException {
        if (r.lastRenameSeq != 0) {
            return true;
        }
        for (InodeRecord.Link link : r.links) {
            long at = link.parent();
            while (at != FileVolume.ROOT_INODE) {
                Optional<InodeRecord> p = table.load(at);
                if (p.isEmpty()) {
                    break;
                }
                if (p.get().lastRenameSeq != 0) {
                    return true;
                }
                at = p.get().links.getFirst().parent();
            }
        }
        return false;
    }

    private final class Upload implements FileUpload {
        private final InodeRecord base;
        private final VersionToUpload version;
        private final List<UploadSnapshot> snapshots = new ArrayList<>();
        private boolean finished;

        Upload(InodeRecord base, VersionToUpload version) {
            this.base = base;
            this.version = version;
        }

        @Override
        public VersionToUpload version() {
            return version;
        }

        @Override
        public ByteBuffer readChunk(long index) throws IOException {
            if (index < 0 || index >= version.chunkCount()) {
                throw new IllegalArgumentException("chunk " + index + " of a version of " + version.chunkCount());
            }
            int len = (int) Math.min(data.chunkSize(), version.size() - index * data.chunkSize());
            ByteBuffer out = ByteBuffer.allocate(len);
            ChunkId id = data.chunk(base.inode, index);
            if (cache.state(id) == ChunkState.DIRTY) {
                Optional<UploadSnapshot> snap = cache.beginUpload(id);
                if (snap.isPresent()) {
                    snapshots.add(snap.get());
                    ByteBuffer bytes = snap.get().data();
                    out.put(bytes.limit(Math.min(bytes.limit(), len)));
                    return out.clear();
                }
            }
            int got = cache.read(id, 0, out.duplicate());
            if (got == ChunkCache.NOT_CACHED && data.inBucket(base, index)) {
                ByteBuffer fetched = data.fetch(base, index);
                out.put(fetched.limit(Math.min(fetched.limit(), len)));
            }
            return out.clear();
        }

        @Override
        public Outcome complete(String etag, long size) throws IOException {
            Objects.requireNonNull(etag, "etag");
            finished = true;
            Outcome outcome;
            try (var held = table.locks.lock(base.inode)) {
                Optional<InodeRecord> found = table.load(base.inode);
                Long floor = data.uploadFloor.remove(base.inode);
                if (found.isEmpty()) {
                    failAll();
                    return Outcome.GONE;
                }
                InodeRecord r = found.get();
                boolean changed = r.contentVersion != version.contentVersion()
                        || r.type != version.type()
                        || !table.paths(r).equals(version.paths())
                        || !metadata(r).equals(version.metadata());
                r.etag = etag;
                r.objectSize = size;
                long extent = changed ? Math.min(size, Math.min(r.size, floor == null ? size : floor)) : size;
                r.bucketExtent = r.type == FileType.REGULAR ? extent : 0;
                r.contentInBucket =
                        r.type == FileType.REGULAR && (config.mode() == VolumeMode.CACHE || r.contentInBucket);
                table.store.update(
                        b -> {
                            if (changed) {
                                table.journal(b, WritebackEntry.content(r.inode, r.type)); // still pending
                            } else {
                                r.pendingUpload = false;
                            }
                            table.put(b, r);
                        },
                        Durability.DURABLE);
                outcome = changed ? Outcome.STALE : Outcome.UPLOADED;
                // chunks become clean only after the ETag they belong to is recorded
                for (UploadSnapshot snap : snapshots) {
                    cache.completeUpload(snap);
                }
                snapshots.clear();
            }
            return outcome;
        }

        @Override
        public void conflict(String conflictPath, ObjectInfo remote) throws IOException {
            finished = true;
            failAll();
            data.uploadFloor.remove(base.inode);
            String path = version.paths().getFirst();
            try (var held = table.locks.lock(base.inode)) {
                Optional<InodeRecord> found = table.load(base.inode);
                if (found.isEmpty()) {
                    return;
                }
                InodeRecord r = found.get();
                r.etag = null;
                r.objectSize = 0;
                r.bucketExtent = 0;
                r.contentInBucket = false;
                r.pendingUpload = true;
                table.store.update(
                        b -> {
                            // the entry being worked on is done with; the conflict copy needs its own
                            table.journal(b, WritebackEntry.content(r.inode, r.type));
                            table.put(b, r);
                        },
                        Durability.DURABLE);
            }
            InodeRecord from = table.resolve(parentOf(path)).orElseThrow();
            InodeRecord to = table.resolve(parentOf(conflictPath))
                    .orElseThrow(() ->
                            new MetadataStoreException("conflict path " + conflictPath + " has no parent directory"));
            String localName = table.bucketEntry(from.inode, nameOf(path))
                    .map(InodeTable.Entry::name)
                    .orElse(nameOf(path));
            namespace.rename(from.id(), localName, to.id(), nameOf(conflictPath));
            if (remote != null) {
                Instant modified = remote.lastModified();
                long nanos = modified.getEpochSecond() * 1_000_000_000L + modified.getNano();
                remoteChanges.objectSeen(path, remote.etag(), remote.size(), nanos);
            }
        }

        @Override
        public void close() {
            if (!finished) {
                data.uploadFloor.remove(base.inode);
            }
            failAll();
        }

        private void failAll() {
            for (UploadSnapshot snap : snapshots) {
                cache.failUpload(snap);
            }
            snapshots.clear();
        }
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
