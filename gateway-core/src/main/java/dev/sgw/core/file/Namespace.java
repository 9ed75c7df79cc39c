package dev.sgw.core.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongPredicate;

import dev.sgw.core.meta.Durability;
import dev.sgw.core.meta.KeyRange;
import dev.sgw.core.meta.MetaBatch;
import dev.sgw.core.meta.MetaKeys;
import dev.sgw.core.meta.MetaScan;
import dev.sgw.core.meta.MetaSnapshot;
import dev.sgw.core.volume.DirChanges;
import dev.sgw.core.volume.DirEntry;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileNames;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.RenameMode;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;

/**
 * The namespace operations of a share: create, mkdir, symlink, link, remove, rmdir, rename, readdir.
 * Each change is one atomic, DURABLE batch holding the records it touches and the journal entries it
 * causes. A change holds the stripes of every inode whose record it writes (directories and children);
 * a rename that moves a directory to another directory also holds the share's one rename lock, so two
 * such renames cannot together build a cycle (as Linux's per-filesystem rename mutex).
 *
 * <p>nlink: a file has one per name; a directory 2 plus its subdirectories (its entry in the parent,
 * its own {@code .}, and each child's {@code ..}).
 */
// try (var held = ...lock(...)): the resource is a held inode lock, scoped by the block, never referenced
@SuppressWarnings("try")
final class Namespace {
    static final int MAX_NAME_BYTES = FileNames.MAX_NAME_BYTES;
    static final int MAX_LINKS = 65000;

    private final InodeTable table;
    private final FileData data;
    private final ReentrantLock directoryMoves = new ReentrantLock();
    /** Whether a client holds the file open: then its last name going leaves it an orphan (see MetaKeys). */
    private volatile LongPredicate heldOpen = inode -> false;

    Namespace(InodeTable table, FileData data) {
        this.table = table;
        this.data = data;
    }

    /** Tells which files clients hold open (the volume's FileSharing). */
    void heldOpenBy(LongPredicate held) {
        this.heldOpen = held;
    }

    /**
     * Whether {@code c}, losing its last name, must live on without names until its last close: a regular file
     * a client holds open. Its data is made local first ({@link FileData#localize}), since its object leaves
     * the bucket with the name.
     */
    private boolean orphaned(InodeRecord c, String lastPath) throws IOException {
        if (c.type != FileType.REGULAR || c.nlink != 0 || !heldOpen.test(c.inode)) {
            return false;
        }
        data.localize(c, lastPath);
        return true;
    }

    /** In the batch that takes the last name of {@code c}: keeps it as an orphan, or deletes it. */
    private void dropOrKeep(MetaBatch b, InodeRecord c, boolean orphan) throws IOException {
        if (orphan) {
            c.etag = null; // its object goes with its name; the data is local now
            c.contentInBucket = false;
            table.put(b, c);
            table.markOrphan(b, c.inode);
        } else {
            table.delete(b, c);
        }
    }

    /** Reports directory {@code d} (whose lock the caller holds) as it is now, after {@code before}. */
    private static void report(DirChanges changes, FileAttributes before, InodeRecord d) {
        if (before != null) {
            changes.report(before, d.attributes());
        }
    }

    /** Checks a name: 1..255 UTF-8 bytes, no '/' or NUL, not "." or ".." ({@link FileNames#check}). */
    static void checkName(String name) throws VolumeException {
        FileNames.check(name);
    }

    InodeRecord lookup(NodeId dir, String name) throws IOException {
        InodeRecord d = table.requireDir(dir);
        checkName(name);
        InodeTable.Entry e = table.find(d.inode, name).orElseThrow(() -> noEntry(name));
        return table.load(e.child()).orElseThrow(() -> noEntry(name));
    }

    /** What {@link #make} did: the inode, and whether it is new (else an existing regular file). */
    record Made(InodeRecord inode, boolean created) {}

    /**
     * Creates a file, directory or symbolic link named {@code name} in {@code dir}; with
     * {@code exclusive == false} an existing regular file is returned instead (the caller applies
     * {@code initial} to it). A regular file made with a non-null {@code createVerifier} keeps it, and an
     * existing regular file that keeps the same verifier is returned (not created) even when {@code exclusive}:
     * a retransmitted exclusive create. Reports {@code dir} to {@code changes} (unchanged when a file existed).
     */
    Made make(
            NodeId dir,
            String name,
            FileType type,
            String target,
            boolean exclusive,
            Long createVerifier,
            SetAttributes initial,
            DirChanges changes)
            throws IOException {
        checkName(name);
        try (var held = table.locks.lock(dir.inode())) {
            InodeRecord d = table.requireDir(dir);
            FileAttributes before = changes.wanted() ? d.attributes() : null;
            Optional<InodeTable.Entry> existing = table.find(d.inode, name);
            if (existing.isPresent()) {
                Made found = new Made(existing(existing.get(), type, exclusive, createVerifier), false);
                report(changes, before, d);
                return found;
            }
            if (type == FileType.DIRECTORY && d.nlink >= MAX_LINKS) {
                throw new VolumeException(VolumeError.MLINK, "too many subdirectories");
            }
            long now = InodeTable.now();
            InodeRecord r = newRecord(d, name, type, target, initial, now);
            if (createVerifier != null) {
                r.hasCreateVerifier = true;
                r.createVerifier = createVerifier;
            }
            if (type == FileType.DIRECTORY) {
                d.nlink++;
            }
            d.touchContent(now);
            table.store.update(
                    b -> {
                        table.link(b, d, name, r);
                        table.markPending(b, r);
                        table.put(b, r);
                        table.put(b, d);
                    },
                    Durability.DURABLE);
            report(changes, before, d);
            table.files.incrementAndGet();
            return new Made(r, true);
        }
    }

    /** The existing regular file {@link #make} returns for entry {@code e}, or the error it fails with. */
    private InodeRecord existing(InodeTable.Entry e, FileType type, boolean exclusive, Long createVerifier)
            throws IOException {
        String name = e.name();
        if (createVerifier != null && e.type() == FileType.REGULAR) {
            InodeRecord r = table.load(e.child()).orElseThrow(() -> noEntry(name));
            if (r.hasCreateVerifier && r.createVerifier == createVerifier) {
                return r;
            }
            throw new VolumeException(VolumeError.EXIST, "'" + name + "' exists (made with another verifier)");
        }
        if (exclusive || type != FileType.REGULAR) {
            throw new VolumeException(VolumeError.EXIST, "'" + name + "' exists");
        }
        if (e.type() != FileType.REGULAR) {
            throw new VolumeException(
                    e.type() == FileType.DIRECTORY ? VolumeError.ISDIR : VolumeError.EXIST,
                    "'" + name + "' exists and is not a regular file");
        }
        return table.load(e.child()).orElseThrow(() -> noEntry(name));
    }

    /** A new inode {@code name} in {@code d}, with {@code initial} or the share's defaults. */
    private InodeRecord newRecord(
            InodeRecord d, String name, FileType type, String target, SetAttributes initial, long now)
            throws IOException {
        InodeRecord r = new InodeRecord();
        r.inode = table.newInode();
        r.type = type;
        FileShareConfig c = table.config;
        r.mode = (initial.mode() != null
                        ? initial.mode()
                        : type == FileType.DIRECTORY
                                ? c.defaultDirMode()
                                : type == FileType.SYMLINK ? 0777 : c.defaultFileMode())
                & 07777;
        r.uid = initial.uid() != null ? initial.uid() : c.defaultUid();
        r.gid = initial.gid() != null ? initial.gid() : c.defaultGid();
        r.atime = initial.atime() != null ? initial.atime() : now;
        r.mtime = initial.mtime() != null ? initial.mtime() : now;
        r.ctime = initial.ctime() != null ? initial.ctime() : now;
        r.btime = initial.btime() != null ? initial.btime() : now;
        r.dos = (initial.dosAttributes() != null ? initial.dosAttributes() : DosAttributes.defaultFor(type)).bits();
        r.change = 1;
        r.nlink = type == FileType.DIRECTORY ? 2 : 1;
        r.links.add(new InodeRecord.Link(d.inode, name));
        if (type == FileType.SYMLINK) {
            r.symlink = target;
            r.size = target.getBytes(StandardCharsets.UTF_8).length;
        }
        return r;
    }

    InodeRecord link(NodeId node, NodeId dir, String name, DirChanges changes) throws IOException {
        checkName(name);
        try (var held = table.locks.lock(node.inode(), dir.inode())) {
            InodeRecord r = table.require(node);
            InodeRecord d = table.requireDir(dir);
            FileAttributes before = changes.wanted() ? d.attributes() : null;
            if (r.isDirectory()) {
                throw new VolumeException(VolumeError.ISDIR, "cannot hard-link a directory");
            }
            if (r.nlink >= MAX_LINKS) {
                throw new VolumeException(VolumeError.MLINK, "too many links");
            }
            if (table.find(d.inode, name).isPresent()) {
                throw new VolumeException(VolumeError.EXIST, "'" + name + "' exists");
            }
            long now = InodeTable.now();
            InodeRecord dir2 = d;
            r.nlink++;
            r.links.add(new InodeRecord.Link(d.inode, name));
            r.touchAttributes(now);
            dir2.touchContent(now);
            table.store.update(
                    b -> {
                        table.link(b, dir2, name, r);
                        table.markPending(b, r); // the new path needs its object
                        table.put(b, r);
                        table.put(b, dir2);
                    },
                    Durability.DURABLE);
            report(changes, before, d);
            return r;
        }
    }

    /**
     * Removes a name of a non-directory ({@code directory == false}) or an empty directory. With
     * {@code bucketSide} the bucket no longer has the object: nothing is journaled, and the name is kept
     * (returning false) if the inode has changes not yet uploaded, was never uploaded, or has a rename
     * not yet applied in the bucket.
     */
    boolean remove(NodeId dir, String name, boolean directory, boolean bucketSide) throws IOException {
        return remove(dir, name, directory, bucketSide, DirChanges.ignored());
    }

    /** {@link #remove(NodeId, String, boolean, boolean)}, reporting {@code dir} to {@code changes}. */
    boolean remove(NodeId dir, String name, boolean directory, boolean bucketSide, DirChanges changes)
            throws IOException {
        checkName(name);
        return removeStored(dir, table.storedName(dir.inode(), name), directory, bucketSide, changes);
    }

    /** {@link #remove} of the entry whose stored name is {@code name} (the name in the client's case). */
    private boolean removeStored(NodeId dir, String name, boolean directory, boolean bucketSide, DirChanges changes)
            throws IOException {
        while (true) {
            InodeRecord d0 = table.requireDir(dir);
            InodeTable.Entry e0 = table.entry(d0.inode, name).orElseThrow(() -> noEntry(name));
            InodeRecord gone;
            boolean kept;
            try (var held = table.locks.lock(dir.inode(), e0.child())) {
                InodeRecord d = table.requireDir(dir);
                Optional<InodeTable.Entry> e = table.entry(d.inode, name);
                if (e.isEmpty()) {
                    throw noEntry(name);
                }
                if (e.get().child() != e0.child()) {
                    continue; // replaced meanwhile: lock the new child
                }
                InodeRecord c = table.load(e.get().child()).orElseThrow(() -> noEntry(name));
                if (directory && !c.isDirectory()) {
                    throw new VolumeException(VolumeError.NOTDIR, "'" + name + "' is not a directory");
                }
                if (!directory && c.isDirectory()) {
                    throw new VolumeException(VolumeError.ISDIR, "'" + name + "' is a directory");
                }
                if (directory && !table.isEmptyDir(c.inode)) {
                    throw new VolumeException(VolumeError.NOTEMPTY, "directory '" + name + "' is not empty");
                }
                if (bucketSide && (c.pendingUpload || c.etag == null || c.lastRenameSeq != 0)) {
                    return false;
                }
                String path = table.childPath(d.inode, name);
                FileAttributes before = changes.wanted() ? d.attributes() : null;
                long now = InodeTable.now();
                d.touchContent(now);
                if (directory) {
                    d.nlink--;
                }
                c.links.remove(new InodeRecord.Link(d.inode, name));
                c.nlink = directory ? 0 : c.nlink - 1;
                c.touchAttributes(now);
                gone = c.nlink == 0 ? c : null;
                boolean orphan = gone != null && orphaned(c, path);
                kept = orphan;
                table.store.update(
                        b -> {
                            table.unlink(b, d.inode, e.get());
                            if (!bucketSide && ((c.etag != null && !c.etag.isEmpty()) || c.isDirectory())) {
                                table.journal(b, WritebackEntry.remove(c.inode, c.type, path, c.etag));
                            }
                            if (gone != null) {
                                dropOrKeep(b, c, orphan);
                            } else {
                                table.put(b, c);
                            }
                            table.put(b, d);
                        },
                        Durability.DURABLE);
                report(changes, before, d);
            }
            if (directory) {
                table.directoryEpoch.incrementAndGet();
            }
            if (gone != null) {
                table.files.decrementAndGet();
                table.bytes.addAndGet(gone.type == FileType.REGULAR ? -gone.size : 0);
                if (kept) {
                    releaseIfClosed(gone.inode); // the last close may have come meanwhile
                } else {
                    data.dropAll(gone);
                }
            }
            return true;
        }
    }

    void rename(NodeId fromDir, String fromName, NodeId toDir, String toName) throws IOException {
        rename(fromDir, fromName, toDir, toName, RenameMode.REPLACE, DirChanges.ignored());
    }

    /**
     * Renames; with {@link RenameMode#NO_REPLACE} an existing target (checked under the locks) is EXIST. Reports
     * both directories to {@code changes}.
     */
    void rename(NodeId fromDir, String fromName, NodeId toDir, String toName, RenameMode mode, DirChanges changes)
            throws IOException {
        checkName(fromName);
        checkName(toName);
        while (true) {
            table.requireDir(fromDir);
            table.requireDir(toDir);
            InodeTable.Entry src0 = table.find(fromDir.inode(), fromName).orElseThrow(() -> noEntry(fromName));
            Optional<InodeTable.Entry> dst0 = target(fromDir, Optional.of(src0), toDir, toName);
            boolean movesDirectory = src0.type() == FileType.DIRECTORY && fromDir.inode() != toDir.inode();
            if (movesDirectory) {
                directoryMoves.lock();
            }
            try (var held = table.locks.lock(fromDir.inode(), toDir.inode(), src0.child(), childOf(dst0))) {
                Optional<InodeTable.Entry> src = table.find(fromDir.inode(), fromName);
                Optional<InodeTable.Entry> dst = target(fromDir, src, toDir, toName);
                if (src.isEmpty()) {
                    throw noEntry(fromName);
                }
                if (src.get().child() != src0.child()
                        || src.get().type() != src0.type()
                        || childOf(dst) != childOf(dst0)) {
                    continue; // changed before we held the locks
                }
                if (dst.isPresent() && mode == RenameMode.NO_REPLACE) {
                    throw new VolumeException(VolumeError.EXIST, "'" + toName + "' exists");
                }
                renameLocked(fromDir, src.get(), toDir, toName, dst, changes);
                return;
            } finally {
                if (movesDirectory) {
                    directoryMoves.unlock();
                }
            }
        }
    }

    /**
     * The entry a rename of {@code src} to {@code toName} in {@code toDir} replaces, found as clients see
     * names; none when it is {@code src} itself under another case: that rename changes the name's case.
     */
    private Optional<InodeTable.Entry> target(
            NodeId fromDir, Optional<InodeTable.Entry> src, NodeId toDir, String toName) throws IOException {
        Optional<InodeTable.Entry> dst = table.find(toDir.inode(), toName);
        boolean changesCase = src.isPresent()
                && dst.isPresent()
                && fromDir.inode() == toDir.inode()
                && dst.get().name().equals(src.get().name())
                && !toName.equals(src.get().name());
        return changesCase ? Optional.empty() : dst;
    }

    /** The rename itself, holding every lock it needs: check, apply in memory, journal, count. */
    private void renameLocked(
            NodeId fromDir,
            InodeTable.Entry src,
            NodeId toDir,
            String toName,
            Optional<InodeTable.Entry> dst,
            DirChanges changes)
            throws IOException {
        InodeRecord fd = table.requireDir(fromDir);
        InodeRecord td = fd.inode == toDir.inode() ? fd : table.requireDir(toDir);
        FileAttributes fromBefore = changes.wanted() ? fd.attributes() : null;
        FileAttributes toBefore = changes.wanted() ? td.attributes() : null;
        InodeRecord c = table.load(src.child()).orElseThrow(() -> noEntry(src.name()));
        if (dst.isPresent() && dst.get().child() == c.inode) {
            report(changes, fromBefore, fd); // two names of one file: nothing to do
            report(changes, toBefore, td);
            return;
        }
        InodeRecord replaced = checkRename(c, src.name(), td, toName, dst);
        Rename r = new Rename(fd, src, td, toName, c, dst, replaced);
        if (c.isDirectory() || (replaced != null && replaced.isDirectory())) {
            table.directoryEpoch.incrementAndGet();
        }
        String oldPath = table.childPath(fd.inode, src.name());
        String newPath = table.newChildPath(td.inode, toName);
        boolean replacedGone = applyRename(r);
        boolean orphan = replacedGone && orphaned(replaced, newPath);
        journalRename(r, oldPath, newPath, replacedGone, orphan);
        report(changes, fromBefore, fd);
        report(changes, toBefore, td);
        if (replacedGone) {
            table.files.decrementAndGet();
            table.bytes.addAndGet(replaced.type == FileType.REGULAR ? -replaced.size : 0);
            if (orphan) {
                releaseIfClosed(replaced.inode);
            } else {
                data.dropAll(replaced);
            }
        }
    }

    /**
     * A rename under its locks: {@code moved} goes from {@code source} in {@code fromDir} to {@code toName}
     * in {@code toDir}, replacing {@code replaced} (named by {@code replacedEntry}), or nothing if null.
     */
    private record Rename(
            InodeRecord fromDir,
            InodeTable.Entry source,
            InodeRecord toDir,
            String toName,
            InodeRecord moved,
            Optional<InodeTable.Entry> replacedEntry,
            InodeRecord replaced) {}

    /**
     * Checks that {@code c} (named {@code fromName}) may become {@code toName} in {@code td}: a directory
     * is not moved under itself, and the entry it replaces, if any, is of the same kind and empty if a
     * directory. Returns the inode it replaces, or null.
     */
    private InodeRecord checkRename(
            InodeRecord c, String fromName, InodeRecord td, String toName, Optional<InodeTable.Entry> dst)
            throws IOException {
        if (c.isDirectory()) {
            for (long at = td.inode; at != FileVolume.ROOT_INODE; ) {
                if (at == c.inode) {
                    throw new VolumeException(
                            VolumeError.INVAL, "cannot move directory '" + fromName + "' under itself");
                }
                at = table.load(at).orElseThrow().links.getFirst().parent();
            }
        }
        if (dst.isEmpty()) {
            return null;
        }
        InodeRecord t = table.load(dst.get().child()).orElseThrow(() -> noEntry(toName));
        if (c.isDirectory() && !t.isDirectory()) {
            throw new VolumeException(VolumeError.NOTDIR, "cannot replace file '" + toName + "' by a directory");
        }
        if (!c.isDirectory() && t.isDirectory()) {
            throw new VolumeException(VolumeError.ISDIR, "cannot replace directory '" + toName + "' by a file");
        }
        if (t.isDirectory() && !table.isEmptyDir(t.inode)) {
            throw new VolumeException(VolumeError.NOTEMPTY, "directory '" + toName + "' is not empty");
        }
        return t;
    }

    /** Applies the rename to the records in memory; returns whether the replaced inode lost its last name. */
    private static boolean applyRename(Rename r) {
        InodeRecord fd = r.fromDir();
        InodeRecord td = r.toDir();
        InodeRecord c = r.moved();
        InodeRecord target = r.replaced();
        long now = InodeTable.now();
        boolean targetGone;
        if (target != null) {
            target.links.remove(
                    new InodeRecord.Link(td.inode, r.replacedEntry().get().name()));
            target.nlink = target.isDirectory() ? 0 : target.nlink - 1;
            target.touchAttributes(now);
            if (target.isDirectory()) {
                td.nlink--;
            }
            targetGone = target.nlink == 0;
        } else {
            targetGone = false;
        }
        c.links.remove(new InodeRecord.Link(fd.inode, r.source().name()));
        c.links.add(new InodeRecord.Link(td.inode, r.toName()));
        c.touchAttributes(now);
        if (c.isDirectory() && fd != td) {
            fd.nlink--;
            td.nlink++;
        }
        fd.touchContent(now);
        td.touchContent(now);
        return targetGone;
    }

    /**
     * Writes the renamed records in one DURABLE batch, journaling the removal of the replaced object and
     * the move of the renamed one (remembered as the inode's {@code lastRenameSeq}).
     */
    private void journalRename(Rename r, String oldPath, String newPath, boolean replacedGone, boolean orphan)
            throws IOException {
        InodeRecord fd = r.fromDir();
        InodeRecord td = r.toDir();
        InodeRecord c = r.moved();
        InodeRecord target = r.replaced();
        // the replaced object's own key: on a case-insensitive share its name may differ from newPath's
        String replacedPath = target == null
                ? newPath
                : table.childPath(td.inode, r.replacedEntry().get().name());
        table.store.update(
                b -> {
                    table.unlink(b, fd.inode, r.source());
                    if (target != null) {
                        table.unlink(b, td.inode, r.replacedEntry().get());
                        if ((target.etag != null && !target.etag.isEmpty()) || target.isDirectory()) {
                            table.journal(
                                    b, WritebackEntry.remove(target.inode, target.type, replacedPath, target.etag));
                        }
                        if (replacedGone) {
                            dropOrKeep(b, target, orphan);
                        } else {
                            table.put(b, target);
                        }
                    }
                    table.link(b, td, r.toName(), c);
                    if (c.etag != null || c.isDirectory()) {
                        c.lastRenameSeq =
                                table.journal(b, WritebackEntry.rename(c.inode, c.type, oldPath, newPath, c.etag));
                    }
                    table.put(b, c);
                    table.put(b, fd);
                    if (td != fd) {
                        table.put(b, td);
                    }
                },
                Durability.DURABLE);
    }

    /**
     * Frees orphan {@code inode} (record, mark, cached data) unless a client still holds it open: at its last
     * close, and when a remove raced with that close.
     */
    void releaseIfClosed(long inode) throws IOException {
        if (heldOpen.test(inode)) {
            return;
        }
        try (var held = table.locks.lock(inode)) {
            Optional<InodeRecord> found = table.load(inode);
            if (found.isEmpty() || found.get().nlink != 0 || !table.isOrphan(inode)) {
                return;
            }
            InodeRecord r = found.get();
            table.store.update(
                    b -> {
                        table.delete(b, r);
                        table.unmarkOrphan(b, inode);
                    },
                    Durability.DURABLE);
            data.dropAll(r);
        }
    }

    DirPage readdir(NodeId dir, long cookie, long verifier, int maxEntries, ShareVolume.Attributes attrs)
            throws IOException {
        InodeRecord d = table.requireDir(dir);
        if (maxEntries < 1) {
            throw new VolumeException(VolumeError.INVAL, "readdir of at most " + maxEntries + " entries");
        }
        long expected = verifierOf(d);
        if (cookie != 0 && verifier != expected) {
            throw new VolumeException(
                    VolumeError.BADCOOKIE, "cookie verifier " + verifier + " is not this directory's");
        }
        KeyRange range = MetaKeys.dirSlots(table.vol, d.inode);
        if (cookie != 0) {
            range = range.resumeAfter(MetaKeys.dirSlot(table.vol, d.inode, cookie));
        }
        List<DirEntry> entries = new ArrayList<>();
        boolean eof = true;
        try (MetaSnapshot snap = table.store.snapshot();
                MetaScan scan = snap.scan(range)) {
            while (scan.next()) {
                if (entries.size() == maxEntries) {
                    eof = false;
                    break;
                }
                long slot = ((MetaKeys.DirSlot) MetaKeys.parse(scan.key())).slot();
                String name = new String(scan.value(), StandardCharsets.UTF_8);
                Optional<InodeTable.Entry> e = table.entry(snap, d.inode, name);
                if (e.isEmpty()) {
                    continue;
                }
                Optional<InodeRecord> child = table.load(snap, e.get().child());
                if (child.isPresent()) {
                    entries.add(new DirEntry(name, attrs.of(child.get()), slot));
                }
            }
        }
        return new DirPage(entries, expected, eof);
    }

    /** Cookies are slots, valid for the directory's whole life: the verifier only names the directory. */
    static long verifierOf(InodeRecord d) {
        return ((d.inode * 0x9E3779B97F4A7C15L) ^ d.generation) | 1;
    }

    private static long childOf(Optional<InodeTable.Entry> e) {
        return e.isPresent() ? e.get().child() : 0;
    }

    private static VolumeException noEntry(String name) {
        return new VolumeException(VolumeError.NOENT, "no entry '" + name + "'");
    }
}
