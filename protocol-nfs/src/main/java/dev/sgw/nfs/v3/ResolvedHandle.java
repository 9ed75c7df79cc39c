package dev.sgw.nfs.v3;

import java.io.IOException;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.sharing.FileProtocol;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.LockStyle;
import dev.sgw.core.sharing.ShareAccess;
import dev.sgw.core.sharing.StateOwner;
import dev.sgw.core.spi.VolumeDirectory.NfsExport;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.nfs.BadHandleException;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.FileHandles;
import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.Credential;

/**
 * A file a call names by handle, in its export's volume as the caller may use it: the result of decoding the
 * handle (BADHANDLE) and asking {@link ExportAccess} (STALE, ACCES).
 *
 * @param volume   the export's volume, checking the caller's permissions
 * @param exportId the export's id (the {@code fsid} and the first field of its handles)
 * @param node     the file
 */
record ResolvedHandle(CheckedFileVolume volume, int exportId, NodeId node, FileSharing sharing) {
    /** Who does NFSv3 I/O, for the byte-range lock check: no lock of any owner is its own. */
    private static final StateOwner NFS3_CALLER = StateOwner.of(FileProtocol.NFS, -1, new byte[] {3});

    /** Resolves {@code handle} for the caller of one call. */
    static ResolvedHandle of(byte[] handle, ExportAccess access, CallContext context, Credential credential)
            throws BadHandleException, IOException {
        FileHandles.FileHandle decoded = FileHandles.decode(handle);
        NfsExport export = FileHandles.export(decoded, access.directory());
        return new ResolvedHandle(
                access.volume(export, context, credential), decoded.exportId(), decoded.node(), export.sharing());
    }

    /**
     * Checks an I/O of {@code length} bytes at {@code offset} against what other protocols hold on the file: an
     * open denying this access (SHARING_VIOLATION) and a mandatory byte-range lock of an SMB client (LOCKED).
     * NFSv3 has no opens or locks of its own (no NLM), so nothing an NFS client holds stands in its way.
     */
    void checkIo(long offset, long length, boolean write) throws VolumeException {
        long inode = node.inode();
        if (sharing.denied(inode, write ? ShareAccess.WRITE : ShareAccess.READ)) {
            throw new VolumeException(
                    VolumeError.SHARING_VIOLATION,
                    "an open of inode " + inode + " denies " + (write ? "writing" : "reading"));
        }
        sharing.checkIo(inode, NFS3_CALLER, LockStyle.POSIX, offset, length, write);
    }

    // fsid() and the static fsid(Target) give the same number for a resolved target
    @SuppressWarnings("AmbiguousMethodReference")
    int fsid() {
        return exportId;
    }

    FileAttributes getattr() throws IOException {
        return volume.getattr(node);
    }

    /** The attributes, or null if they cannot be read (for {@code post_op_attr} and {@code wcc_data}). */
    FileAttributes attributesOrNull() {
        try {
            return getattr();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The handle of another file in the same export. */
    byte[] handleOf(NodeId other) {
        return FileHandles.encode(fsid(), other);
    }

    /** The {@code fsid} of a possibly missing file (0 when the handle did not resolve; nothing is written then). */
    @SuppressWarnings("AmbiguousMethodReference") // see fsid()
    static int fsid(ResolvedHandle t) {
        return t == null ? 0 : t.fsid();
    }
}
