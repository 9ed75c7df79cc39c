package dev.sgw.core.volume;

/**
 * The neutral error vocabulary of the volume layer, POSIX-like. Each protocol maps these in exactly one
 * place to its own status codes (nfsstat3/nfsstat4, NTSTATUS, SCSI sense data).
 */
public enum VolumeError {
    /** No such file or directory. */
    NOENT,
    /** The name already exists. */
    EXIST,
    /** A directory was expected. */
    NOTDIR,
    /** A directory was given where a non-directory was expected. */
    ISDIR,
    /** The directory is not empty. */
    NOTEMPTY,
    /** Permission denied by the file's mode bits or the share's rules. */
    ACCES,
    /** The operation is not permitted (e.g. only the owner may do it). */
    PERM,
    /** No space: the cache disk is full of data not yet uploaded, or the share's capacity is reached. */
    NOSPC,
    /** The share or volume is read-only. */
    ROFS,
    /** A name is longer than the volume allows. */
    NAMETOOLONG,
    /** The handle names a file that no longer exists (its inode was freed or reused). */
    STALE,
    /** The data could not be read or written (the bucket failed, an integrity check failed). */
    IO,
    /** An argument is invalid (unaligned block I/O, a bad name, an out-of-range offset). */
    INVAL,
    /** A readdir cookie is no longer valid for this directory. */
    BADCOOKIE,
    /** The file would become larger than the volume allows. */
    FBIG,
    /** Too many hard links. */
    MLINK,
    /** The volume does not support this operation. */
    NOTSUPP,
    /** The volume is closed or not yet open. */
    UNAVAILABLE,
    /** Another open's share mode (deny read, write or delete) refuses this open or its access. */
    SHARING_VIOLATION,
    /** A byte-range lock of another owner forbids this I/O. */
    LOCKED,
    /** The file is marked for deletion when its last open closes; it takes no new opens. */
    DELETE_PENDING
}
