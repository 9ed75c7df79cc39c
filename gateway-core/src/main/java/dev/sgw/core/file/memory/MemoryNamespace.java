package dev.sgw.core.file.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;

import dev.sgw.core.volume.DirEntry;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileNames;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.RenameMode;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;

/**
 * The inodes of a {@link MemoryFileVolume} and its namespace operations (lookup, parent, create, link,
 * remove, rename, readdir), with the rules of {@code ShareVolume}'s namespace. Not thread-safe: the
 * volume's lock guards it.
 *
 * <p>Inode numbers: a freed number is given out again (oldest freed first) with its generation plus one,
 * so a handle of a removed file stays {@link VolumeError#STALE} after its number is reused.
 *
 * <p>nlink: a file has one per name; a directory 2 plus its subdirectories (its entry in the parent, its
 * own {@code .}, and each child's {@code ..}).
 */
final class MemoryNamespace {
    static final int MAX_LINKS = 65000;

    private final MemoryFileVolume.Settings settings;
    private final Map<Long, MemoryNode> nodes = new HashMap<>();
    /** Freed inode numbers, oldest first, and the generation each had last. */
    private final Queue<Long> freed = new ArrayDeque<>();

    private final Map<Long, Long> lastGeneration = new HashMap<>();
    private long nextInode = FileVolume.ROOT_INODE + 1;
    /** The sizes of the regular files, for statfs. */
    private long bytes;

    MemoryNamespace(MemoryFileVolume.Settings settings) {
        this.settings = settings;
        MemoryNode root = new MemoryNode(FileVolume.ROOT_INODE, 1, FileType.DIRECTORY, null);
        root.mode = settings.defaultDirMode();
        root.uid = settings.defaultUid();
        root.gid = settings.defaultGid();
        root.atime = root.mtime = root.ctime = root.btime = MemoryNode.now();
        nodes.put(root.inode, root);
    }

    /** Inodes in use, the root included. */
    long files() {
        return nodes.size();
    }

    /** Bytes of all regular files' sizes. */
    long bytes() {
        return bytes;
    }

    /** Notes that a regular file's size changed by {@code delta}. */
    void sizeChanged(long delta) {
        bytes += delta;
    }

    /** Inode {@code inode}, whatever its generation, if it exists. */
    Optional<MemoryNode> find(long inode) {
        return Optional.ofNullable(nodes.get(inode));
    }

    /** The inode of a handle: STALE if it is gone or its generation differs. */
    MemoryNode require(NodeId id) throws VolumeException {
        MemoryNode n = nodes.get(id.inode());
        if (n == null || n.generation != id.generation()) {
            throw new VolumeException(
                    VolumeError.STALE,
                    "inode " + id.inode() + " (generation " + id.generation() + ") no longer exists");
        }
        return n;
    }

    MemoryNode requireDir(NodeId id) throws VolumeException {
        MemoryNode n = require(id);
        if (!n.isDirectory()) {
            throw new VolumeException(VolumeError.NOTDIR, "inode " + id.inode() + " is not a directory");
        }
        return n;
    }

    MemoryNode lookup(NodeId dir, String name) throws VolumeException {
        MemoryNode d = requireDir(dir);
        FileNames.check(name);
        return child(d.entry(name).orElseThrow(() -> noEntry(name)));
    }

    /** The directory holding {@code node}: the root for the root, else the parent of its first link. */
    MemoryNode parent(NodeId node) throws VolumeException {
        MemoryNode n = require(node);
        if (n.inode == FileVolume.ROOT_INODE) {
            return n;
        }
        return existing(n.links.getFirst().parent());
    }

    /** What {@link #make} did: the inode, and whether it is new (else an existing regular file). */
    record Made(MemoryNode node, boolean created) {}

    /**
     * Creates a file, directory or symbolic link named {@code name} in {@code dir}; with
     * {@code exclusive == false} an existing regular file is returned instead (the caller applies
     * {@code initial} to it).
     */
    Made make(NodeId dir, String name, FileType type, String target, boolean exclusive, SetAttributes initial)
            throws VolumeException {
        return make(dir, name, type, target, exclusive, null, initial);
    }

    /**
     * {@link #make(NodeId, String, FileType, String, boolean, SetAttributes)}; a regular file made with a
     * non-null {@code createVerifier} keeps it, and an existing regular file that keeps the same verifier
     * is returned (not created) even when {@code exclusive}: a retransmitted exclusive create.
     */
    Made make(
            NodeId dir,
            String name,
            FileType type,
            String target,
            boolean exclusive,
            Long createVerifier,
            SetAttributes initial)
            throws VolumeException {
        FileNames.check(name);
        MemoryNode d = requireDir(dir);
        Optional<MemoryNode.Entry> existing = d.entry(name);
        if (existing.isPresent()) {
            return new Made(existing(existing.get(), name, type, exclusive, createVerifier), false);
        }
        if (type == FileType.DIRECTORY && d.nlink >= MAX_LINKS) {
            throw new VolumeException(VolumeError.MLINK, "too many subdirectories");
        }
        long now = MemoryNode.now();
        MemoryNode r = allocate(type, target);
        r.mode = (initial.mode() != null ? initial.mode() : defaultMode(type)) & 07777;
        r.uid = initial.uid() != null ? initial.uid() : settings.defaultUid();
        r.gid = initial.gid() != null ? initial.gid() : settings.defaultGid();
        r.atime = initial.atime() != null ? initial.atime() : now;
        r.mtime = initial.mtime() != null ? initial.mtime() : now;
        r.ctime = initial.ctime() != null ? initial.ctime() : now;
        r.btime = initial.btime() != null ? initial.btime() : now;
        r.dos = (initial.dosAttributes() != null ? initial.dosAttributes() : DosAttributes.defaultFor(type)).bits();
        if (createVerifier != null) {
            r.hasCreateVerifier = true;
            r.createVerifier = createVerifier;
        }
        r.links.add(new MemoryNode.Link(d.inode, name));
        d.addEntry(name, r.inode);
        if (type == FileType.DIRECTORY) {
            d.nlink++;
        }
        d.touchContent(now);
        return new Made(r, true);
    }

    /** The existing regular file {@link #make} returns for entry {@code e}, or the error it fails with. */
    private MemoryNode existing(MemoryNode.Entry e, String name, FileType type, boolean exclusive, Long createVerifier)
            throws VolumeException {
        MemoryNode c = child(e);
        if (createVerifier != null && c.type == FileType.REGULAR) {
            if (c.hasCreateVerifier && c.createVerifier == createVerifier) {
                return c;
            }
            throw new VolumeException(VolumeError.EXIST, "'" + name + "' exists (made with another verifier)");
        }
        if (exclusive || type != FileType.REGULAR) {
            throw new VolumeException(VolumeError.EXIST, "'" + name + "' exists");
        }
        if (c.type != FileType.REGULAR) {
            throw new VolumeException(
                    c.isDirectory() ? VolumeError.ISDIR : VolumeError.EXIST,
                    "'" + name + "' exists and is not a regular file");
        }
        return c;
    }

    /** A new name {@code name} in {@code dir} for the non-directory {@code node}. */
    MemoryNode link(NodeId node, NodeId dir, String name) throws VolumeException {
        FileNames.check(name);
        MemoryNode r = require(node);
        MemoryNode d = requireDir(dir);
        if (r.isDirectory()) {
            throw new VolumeException(VolumeError.ISDIR, "cannot hard-link a directory");
        }
        if (r.nlink >= MAX_LINKS) {
            throw new VolumeException(VolumeError.MLINK, "too many links");
        }
        if (d.entry(name).isPresent()) {
            throw new VolumeException(VolumeError.EXIST, "'" + name + "' exists");
        }
        long now = MemoryNode.now();
        r.nlink++;
        r.links.add(new MemoryNode.Link(d.inode, name));
        r.touchAttributes(now);
        d.addEntry(name, r.inode);
        d.touchContent(now);
        return r;
    }

    /** Removes a name of a non-directory ({@code directory == false}) or an empty directory; returns its inode. */
    MemoryNode remove(NodeId dir, String name, boolean directory) throws VolumeException {
        FileNames.check(name);
        MemoryNode d = requireDir(dir);
        MemoryNode c = child(d.entry(name).orElseThrow(() -> noEntry(name)));
        if (directory && !c.isDirectory()) {
            throw new VolumeException(VolumeError.NOTDIR, "'" + name + "' is not a directory");
        }
        if (!directory && c.isDirectory()) {
            throw new VolumeException(VolumeError.ISDIR, "'" + name + "' is a directory");
        }
        if (directory && c.hasEntries()) {
            throw new VolumeException(VolumeError.NOTEMPTY, "directory '" + name + "' is not empty");
        }
        long now = MemoryNode.now();
        d.removeEntry(name);
        d.touchContent(now);
        if (directory) {
            d.nlink--;
        }
        unname(c, d, name, now);
        return c;
    }

    /**
     * Renames atomically, replacing a target of the same kind (an empty directory by a directory), or with
     * {@link RenameMode#NO_REPLACE} failing with EXIST when the target exists. Renaming a name onto another
     * name of the same file changes nothing. Returns the inode renamed.
     */
    MemoryNode rename(NodeId fromDir, String fromName, NodeId toDir, String toName, RenameMode mode)
            throws VolumeException {
        FileNames.check(fromName);
        FileNames.check(toName);
        MemoryNode fd = requireDir(fromDir);
        MemoryNode td = requireDir(toDir);
        MemoryNode c = child(fd.entry(fromName).orElseThrow(() -> noEntry(fromName)));
        Optional<MemoryNode.Entry> dst = td.entry(toName);
        if (dst.isPresent() && mode == RenameMode.NO_REPLACE) {
            throw new VolumeException(VolumeError.EXIST, "'" + toName + "' exists");
        }
        if (dst.isPresent() && dst.get().child() == c.inode) {
            return c;
        }
        MemoryNode replaced = checkRename(c, fromName, td, toName, dst);
        long now = MemoryNode.now();
        if (replaced != null) {
            td.removeEntry(toName);
            if (replaced.isDirectory()) {
                td.nlink--;
            }
            unname(replaced, td, toName, now);
        }
        fd.removeEntry(fromName);
        c.links.remove(new MemoryNode.Link(fd.inode, fromName));
        c.links.add(new MemoryNode.Link(td.inode, toName));
        td.addEntry(toName, c.inode);
        c.touchAttributes(now);
        if (c.isDirectory() && fd != td) {
            fd.nlink--;
            td.nlink++;
        }
        fd.touchContent(now);
        td.touchContent(now);
        return c;
    }

    /**
     * Checks that {@code c} (named {@code fromName}) may become {@code toName} in {@code td}: a directory
     * is not moved under itself, and the entry it replaces, if any, is of the same kind and empty if a
     * directory. Returns the inode it replaces, or null.
     */
    private MemoryNode checkRename(
            MemoryNode c, String fromName, MemoryNode td, String toName, Optional<MemoryNode.Entry> dst)
            throws VolumeException {
        if (c.isDirectory()) {
            for (long at = td.inode; at != FileVolume.ROOT_INODE; ) {
                if (at == c.inode) {
                    throw new VolumeException(
                            VolumeError.INVAL, "cannot move directory '" + fromName + "' under itself");
                }
                at = existing(at).links.getFirst().parent();
            }
        }
        if (dst.isEmpty()) {
            return null;
        }
        MemoryNode t = child(dst.get());
        if (c.isDirectory() && !t.isDirectory()) {
            throw new VolumeException(VolumeError.NOTDIR, "cannot replace file '" + toName + "' by a directory");
        }
        if (!c.isDirectory() && t.isDirectory()) {
            throw new VolumeException(VolumeError.ISDIR, "cannot replace directory '" + toName + "' by a file");
        }
        if (t.isDirectory() && t.hasEntries()) {
            throw new VolumeException(VolumeError.NOTEMPTY, "directory '" + toName + "' is not empty");
        }
        return t;
    }

    /** Lists {@code dir} after cookie {@code cookie} (a slot), at most {@code maxEntries} entries. */
    DirPage readdir(NodeId dir, long cookie, long verifier, int maxEntries) throws VolumeException {
        MemoryNode d = requireDir(dir);
        if (maxEntries < 1) {
            throw new VolumeException(VolumeError.INVAL, "readdir of at most " + maxEntries + " entries");
        }
        if (cookie != 0 && verifier != d.verifier()) {
            throw new VolumeException(
                    VolumeError.BADCOOKIE, "cookie verifier " + verifier + " is not this directory's");
        }
        List<DirEntry> entries = new ArrayList<>();
        boolean eof = true;
        for (Map.Entry<Long, String> e : d.entriesAfter(cookie).entrySet()) {
            if (entries.size() == maxEntries) {
                eof = false;
                break;
            }
            MemoryNode child = child(d.entry(e.getValue()).orElseThrow());
            entries.add(new DirEntry(e.getValue(), child.attributes(), e.getKey()));
        }
        return new DirPage(entries, d.verifier(), eof);
    }

    // ---- internals -------------------------------------------------------------------------------

    private int defaultMode(FileType type) {
        return switch (type) {
            case DIRECTORY -> settings.defaultDirMode();
            case SYMLINK -> 0777;
            case REGULAR -> settings.defaultFileMode();
        };
    }

    /** A new inode: a freed number with its next generation, else a number never used. */
    private MemoryNode allocate(FileType type, String target) {
        Long reused = freed.poll();
        MemoryNode r = reused == null
                ? new MemoryNode(nextInode++, 1, type, target)
                : new MemoryNode(reused, lastGeneration.remove(reused) + 1, type, target);
        nodes.put(r.inode, r);
        return r;
    }

    /** Drops link {@code name} of {@code dir} from {@code c}; frees it when its last name (a directory: its one) goes. */
    private void unname(MemoryNode c, MemoryNode dir, String name, long now) {
        c.links.remove(new MemoryNode.Link(dir.inode, name));
        c.nlink = c.isDirectory() ? 0 : c.nlink - 1;
        c.touchAttributes(now);
        if (c.nlink == 0) {
            nodes.remove(c.inode);
            lastGeneration.put(c.inode, c.generation);
            freed.add(c.inode);
            if (c.type == FileType.REGULAR) {
                bytes -= c.size;
            }
        }
    }

    private MemoryNode child(MemoryNode.Entry e) throws VolumeException {
        return existing(e.child());
    }

    /** An inode an entry or a link names; missing only if this class broke its own invariants. */
    private MemoryNode existing(long inode) throws VolumeException {
        MemoryNode n = nodes.get(inode);
        if (n == null) {
            throw new VolumeException(VolumeError.IO, "inode " + inode + " is named but does not exist");
        }
        return n;
    }

    private static VolumeException noEntry(String name) {
        return new VolumeException(VolumeError.NOENT, "no entry '" + name + "'");
    }
}
