package dev.sgw.core.access;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.NavigableMap;

import dev.sgw.core.volume.Caller;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.DirChanges;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.ForwardingFileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.ReadResult;
import dev.sgw.core.volume.RenameMode;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.WriteResult;

/**
 * A {@link FileVolume} as one caller may use it: every call is checked, then passed to the volume. Built per
 * call (or per session) by a protocol from the caller after squashing ({@link CallerMapping}) and whether the
 * client's rule allows changes. Checks follow POSIX on the file's mode bits, with the owner of a regular file
 * always allowed to read and write it (a program that opened a file and then made it read-only keeps writing,
 * as on a local disk) and root allowed everything but executing a file without any execute bit.
 *
 * <pre>
 * call                     | checks, in this order                        | fails with
 * getattr, readlink,       | none                                         |
 * commit, statfs           |                                              |
 * lookup, readdir          | the directory: NOTDIR; search (lookup) or    | NOTDIR, ACCES
 *                          | read (readdir)                               |
 * create, mkdir, symlink,  | read-only export; the directory: NOTDIR,     | ROFS, NOTDIR, ACCES
 * link, remove, rmdir      | write and search; new files belong to the    |
 *                          | caller ({@link #forNew})                     |
 * rename                   | read-only export; both directories as above  | ROFS, NOTDIR, ACCES
 * setattr                  | read-only export; {@link #allowedChange};    | ROFS, PERM, ACCES
 *                          | a size change needs write                    |
 * read                     | read or execute (a client loading a program  | ACCES
 *                          | it may only execute)                         |
 * write                    | read-only export; write                      | ROFS, ACCES
 * readOpened, writeOpened  | only the read-only export (for writes): the  | ROFS
 *                          | open was checked ({@link #requireAccess})    |
 * namedAttributes          | as read                                      | ACCES
 * setNamedAttribute        | read-only export; write, or the owner        | ROFS, ACCES
 * namedAttributesOpened,   | as readOpened, writeOpened                   | ROFS
 * setNamedAttributeOpened  |                                              |
 * access                   | the volume's answer, never write on a        |
 *                          | read-only export                             |
 * </pre>
 *
 * <p>Closing this view does not close the volume, which belongs to its share.
 */
public final class CheckedFileVolume extends ForwardingFileVolume {
    private static final int SETUID = 04000, SETGID = 02000;
    private static final int SEARCH = ACCESS_EXECUTE;
    private static final int WRITE_AND_SEARCH = ACCESS_WRITE | ACCESS_EXECUTE;

    /** The volume checked (the same as {@link #inner()}). */
    private final FileVolume volume;

    private final Caller caller;
    private final boolean writable;
    private final boolean ownerChangesIgnored;

    /**
     * {@code volume} as {@code caller} may use it, ownership changes checked.
     *
     * @param volume   the share's volume
     * @param caller   the caller's ids after the share's user mapping
     * @param writable whether the client's rule allows changes (else every change is ROFS)
     */
    public CheckedFileVolume(FileVolume volume, Caller caller, boolean writable) {
        this(volume, caller, writable, false);
    }

    /** As the public constructor; {@code ownerChangesIgnored} as {@link CallerMapping#ignoresOwnerChanges()}. */
    CheckedFileVolume(FileVolume volume, Caller caller, boolean writable, boolean ownerChangesIgnored) {
        super(volume);
        this.volume = volume;
        this.caller = caller;
        this.writable = writable;
        this.ownerChangesIgnored = ownerChangesIgnored;
    }

    /** The caller, after squashing. */
    public Caller caller() {
        return caller;
    }

    /** Whether the client may change anything. */
    public boolean writable() {
        return writable;
    }

    // ---- the checks, also for protocols whose own steps need one (an open, a lookup of ".") -------

    /** ROFS unless the client may change anything. */
    public void requireWritable() throws VolumeException {
        if (!writable) {
            throw new VolumeException(VolumeError.ROFS, volume.name() + " is read-only for this client");
        }
    }

    /**
     * The subset of {@code wanted} ({@link FileVolume#ACCESS_READ} | {@code ACCESS_WRITE} | {@code
     * ACCESS_EXECUTE}) the mode bits of {@code file} grant the caller; never write on a read-only export.
     */
    public int granted(FileAttributes file, int wanted) {
        int bits = caller.granted(file.mode(), file.uid(), file.gid(), file.isDirectory());
        if (!writable) {
            bits &= ~ACCESS_WRITE;
        }
        return bits & wanted;
    }

    /**
     * ACCES unless the caller may do all of {@code wanted} on {@code file}: the mode bits, and the owner of a
     * regular file reads it and writes it (on a writable export) whatever its mode. What an open checks.
     */
    public void requireAccess(FileAttributes file, int wanted) throws VolumeException {
        int allowed = granted(file, wanted);
        if (file.type() == FileType.REGULAR && caller.uid() == file.uid()) {
            allowed |= wanted & (ACCESS_READ | (writable ? ACCESS_WRITE : 0));
        }
        if (allowed != wanted) {
            throw new VolumeException(
                    VolumeError.ACCES,
                    "uid " + caller.uid() + " may not "
                            + describe(wanted & ~allowed) + " inode " + file.inode() + " (mode "
                            + Integer.toOctalString(file.mode())
                            + ", owner " + file.uid() + ":" + file.gid() + ")");
        }
    }

    /**
     * ACCES unless the caller may read {@code file} without opening it: read permission, or execute (a
     * client loading a program it may only execute), or its ownership of a regular file.
     */
    public void requireRead(FileAttributes file) throws VolumeException {
        if (granted(file, ACCESS_READ | ACCESS_EXECUTE) == 0) {
            requireAccess(file, ACCESS_READ);
        }
    }

    /**
     * The attribute change the caller may make, or PERM. Root changes anything; only root gives a file away;
     * the owner changes the mode, the group (to one it is in) and sets times to given values; anyone who may
     * write the file sets its times to the server's time ({@code serverTime}). A non-root owner setting the
     * setgid bit on a file of a group it is not in loses that bit, as on a local disk. When ownership changes
     * are ignored ({@link CallerMapping#ignoresOwnerChanges()}) they are dropped, not refused, so that copy
     * tools preserving owners keep working. A size change needs write access, checked by {@link #setattr}.
     */
    public SetAttributes allowedChange(FileAttributes current, SetAttributes change, boolean serverTime)
            throws VolumeException {
        boolean root = caller.uid() == 0;
        boolean owner = root || caller.uid() == current.uid();
        Integer uid = ownerChangesIgnored ? null : change.uid();
        Integer gid = ownerChangesIgnored ? null : change.gid();
        if (uid != null && uid != current.uid() && !root) {
            throw perm(current, "change the owner to " + uid);
        }
        if (gid != null && gid != current.gid() && !(root || (owner && caller.inGroup(gid)))) {
            throw perm(current, "change the group to " + gid);
        }
        Integer mode = change.mode();
        if (mode != null) {
            if (!owner) {
                throw perm(current, "change the mode");
            }
            int group = gid != null ? gid : current.gid();
            if (!root && (mode & SETGID) != 0 && current.type() == FileType.REGULAR && !caller.inGroup(group)) {
                mode &= ~SETGID;
            }
        }
        boolean times =
                change.atime() != null || change.mtime() != null || change.ctime() != null || change.btime() != null;
        if (times && !owner) {
            if (!serverTime) {
                throw perm(current, "set the times");
            }
            requireAccess(current, ACCESS_WRITE);
        }
        if (change.dosAttributes() != null && !owner) {
            requireAccess(current, ACCESS_WRITE); // DOS attributes: whoever may write the file (FILE_WRITE_ATTRIBUTES)
        }
        if (!root && ((uid != null && uid != current.uid()) || (gid != null && gid != current.gid()))) {
            // a chgrp by the owner clears setuid/setgid, as chown(2) does
            int base = mode != null ? mode : current.mode();
            mode = base & ~(SETUID | SETGID);
        }
        return new SetAttributes(
                mode,
                uid,
                gid,
                change.size(),
                change.atime(),
                change.mtime(),
                change.ctime(),
                change.btime(),
                change.dosAttributes());
    }

    /**
     * The attributes of a new file, directory or link: the caller owns it (root may ask for another owner, a
     * member of the asked group gets that group); when ownership changes are ignored the caller always does.
     */
    public SetAttributes forNew(SetAttributes requested) {
        int uid = caller.uid();
        int gid = caller.gid();
        if (caller.uid() == 0 && !ownerChangesIgnored) {
            uid = requested.uid() != null ? requested.uid() : uid;
            gid = requested.gid() != null ? requested.gid() : gid;
        } else if (!ownerChangesIgnored && requested.gid() != null && caller.inGroup(requested.gid())) {
            gid = requested.gid();
        }
        return requested.withOwner(uid, gid);
    }

    // ---- FileVolume --------------------------------------------------------------------------------

    /** {@link #setattr(NodeId, SetAttributes, boolean)} with times set to values the client gave. */
    @Override
    public FileAttributes setattr(NodeId node, SetAttributes change) throws IOException {
        return setattr(node, change, false);
    }

    /**
     * Changes what {@link #allowedChange} allows of {@code change}; {@code serverTime}: the times set are the
     * server's current time (which anyone who may write the file may set).
     */
    public FileAttributes setattr(NodeId node, SetAttributes change, boolean serverTime) throws IOException {
        requireWritable();
        FileAttributes current = volume.getattr(node);
        SetAttributes allowed = allowedChange(current, change, serverTime);
        if (allowed.size() != null) {
            requireAccess(current, ACCESS_WRITE);
        }
        return volume.setattr(node, allowed);
    }

    /** A directory's parent, as {@code ..}: the caller needs search permission on the directory. */
    @Override
    public FileAttributes parent(NodeId node) throws IOException {
        FileAttributes at = volume.getattr(node);
        if (at.isDirectory()) {
            requireAccess(at, SEARCH);
        }
        return volume.parent(node);
    }

    @Override
    public FileAttributes lookup(NodeId dir, String name) throws IOException {
        requireAccess(directory(dir), SEARCH);
        return volume.lookup(dir, name);
    }

    @Override
    public FileAttributes create(NodeId dir, String name, CreateMode mode, SetAttributes initial, DirChanges changes)
            throws IOException {
        changeIn(dir);
        return volume.create(dir, name, mode, forNew(initial), changes);
    }

    @Override
    public FileAttributes createExclusive(
            NodeId dir, String name, long verifier, SetAttributes initial, DirChanges changes) throws IOException {
        changeIn(dir);
        return volume.createExclusive(dir, name, verifier, forNew(initial), changes);
    }

    @Override
    public FileAttributes mkdir(NodeId dir, String name, SetAttributes initial, DirChanges changes) throws IOException {
        changeIn(dir);
        return volume.mkdir(dir, name, forNew(initial), changes);
    }

    @Override
    public FileAttributes symlink(NodeId dir, String name, String target, SetAttributes initial, DirChanges changes)
            throws IOException {
        changeIn(dir);
        return volume.symlink(dir, name, target, forNew(initial), changes);
    }

    @Override
    public FileAttributes link(NodeId node, NodeId dir, String name, DirChanges changes) throws IOException {
        changeIn(dir);
        return volume.link(node, dir, name, changes);
    }

    @Override
    public void remove(NodeId dir, String name, DirChanges changes) throws IOException {
        changeIn(dir);
        volume.remove(dir, name, changes);
    }

    @Override
    public void rmdir(NodeId dir, String name, DirChanges changes) throws IOException {
        changeIn(dir);
        volume.rmdir(dir, name, changes);
    }

    @Override
    public void rename(
            NodeId fromDir, String fromName, NodeId toDir, String toName, RenameMode mode, DirChanges changes)
            throws IOException {
        changeIn(fromDir);
        changeIn(toDir);
        volume.rename(fromDir, fromName, toDir, toName, mode, changes);
    }

    @Override
    public FileAttributes deallocate(NodeId file, long offset, long length) throws IOException {
        requireWritable();
        requireAccess(volume.getattr(file), ACCESS_WRITE);
        return volume.deallocate(file, offset, length);
    }

    @Override
    public DirPage readdir(NodeId dir, long cookie, long verifier, int maxEntries) throws IOException {
        requireAccess(directory(dir), ACCESS_READ);
        return volume.readdir(dir, cookie, verifier, maxEntries);
    }

    /** Reads if {@link #requireRead} allows it. */
    @Override
    public ReadResult read(NodeId file, long offset, ByteBuffer dst) throws IOException {
        requireRead(volume.getattr(file));
        return volume.read(file, offset, dst);
    }

    /** Reads through an open whose access was checked when it was opened ({@link #requireAccess}). */
    public ReadResult readOpened(NodeId file, long offset, ByteBuffer dst) throws IOException {
        return volume.read(file, offset, dst);
    }

    @Override
    public WriteResult write(NodeId file, long offset, ByteBuffer src, Stability stability) throws IOException {
        requireWritable();
        requireAccess(volume.getattr(file), ACCESS_WRITE);
        return volume.write(file, offset, src, stability);
    }

    /**
     * Writes through an open whose access was checked when it was opened ({@link #requireAccess}); ROFS if the
     * client may no longer change anything.
     */
    public WriteResult writeOpened(NodeId file, long offset, ByteBuffer src, Stability stability) throws IOException {
        requireWritable();
        return volume.write(file, offset, src, stability);
    }

    /** What the volume grants {@code who}, never write on a read-only export. */
    @Override
    public NavigableMap<String, byte[]> namedAttributes(NodeId node) throws IOException {
        requireRead(volume.getattr(node));
        return volume.namedAttributes(node);
    }

    /** The named attributes of a node the caller opened (its open was checked). */
    public NavigableMap<String, byte[]> namedAttributesOpened(NodeId node) throws IOException {
        return volume.namedAttributes(node);
    }

    @Override
    public FileAttributes setNamedAttribute(NodeId node, String name, byte[] value) throws IOException {
        requireWritable();
        FileAttributes file = volume.getattr(node);
        if (caller.uid() != file.uid()) {
            requireAccess(file, ACCESS_WRITE);
        }
        return volume.setNamedAttribute(node, name, value);
    }

    /** Sets a named attribute of a node the caller opened: only the read-only export is checked. */
    public FileAttributes setNamedAttributeOpened(NodeId node, String name, byte[] value) throws IOException {
        requireWritable();
        return volume.setNamedAttribute(node, name, value);
    }

    @Override
    public int access(NodeId node, Caller who, int wanted) throws IOException {
        int bits = volume.access(node, who, wanted);
        return writable ? bits : bits & ~ACCESS_WRITE;
    }

    /** Nothing: the volume belongs to its share and outlives this caller's view of it. */
    @Override
    public void close() {}

    // ---- helpers --------------------------------------------------------------------------------------

    /** A change of directory {@code dir}'s entries: ROFS, NOTDIR, ACCES unless the caller may write and search it. */
    private void changeIn(NodeId dir) throws IOException {
        requireWritable();
        requireAccess(directory(dir), WRITE_AND_SEARCH);
    }

    /** The attributes of {@code dir}, NOTDIR unless it is a directory. */
    private FileAttributes directory(NodeId dir) throws IOException {
        FileAttributes attributes = volume.getattr(dir);
        if (!attributes.isDirectory()) {
            throw new VolumeException(VolumeError.NOTDIR, "inode " + attributes.inode() + " is not a directory");
        }
        return attributes;
    }

    private VolumeException perm(FileAttributes file, String what) {
        return new VolumeException(
                VolumeError.PERM,
                "uid " + caller.uid() + " may not " + what + " of inode " + file.inode() + " (owner " + file.uid() + ":"
                        + file.gid() + ")");
    }

    private static String describe(int bits) {
        StringBuilder s = new StringBuilder();
        if ((bits & ACCESS_READ) != 0) s.append("read ");
        if ((bits & ACCESS_WRITE) != 0) s.append("write ");
        if ((bits & ACCESS_EXECUTE) != 0) s.append("search/execute ");
        return s.toString().trim().replace(' ', '/');
    }
}
