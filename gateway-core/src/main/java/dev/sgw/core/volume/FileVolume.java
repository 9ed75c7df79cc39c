package dev.sgw.core.volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.NavigableMap;

/**
 * A POSIX namespace of one file share, addressed by inode numbers with generations ({@link NodeId}),
 * used by the NFS and SMB servers. Every method is thread-safe and blocking (protocols call it from
 * virtual threads) and fails with a {@link VolumeException}; a {@link NodeId} whose file no longer
 * exists fails with {@link VolumeError#STALE}.
 *
 * <p>Permissions: the volume does not check them on its own; a protocol asks {@link #access} or wraps
 * the volume in a checking decorator. Names are 1 to {@link FsStats#maxNameBytes()} UTF-8 bytes without
 * {@code /} or NUL, never {@code .} or {@code ..}.
 *
 * <p>Durability: a write returns with the {@link Stability} it reached; {@link #commit} makes all
 * earlier writes and namespace changes of a file durable on the cache disk. Namespace changes (create,
 * mkdir, remove, rename, setattr) are durable on the cache disk when they return. Everything reaches the
 * bucket later, in the background ({@link BucketSync}).
 *
 * <p>Optional operations ({@link #createExclusive}, {@link #deallocate}, {@link #namedAttributes},
 * {@link #setNamedAttribute}) are default methods that answer
 * {@link VolumeError#NOTSUPP}; a decorator passes them through to the volume it wraps. A volume that cannot
 * rename without replacing atomically answers NOTSUPP for {@link RenameMode#NO_REPLACE}.
 *
 * <p>Directory changes: each namespace change (create, createExclusive, mkdir, symlink, link, remove, rmdir,
 * rename) has a form that takes a {@link DirChanges}, where the volume reports the attributes of each directory
 * whose entries it changed just before and just after, read under the lock it changes the directory with
 * (NFSv3 {@code wcc_data}, NFSv4 atomic {@code change_info4}). The forms without one pass
 * {@link DirChanges#ignored()}: an implementation or decorator implements the reporting forms only.
 */
public interface FileVolume extends AutoCloseable {

    /** The inode number of the root directory. */
    long ROOT_INODE = 1;

    /** Access bits for {@link #access}. */
    int ACCESS_READ = 4;

    int ACCESS_WRITE = 2;
    int ACCESS_EXECUTE = 1;

    /** The share's name, for logs and metrics. */
    String name();

    /** The root directory. */
    NodeId root();

    /**
     * A value that changes whenever the gateway restarts, so that a client holding unstable writes knows
     * it must send them again (the NFSv3 write verifier).
     */
    long writeVerifier();

    FileAttributes getattr(NodeId node) throws IOException;

    /** Changes the given attributes; a size change truncates or extends a regular file. */
    FileAttributes setattr(NodeId node, SetAttributes change) throws IOException;

    /** The child {@code name} of directory {@code dir}. */
    FileAttributes lookup(NodeId dir, String name) throws IOException;

    /**
     * The directory holding {@code node} (NFS's {@code ..} and LOOKUPP): a directory's parent, the root for
     * the root itself, and for a non-directory the directory of its first link.
     */
    FileAttributes parent(NodeId node) throws IOException;

    /**
     * Creates a regular file (see {@link CreateMode} for an existing name). Unset attributes take the
     * share's defaults.
     */
    default FileAttributes create(NodeId dir, String name, CreateMode mode, SetAttributes initial) throws IOException {
        return create(dir, name, mode, initial, DirChanges.ignored());
    }

    /** {@link #create(NodeId, String, CreateMode, SetAttributes)}, reporting {@code dir} to {@code changes}. */
    FileAttributes create(NodeId dir, String name, CreateMode mode, SetAttributes initial, DirChanges changes)
            throws IOException;

    /**
     * Creates a regular file exclusively, keeping {@code verifier} on it (NFSv3 EXCLUSIVE, NFSv4
     * EXCLUSIVE4/EXCLUSIVE4_1): if {@code name} is already a regular file made by an exclusive create with
     * the same verifier, that file is returned as it is (a retransmission succeeds); any other existing
     * name fails with {@link VolumeError#EXIST}. The verifier stays on the file and changes none of its
     * times. Unset attributes take the share's defaults.
     */
    default FileAttributes createExclusive(NodeId dir, String name, long verifier, SetAttributes initial)
            throws IOException {
        return createExclusive(dir, name, verifier, initial, DirChanges.ignored());
    }

    /** {@link #createExclusive(NodeId, String, long, SetAttributes)}, reporting {@code dir} to {@code changes}. */
    default FileAttributes createExclusive(
            NodeId dir, String name, long verifier, SetAttributes initial, DirChanges changes) throws IOException {
        throw new VolumeException(VolumeError.NOTSUPP, "exclusive create with a verifier is not supported");
    }

    default FileAttributes mkdir(NodeId dir, String name, SetAttributes initial) throws IOException {
        return mkdir(dir, name, initial, DirChanges.ignored());
    }

    /** {@link #mkdir(NodeId, String, SetAttributes)}, reporting {@code dir} to {@code changes}. */
    FileAttributes mkdir(NodeId dir, String name, SetAttributes initial, DirChanges changes) throws IOException;

    default FileAttributes symlink(NodeId dir, String name, String target, SetAttributes initial) throws IOException {
        return symlink(dir, name, target, initial, DirChanges.ignored());
    }

    /** {@link #symlink(NodeId, String, String, SetAttributes)}, reporting {@code dir} to {@code changes}. */
    FileAttributes symlink(NodeId dir, String name, String target, SetAttributes initial, DirChanges changes)
            throws IOException;

    /** A new name {@code name} in {@code dir} for the existing non-directory {@code node} (a hard link). */
    default FileAttributes link(NodeId node, NodeId dir, String name) throws IOException {
        return link(node, dir, name, DirChanges.ignored());
    }

    /** {@link #link(NodeId, NodeId, String)}, reporting {@code dir} to {@code changes}. */
    FileAttributes link(NodeId node, NodeId dir, String name, DirChanges changes) throws IOException;

    String readlink(NodeId node) throws IOException;

    /** Removes a non-directory name; the file goes when its last name goes. */
    default void remove(NodeId dir, String name) throws IOException {
        remove(dir, name, DirChanges.ignored());
    }

    /** {@link #remove(NodeId, String)}, reporting {@code dir} to {@code changes}. */
    void remove(NodeId dir, String name, DirChanges changes) throws IOException;

    /** Removes an empty directory. */
    default void rmdir(NodeId dir, String name) throws IOException {
        rmdir(dir, name, DirChanges.ignored());
    }

    /** {@link #rmdir(NodeId, String)}, reporting {@code dir} to {@code changes}. */
    void rmdir(NodeId dir, String name, DirChanges changes) throws IOException;

    /**
     * Renames atomically, replacing an existing target of a compatible kind (a file by a file, an empty
     * directory by a directory). Moving a directory under itself is {@link VolumeError#INVAL}.
     */
    default void rename(NodeId fromDir, String fromName, NodeId toDir, String toName) throws IOException {
        rename(fromDir, fromName, toDir, toName, RenameMode.REPLACE, DirChanges.ignored());
    }

    /**
     * {@link #rename(NodeId, String, NodeId, String)}, or with {@link RenameMode#NO_REPLACE} a rename that
     * fails with {@link VolumeError#EXIST} when {@code toName} exists, checked atomically with the rename.
     * A volume that cannot do that atomically answers {@link VolumeError#NOTSUPP} for NO_REPLACE.
     */
    default void rename(NodeId fromDir, String fromName, NodeId toDir, String toName, RenameMode mode)
            throws IOException {
        rename(fromDir, fromName, toDir, toName, mode, DirChanges.ignored());
    }

    /**
     * {@link #rename(NodeId, String, NodeId, String, RenameMode)}, reporting {@code fromDir} and {@code toDir}
     * (once when they are one directory) to {@code changes}.
     */
    void rename(NodeId fromDir, String fromName, NodeId toDir, String toName, RenameMode mode, DirChanges changes)
            throws IOException;

    /**
     * Lists a directory from {@code cookie} (0: the start), at most {@code maxEntries} entries. A cookie
     * from a page with another verifier may fail with {@link VolumeError#BADCOOKIE}.
     */
    DirPage readdir(NodeId dir, long cookie, long verifier, int maxEntries) throws IOException;

    /** Reads up to {@code dst.remaining()} bytes at {@code offset} into {@code dst}, advancing it. */
    ReadResult read(NodeId file, long offset, ByteBuffer dst) throws IOException;

    /** Writes all of {@code src} at {@code offset}, advancing it, at least as stable as asked. */
    WriteResult write(NodeId file, long offset, ByteBuffer src, Stability stability) throws IOException;

    /**
     * Zeros {@code length} bytes of regular file {@code file} at {@code offset} (clipped to the file's
     * size, which does not change), freeing the local storage they held where it can; the change reaches
     * the bucket like a write. Durable on the cache disk when it returns, as a {@link Stability#FILE_SYNC} write.
     * Negative offsets or lengths are {@link VolumeError#INVAL}.
     *
     * @return the file's attributes afterwards
     */
    default FileAttributes deallocate(NodeId file, long offset, long length) throws IOException {
        throw new VolumeException(VolumeError.NOTSUPP, "deallocate is not supported");
    }

    /**
     * The named attributes of {@code node} ({@link NamedAttributes}), sorted by name; empty when it has
     * none. The arrays are the caller's.
     */
    default NavigableMap<String, byte[]> namedAttributes(NodeId node) throws IOException {
        throw new VolumeException(VolumeError.NOTSUPP, "named attributes are not supported");
    }

    /**
     * Sets named attribute {@code name} of {@code node} to {@code value}, or removes it when {@code value} is
     * {@code null} (removing one that is not there changes nothing). Outside {@link NamedAttributes}' limits:
     * INVAL, NAMETOOLONG or FBIG. Changes the node's change time; durable on the cache disk when it returns
     * and kept in the bucket with the node's other attributes. The volume keeps its own copy of {@code value}.
     *
     * @return the node's attributes afterwards
     */
    default FileAttributes setNamedAttribute(NodeId node, String name, byte[] value) throws IOException {
        throw new VolumeException(VolumeError.NOTSUPP, "named attributes are not supported");
    }

    /** Makes every earlier write and change of {@code file} durable on the cache disk. */
    void commit(NodeId file) throws IOException;

    FsStats statfs() throws IOException;

    /** Which of {@code wanted} ({@link #ACCESS_READ} | ...) the file's mode grants {@code caller}. */
    int access(NodeId node, Caller caller, int wanted) throws IOException;

    /** The share's link to its bucket: backlog, upload on demand. */
    BucketSync bucketSync();

    /** Uploads nothing more, makes everything durable locally and releases the volume. */
    @Override
    void close() throws IOException;
}
