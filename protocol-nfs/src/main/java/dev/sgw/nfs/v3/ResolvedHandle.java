package dev.sgw.nfs.v3;

import java.io.IOException;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.NodeId;
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
record ResolvedHandle(CheckedFileVolume volume, int exportId, NodeId node) {

    /** Resolves {@code handle} for the caller of one call. */
    static ResolvedHandle of(byte[] handle, ExportAccess access, CallContext context, Credential credential)
            throws BadHandleException, IOException {
        FileHandles.FileHandle decoded = FileHandles.decode(handle);
        return new ResolvedHandle(access.volume(decoded, context, credential), decoded.exportId(), decoded.node());
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
