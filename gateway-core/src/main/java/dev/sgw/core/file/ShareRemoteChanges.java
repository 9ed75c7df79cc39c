package dev.sgw.core.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.sgw.core.meta.Durability;
import dev.sgw.core.meta.MetaKeys;
import dev.sgw.core.meta.MetaScan;
import dev.sgw.core.meta.MetadataStoreException;
import dev.sgw.core.volume.ChangeAction;
import dev.sgw.core.volume.ChangeEvent;
import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.VolumeChanges;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The share's side of {@link RemoteChanges}. Changes from the bucket are written BUFFERED: they are
 * facts about the bucket that the next scan finds again if a power loss drops them, and an import must
 * not wait for a log fsync per object. Each call is one batch and does no bucket I/O: an imported file is
 * IMPORTED ({@link InodeRecord}) with the share's default attributes and {@code mtime = lastModified}
 * until its first getattr reads its metadata.
 *
 * <p>Directories seen in the bucket get the ETag {@code ""} ("exists in the bucket, no object of its
 * own"), so that {@link #objectGone} may remove them again; their attributes are read from their marker
 * object, if there is one, on first use, as a file's are. A file and a directory of the same name
 * (possible in a bucket, not in POSIX) keep whichever came first; the other is logged and skipped.
 */
// try (var held = ...lock(...)): the resource is a held inode lock, scoped by the block, never referenced
@SuppressWarnings("try")
final class ShareRemoteChanges implements RemoteChanges {
    private static final Logger LOG = LoggerFactory.getLogger(ShareRemoteChanges.class);

    private final InodeTable table;
    private final Namespace namespace;
    private final FileData data;
    /** Told before a file is replaced or removed, and after each change; null: nobody. */
    private volatile VolumeChanges changes;
    /** The directory the last call resolved (imports come directory by directory). */
    private volatile ResolvedDirectory lastDirectory;

    private record ResolvedDirectory(String path, long inode, long epoch) {}

    ShareRemoteChanges(InodeTable table, Namespace namespace, FileData data) {
        this.table = table;
        this.namespace = namespace;
        this.data = data;
    }

    void observe(VolumeChanges listener) {
        this.changes = listener;
    }

    private void emit(ChangeAction action, long dir, String name, long inode, boolean directory) {
        VolumeChanges listener = changes;
        if (listener != null) {
            listener.changed(new ChangeEvent(action, dir, name, inode, directory, true));
        }
    }

    /**
     * Lets the holders of {@code inode} (leases) know that the bucket's version replaces or removes it, before
     * any lock is taken: they may write back what they cached, which the locked step then finds pending.
     */
    private void beforeBucketChange(long inode) throws IOException {
        VolumeChanges listener = changes;
        if (listener == null) {
            return;
        }
        try {
            listener.beforeBucketChange(inode);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeException(VolumeError.UNAVAILABLE, "interrupted while the file's holders let go", e);
        }
    }

    /** The file at {@code name} in {@code dir} that a bucket version {@code etag} would replace, or null. */
    private InodeRecord replaced(InodeRecord dir, String name, String etag) throws IOException {
        Optional<InodeTable.Entry> e = table.bucketEntry(dir.inode, name);
        if (e.isEmpty() || e.get().type() == FileType.DIRECTORY) {
            return null;
        }
        InodeRecord r = table.load(e.get().child()).orElse(null);
        return r == null || etag.equals(r.etag) || r.pendingUpload || r.lastRenameSeq != 0 ? null : r;
    }

    @Override
    public List<LocalEntry> list(String dirPath) throws IOException {
        Optional<InodeRecord> dir = table.resolve(dirPath);
        if (dir.isEmpty() || !dir.get().isDirectory()) {
            return List.of();
        }
        boolean held = renameHeld(dir.get());
        List<LocalEntry> entries = new ArrayList<>();
        try (MetaScan scan = table.store.scan(MetaKeys.dirEntries(table.vol, dir.get().inode))) {
            while (scan.next()) {
                String local = ((MetaKeys.DirEntry) MetaKeys.parse(scan.key())).name();
                long child = ByteBuffer.wrap(scan.value()).getLong();
                String name = InodeTable.bucketNameOf(local, scan.value()); // the bucket's name, if mangled
                Optional<InodeRecord> r = table.load(child);
                if (r.isPresent()) {
                    InodeRecord c = r.get();
                    entries.add(new LocalEntry(
                            name,
                            c.type,
                            c.etag,
                            c.type == FileType.DIRECTORY ? 0 : c.size,
                            c.pendingUpload || c.lastRenameSeq != 0 || held));
                }
            }
        }
        return entries;
    }

    @Override
    public void objectSeen(String path, String etag, long size, long lastModifiedNanos) throws IOException {
        if (movedAway(path)) {
            return;
        }
        InodeRecord dir = ensureDirectory(ShareWriteback.parentOf(path));
        if (dir == null) {
            return;
        }
        String name = ShareWriteback.nameOf(path);
        Namespace.checkName(name);
        InodeRecord before = replaced(dir, name, etag);
        if (before != null) {
            beforeBucketChange(before.inode);
        }
        InodeRecord dropped = null;
        try (var held = table.locks.lock(dir.inode)) {
            InodeRecord d = table.load(dir.inode).orElse(null);
            if (d == null || !d.isDirectory()) {
                return;
            }
            Optional<InodeTable.Entry> existing = table.bucketEntry(d.inode, name);
            if (existing.isEmpty()) {
                String local = localName(d, path, name);
                if (local == null) {
                    return;
                }
                InodeRecord r = imported(table.newInode(), etag, size, lastModifiedNanos);
                r.type = FileType.REGULAR;
                r.dos = DosAttributes.defaultFor(r.type).bits();
                r.mode = table.config.defaultFileMode();
                r.nlink = 1;
                r.links.add(new InodeRecord.Link(d.inode, local));
                d.touchContent(InodeTable.now());
                table.store.update(
                        b -> {
                            table.link(b, d, local, r, name);
                            table.put(b, r);
                            table.put(b, d);
                        },
                        Durability.BUFFERED);
                table.files.incrementAndGet();
                table.bytes.addAndGet(size);
                emit(ChangeAction.ADDED, d.inode, local, r.inode, false);
                return;
            }
            if (existing.get().type() == FileType.DIRECTORY) {
                LOG.warn("share {}: object '{}' has the name of a local directory; skipped", table.config.name(), path);
                return;
            }
            try (var child = table.locks.lock(existing.get().child())) {
                InodeRecord r = table.load(existing.get().child()).orElse(null);
                if (r == null || etag.equals(r.etag) || r.pendingUpload || r.lastRenameSeq != 0) {
                    return; // the same version, or local changes the uploader will reconcile
                }
                long oldSize = r.size;
                dropped = r.copy();
                r.etag = etag;
                r.objectSize = size;
                r.bucketExtent = size;
                r.size = size;
                r.contentInBucket = true;
                r.attributesPending = true;
                r.mtime = lastModifiedNanos;
                r.contentVersion++;
                r.touchAttributes(InodeTable.now());
                if (r.type == FileType.SYMLINK) {
                    r.type = FileType.REGULAR; // its metadata says again what it is
                    r.symlink = null;
                    table.store.update(
                            b -> {
                                table.put(b, r);
                                table.relink(b, d.inode, existing.get(), r);
                            },
                            Durability.BUFFERED);
                } else {
                    table.store.update(b -> table.put(b, r), Durability.BUFFERED);
                }
                table.bytes.addAndGet(size - oldSize);
                data.dropAll(dropped); // the cached chunks were of the old version
                emit(ChangeAction.MODIFIED, d.inode, existing.get().name(), r.inode, false);
            }
        }
    }

    @Override
    public void directorySeen(String dirPath) throws IOException {
        if (movedAway(dirPath)) {
            return;
        }
        ensureDirectory(dirPath);
    }

    @Override
    public void objectGone(String path, LocalEntry local) throws IOException {
        if (path.isEmpty()) {
            return;
        }
        Optional<InodeRecord> parent = table.resolve(ShareWriteback.parentOf(path));
        if (parent.isEmpty() || !parent.get().isDirectory() || renameHeld(parent.get())) {
            return;
        }
        String name = ShareWriteback.nameOf(path);
        Optional<InodeTable.Entry> e = table.bucketEntry(parent.get().inode, name);
        if (e.isEmpty()) {
            return;
        }
        Optional<InodeRecord> r = table.load(e.get().child());
        if (r.isEmpty()
                || (local != null && local.etag() != null && !local.etag().equals(r.get().etag))) {
            return; // changed since the caller listed it
        }
        boolean directory = r.get().isDirectory();
        if (directory && !table.isEmptyDir(r.get().inode)) {
            return;
        }
        try {
            beforeBucketChange(r.get().inode);
            namespace.remove(parent.get().id(), e.get().name(), directory, true);
            emit(ChangeAction.REMOVED, parent.get().inode, e.get().name(), r.get().inode, directory);
        } catch (VolumeException raced) {
            LOG.debug(
                    "share {}: '{}' changed while removed from the bucket: {}",
                    table.config.name(),
                    path,
                    raced.getMessage());
        }
    }

    // ---- internals -------------------------------------------------------------------------------

    /**
     * Whether the share renamed or removed {@code path} (or a directory above it) and the bucket has not
     * been told yet: the object the listing shows there is on its way out, not a file somebody else added.
     */
    private boolean movedAway(String path) throws IOException {
        try (MetaScan scan = table.store.scan(MetaKeys.journal(table.vol))) {
            while (scan.next()) {
                long seq = ((MetaKeys.JournalEntry) MetaKeys.parse(scan.key())).sequence();
                WritebackEntry e = WritebackEntry.decode(seq, scan.value());
                if (e.kind() != WritebackEntry.Kind.CONTENT
                        && (path.equals(e.path()) || path.startsWith(e.path() + "/"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The directory at {@code dirPath}, made (with its parents) if missing; null if a file is in the way. */
    private InodeRecord ensureDirectory(String dirPath) throws IOException {
        ResolvedDirectory last = lastDirectory;
        if (last != null && last.path().equals(dirPath) && last.epoch() == table.directoryEpoch.get()) {
            return shell(last.inode());
        }
        long epoch = table.directoryEpoch.get();
        InodeRecord found = walkOrMake(dirPath);
        if (found != null) {
            lastDirectory = new ResolvedDirectory(dirPath, found.inode, epoch);
        }
        return found;
    }

    /** A record carrying only an inode number, for callers that reload it under its lock. */
    private static InodeRecord shell(long inode) {
        InodeRecord r = new InodeRecord();
        r.inode = inode;
        r.type = FileType.DIRECTORY;
        return r;
    }

    // split drops a trailing empty name (a listed directory ends in '/'); an empty name inside fails checkName
    @SuppressWarnings("StringSplitter")
    private InodeRecord walkOrMake(String dirPath) throws IOException {
        InodeRecord at = table.load(FileVolume.ROOT_INODE).orElseThrow();
        if (dirPath.isEmpty()) {
            return at;
        }
        for (String name : dirPath.split("/")) {
            Namespace.checkName(name);
            Optional<InodeTable.Entry> e = table.bucketEntry(at.inode, name);
            if (e.isEmpty()) {
                at = makeDirectory(at, name);
            } else {
                Optional<InodeRecord> next = table.load(e.get().child());
                if (next.isEmpty()) {
                    return null;
                }
                at = next.get();
            }
            if (at == null || !at.isDirectory()) {
                LOG.warn(
                        "share {}: '{}' in the bucket is a directory but a local file of that name is in the way",
                        table.config.name(),
                        dirPath);
                return null;
            }
        }
        return at;
    }

    private InodeRecord makeDirectory(InodeRecord parent, String name) throws IOException {
        try (var held = table.locks.lock(parent.inode)) {
            InodeRecord d = table.load(parent.inode).orElse(null);
            if (d == null) {
                return null;
            }
            Optional<InodeTable.Entry> raced = table.bucketEntry(d.inode, name);
            if (raced.isPresent()) {
                return table.load(raced.get().child()).orElse(null);
            }
            String local = localName(d, table.childPath(d.inode, name), name);
            if (local == null) {
                return null;
            }
            long now = InodeTable.now();
            InodeRecord r = imported(table.newInode(), "", 0, now);
            r.type = FileType.DIRECTORY;
            r.dos = DosAttributes.defaultFor(r.type).bits();
            r.mode = table.config.defaultDirMode();
            r.nlink = 2;
            r.contentInBucket = false; // attributesPending: its marker's metadata, if it has one
            r.links.add(new InodeRecord.Link(d.inode, local));
            d.nlink++;
            d.touchContent(now);
            table.store.update(
                    b -> {
                        table.link(b, d, local, r, name);
                        table.put(b, r);
                        table.put(b, d);
                    },
                    Durability.BUFFERED);
            table.files.incrementAndGet();
            emit(ChangeAction.ADDED, d.inode, local, r.inode, true);
            return r;
        }
    }

    /**
     * The local name of a new entry for the bucket key {@code name} (at {@code path}) in {@code d}, logged
     * when it is a {@link MangledName}; null (logged) when no name is free.
     */
    private String localName(InodeRecord d, String path, String name) throws IOException {
        String local = table.localNameFor(d.inode, name);
        if (local == null) {
            LOG.warn(
                    "share {}: '{}' in the bucket has the name of a local entry, and so has its mangled name '{}'; "
                            + "skipped",
                    table.config.name(),
                    path,
                    MangledName.of(name));
        } else if (!local.equals(name)) {
            LOG.info(
                    "share {}: '{}' in the bucket differs only in case from an entry of its directory; "
                            + "it is shown as '{}'",
                    table.config.name(),
                    path,
                    local);
        }
        return local;
    }

    private InodeRecord imported(long inode, String etag, long size, long mtime) {
        InodeRecord r = new InodeRecord();
        r.inode = inode;
        r.uid = table.config.defaultUid();
        r.gid = table.config.defaultGid();
        r.size = size;
        r.atime = r.mtime = r.ctime = r.btime = mtime; // until its metadata is read (sgw-btime)
        r.change = 1;
        r.etag = etag;
        r.objectSize = size;
        r.bucketExtent = size;
        r.contentInBucket = true;
        r.attributesPending = true;
        return r;
    }

    /** Whether a rename of {@code dir} or an ancestor is not yet applied in the bucket. */
    private boolean renameHeld(InodeRecord dir) throws MetadataStoreException {
        InodeRecord at = dir;
        while (true) {
            if (at.lastRenameSeq != 0) {
                return true;
            }
            if (at.inode == FileVolume.ROOT_INODE) {
                return false;
            }
            Optional<InodeRecord> p = table.load(at.links.getFirst().parent());
            if (p.isEmpty()) {
                return false;
            }
            at = p.get();
        }
    }
}
