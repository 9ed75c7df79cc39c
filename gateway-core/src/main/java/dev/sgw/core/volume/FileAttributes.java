package dev.sgw.core.volume;

import java.util.Objects;

/**
 * The attributes of one file, as {@code getattr} returns them. Times are nanoseconds since the epoch, kept
 * as they were set (an SMB FILETIME, in 100 ns units, comes back unchanged).
 *
 * @param id            the file's identity
 * @param type          regular file, directory or symbolic link
 * @param mode          permission bits (the low 12 bits: setuid, setgid, sticky, rwx for owner, group, others)
 * @param nlink         hard links (a directory: 2 plus its subdirectories)
 * @param uid           owner
 * @param gid           group
 * @param size          bytes (a symbolic link: the length of its target in UTF-8)
 * @param used          bytes of storage held (a sparse file holds less than its size)
 * @param atime         last access
 * @param mtime         last change of content
 * @param ctime         last change of content or attributes (SMB's ChangeTime)
 * @param btime         creation (birth); SMB's CreationTime
 * @param change        a counter that grows with every change of content or attributes (the NFSv4 change
 *                      attribute); never smaller after a restart
 * @param dosAttributes read-only, hidden, system, archive
 */
public record FileAttributes(
        NodeId id,
        FileType type,
        int mode,
        int nlink,
        int uid,
        int gid,
        long size,
        long used,
        long atime,
        long mtime,
        long ctime,
        long btime,
        long change,
        DosAttributes dosAttributes) {

    public FileAttributes {
        Objects.requireNonNull(dosAttributes, "dosAttributes");
    }

    /**
     * Attributes of a volume that keeps no birth time or DOS attributes: the birth time is the earlier of
     * {@code mtime} and {@code ctime}, the DOS attributes {@link DosAttributes#defaultFor the defaults}.
     */
    public FileAttributes(
            NodeId id,
            FileType type,
            int mode,
            int nlink,
            int uid,
            int gid,
            long size,
            long used,
            long atime,
            long mtime,
            long ctime,
            long change) {
        this(
                id,
                type,
                mode,
                nlink,
                uid,
                gid,
                size,
                used,
                atime,
                mtime,
                ctime,
                Math.min(mtime, ctime),
                change,
                DosAttributes.defaultFor(type));
    }

    /** These attributes with {@code used} bytes held instead. */
    public FileAttributes withUsed(long used) {
        return new FileAttributes(
                id, type, mode, nlink, uid, gid, size, used, atime, mtime, ctime, btime, change, dosAttributes);
    }

    /** These attributes with modification time {@code mtime} instead. */
    public FileAttributes withMtime(long mtime) {
        return new FileAttributes(
                id, type, mode, nlink, uid, gid, size, used, atime, mtime, ctime, btime, change, dosAttributes);
    }

    public long inode() {
        return id.inode();
    }

    public boolean isDirectory() {
        return type == FileType.DIRECTORY;
    }
}
