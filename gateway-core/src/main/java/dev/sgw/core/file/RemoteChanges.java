package dev.sgw.core.file;

import java.io.IOException;
import java.util.List;

import dev.sgw.core.volume.FileType;

/**
 * What reverse sync and share import need of a share's namespace. Paths have no leading slash; "" is
 * the root.
 */
public interface RemoteChanges {

    /**
     * Local entries of directory {@code dirPath}, sorted by name (UTF-8 bytewise); empty if it does not
     * exist locally.
     */
    List<LocalEntry> list(String dirPath) throws IOException;

    /**
     * The object at {@code path} is in the bucket with this ETag and size: create the file (parents too),
     * or point it at the new version; a file with local changes not yet uploaded is left alone (the
     * uploader will resolve the conflict).
     */
    void objectSeen(String path, String etag, long size, long lastModifiedNanos) throws IOException;

    /**
     * A directory (marker object or common prefix) exists in the bucket at {@code dirPath}: create it if
     * missing.
     */
    void directorySeen(String dirPath) throws IOException;

    /**
     * {@code path} is no longer in the bucket: remove it locally unless it has changes not yet uploaded
     * or was never uploaded (etag null); a directory only if empty after its own entries were processed.
     */
    void objectGone(String path, LocalEntry local) throws IOException;

    /** An entry as {@link #list} returns it; {@code etag} is null if it was never uploaded. */
    record LocalEntry(String name, FileType type, String etag, long size, boolean pendingUpload) {}
}
