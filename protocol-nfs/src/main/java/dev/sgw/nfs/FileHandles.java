package dev.sgw.nfs;

import java.nio.ByteBuffer;
import java.util.Optional;

import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.spi.VolumeDirectory.NfsExport;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;

/**
 * NFS file handles: opaque to clients, {@value #LENGTH} bytes here, within both the NFSv3 limit
 * ({@value #NFS3_MAX_BYTES}) and the NFSv4 one ({@value #NFS4_MAX_BYTES}). Layout, big-endian:
 *
 * <pre>
 * offset size field
 *   0     3   magic 's' 'g' 'w'
 *   3     1   format version ({@value #FORMAT})
 *   4     4   export id ({@code NfsShare.id()})
 *   8     8   inode
 *  16     8   generation
 * </pre>
 *
 * NFSv4 also hands out handles of its pseudo file system (the directories above the exports), same
 * length and magic, format {@value #PSEUDO_FORMAT}, then 4 zero bytes and an 8-byte pseudo-directory id
 * ({@link #encodePseudo}); {@link #decode} refuses them ({@link BadHandleException}), so NFSv3 never sees them.
 *
 * <p>A handle of another length, magic or version is a {@link BadHandleException}; one whose export id no
 * longer names an export (removed) is {@link VolumeError#STALE}, as is one whose inode generation was reused
 * (the volume says so).
 */
public final class FileHandles {
    public static final int NFS3_MAX_BYTES = 64;
    public static final int NFS4_MAX_BYTES = 128;
    public static final int LENGTH = 24;
    static final byte FORMAT = 1;
    static final byte PSEUDO_FORMAT = 2;
    private static final byte[] MAGIC = {'s', 'g', 'w'};

    /** A decoded handle: which export and which file in it. */
    public record FileHandle(int exportId, NodeId node) {}

    private FileHandles() {}

    /** The handle of {@code node} in the export with id {@code exportId}. */
    public static byte[] encode(int exportId, NodeId node) {
        return ByteBuffer.allocate(LENGTH)
                .put(MAGIC) // 3 bytes
                .put(FORMAT) // 1 byte
                .putInt(exportId) // 4 bytes
                .putLong(node.inode()) // 8 bytes
                .putLong(node.generation()) // 8 bytes
                .array();
    }

    /** The export id and node of a handle made by {@link #encode}; anything else is a {@link BadHandleException}. */
    public static FileHandle decode(byte[] handle) throws BadHandleException {
        if (handle == null || handle.length != LENGTH) {
            throw new BadHandleException(
                    "file handle of " + (handle == null ? "no" : handle.length) + " bytes, expected " + LENGTH);
        }
        ByteBuffer b = ByteBuffer.wrap(handle);
        for (byte m : MAGIC) {
            if (b.get() != m) {
                throw new BadHandleException("not a handle of this server");
            }
        }
        byte format = b.get();
        if (format != FORMAT) {
            throw new BadHandleException("file handle format " + format + ", expected " + FORMAT);
        }
        int exportId = b.getInt();
        long inode = b.getLong();
        long generation = b.getLong();
        if (inode <= 0) {
            throw new BadHandleException("file handle with inode " + inode);
        }
        return new FileHandle(exportId, new NodeId(inode, generation));
    }

    /** The handle of the NFSv4 pseudo-file-system directory with id {@code pseudoId}. */
    public static byte[] encodePseudo(long pseudoId) {
        return ByteBuffer.allocate(LENGTH)
                .put(MAGIC) // 3 bytes
                .put(PSEUDO_FORMAT) // 1 byte
                .putInt(0) // 4 bytes, reserved
                .putLong(pseudoId) // 8 bytes
                .putLong(0) // 8 bytes, reserved
                .array();
    }

    /** The pseudo-directory id of a handle made by {@link #encodePseudo}, or empty for any other bytes. */
    public static java.util.OptionalLong decodePseudo(byte[] handle) {
        if (handle == null
                || handle.length != LENGTH
                || handle[0] != MAGIC[0]
                || handle[1] != MAGIC[1]
                || handle[2] != MAGIC[2]
                || handle[3] != PSEUDO_FORMAT) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(ByteBuffer.wrap(handle, 8, 8).getLong());
    }

    /**
     * The export a handle belongs to, found by its id among {@code exports}' current NFS exports:
     * {@link VolumeError#STALE} if no export has that id any more.
     */
    public static NfsExport export(FileHandle handle, VolumeDirectory exports) throws VolumeException {
        Optional<NfsExport> found = exports.nfsExports().stream()
                .filter(e -> e.share().id() == handle.exportId())
                .findFirst();
        return found.orElseThrow(() -> new VolumeException(
                VolumeError.STALE, "file handle of export " + handle.exportId() + ", which is not exported"));
    }
}
