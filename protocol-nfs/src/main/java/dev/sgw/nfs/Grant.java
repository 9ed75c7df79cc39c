package dev.sgw.nfs;

import dev.sgw.core.manage.UserMapping;
import dev.sgw.core.spi.VolumeDirectory.NfsExport;
import dev.sgw.core.volume.Caller;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.SetAttributes;

/**
 * What one NFS call may do in one export, as {@link ExportAccess} decided it: the caller after squashing
 * and whether the client may write. Permission checks follow POSIX on the file's mode bits, with the
 * owner of a regular file always allowed to read and write it (a program that opened a file and then
 * made it read-only keeps writing, as on a local disk) and root allowed everything but executing a file
 * without any execute bit.
 *
 * @param export   the share and its volume
 * @param caller   the caller's ids after the share's user mapping
 * @param writable whether the client's allow-list rule is read-write
 */
public record Grant(NfsExport export, Caller caller, boolean writable) {
    private static final int SETUID = 04000, SETGID = 02000;

    public FileVolume volume() {
        return export.volume();
    }

    public int exportId() {
        return export.share().id();
    }

    /** NFS3ERR_ROFS unless the client may write. */
    public void requireWritable() throws Nfs3Exception {
        if (!writable) {
            throw new Nfs3Exception(Nfs3Status.NFS3ERR_ROFS, export.share().path() + " is read-only for this client");
        }
    }

    /**
     * The subset of {@code wanted} ({@link FileVolume#ACCESS_READ} | {@code ACCESS_WRITE} |
     * {@code ACCESS_EXECUTE}) the mode bits grant the caller; never write for a read-only client.
     */
    public int granted(FileAttributes file, int wanted) {
        int bits;
        if (caller.uid() == 0) {
            boolean executable = file.isDirectory() || (file.mode() & 0111) != 0;
            bits = FileVolume.ACCESS_READ | FileVolume.ACCESS_WRITE | (executable ? FileVolume.ACCESS_EXECUTE : 0);
        } else if (caller.uid() == file.uid()) {
            bits = (file.mode() >> 6) & 7;
        } else if (caller.inGroup(file.gid())) {
            bits = (file.mode() >> 3) & 7;
        } else {
            bits = file.mode() & 7;
        }
        if (!writable) {
            bits &= ~FileVolume.ACCESS_WRITE;
        }
        return bits & wanted;
    }

    /** NFS3ERR_ACCES unless the caller may do all of {@code wanted} on {@code file}. */
    public void require(FileAttributes file, int wanted) throws Nfs3Exception {
        int allowed = granted(file, wanted);
        if (file.type() == FileType.REGULAR && caller.uid() == file.uid()) {
            allowed |= wanted & (FileVolume.ACCESS_READ | (writable ? FileVolume.ACCESS_WRITE : 0));
        }
        if (allowed != wanted) {
            throw new Nfs3Exception(
                    Nfs3Status.NFS3ERR_ACCES,
                    "uid " + caller.uid() + " may not "
                            + describe(wanted & ~allowed) + " inode " + file.inode() + " (mode "
                            + Integer.toOctalString(file.mode())
                            + ", owner " + file.uid() + ":" + file.gid() + ")");
        }
    }

    /** {@link #checkSetattr(FileAttributes, SetAttributes, boolean)} with times set to given values. */
    public SetAttributes checkSetattr(FileAttributes current, SetAttributes change) throws Nfs3Exception {
        return checkSetattr(current, change, false);
    }

    /**
     * The attribute change the caller may make, or NFS3ERR_PERM. Root changes anything; only root gives a
     * file away; the owner changes the mode, the group (to one it is in) and sets times to given values;
     * anyone who may write the file sets its times to the server's time ({@code serverTime}). A non-root
     * owner setting the setgid bit on a file of a group it is not in loses that bit, as on a local disk.
     * Under {@link UserMapping#ALL_ANONYMOUS} ownership changes are dropped, not refused, so that copy
     * tools preserving owners keep working. A size change needs write access, which the caller checks.
     */
    public SetAttributes checkSetattr(FileAttributes current, SetAttributes change, boolean serverTime)
            throws Nfs3Exception {
        boolean root = caller.uid() == 0;
        boolean owner = root || caller.uid() == current.uid();
        Integer uid = change.uid();
        Integer gid = change.gid();
        if (export.share().userMapping() == UserMapping.ALL_ANONYMOUS) {
            uid = null;
            gid = null;
        }
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
        boolean times = change.atime() != null || change.mtime() != null;
        if (times && !owner) {
            if (!serverTime) {
                throw perm(current, "set the times");
            }
            require(current, FileVolume.ACCESS_WRITE);
        }
        if (!root && ((uid != null && uid != current.uid()) || (gid != null && gid != current.gid()))) {
            // a chgrp by the owner clears setuid/setgid, as chown(2) does
            int base = mode != null ? mode : current.mode();
            mode = base & ~(SETUID | SETGID);
        }
        return new SetAttributes(mode, uid, gid, change.size(), change.atime(), change.mtime());
    }

    /**
     * The attributes of a new file, directory or link: the caller owns it (root may ask for another
     * owner); under {@link UserMapping#ALL_ANONYMOUS} the anonymous user always does.
     */
    public SetAttributes forNew(SetAttributes requested) {
        int uid = caller.uid();
        int gid = caller.gid();
        boolean anonymous = export.share().userMapping() == UserMapping.ALL_ANONYMOUS;
        if (caller.uid() == 0 && !anonymous) {
            uid = requested.uid() != null ? requested.uid() : uid;
            gid = requested.gid() != null ? requested.gid() : gid;
        } else if (!anonymous && requested.gid() != null && caller.inGroup(requested.gid())) {
            gid = requested.gid();
        }
        return requested.withOwner(uid, gid);
    }

    private Nfs3Exception perm(FileAttributes file, String what) {
        return new Nfs3Exception(
                Nfs3Status.NFS3ERR_PERM,
                "uid " + caller.uid() + " may not " + what + " of inode " + file.inode() + " (owner " + file.uid() + ":"
                        + file.gid() + ")");
    }

    private static String describe(int bits) {
        StringBuilder s = new StringBuilder();
        if ((bits & FileVolume.ACCESS_READ) != 0) s.append("read ");
        if ((bits & FileVolume.ACCESS_WRITE) != 0) s.append("write ");
        if ((bits & FileVolume.ACCESS_EXECUTE) != 0) s.append("search/execute ");
        return s.toString().trim().replace(' ', '/');
    }
}
