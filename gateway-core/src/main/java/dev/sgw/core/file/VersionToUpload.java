package dev.sgw.core.file;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import dev.sgw.core.volume.FileType;

/**
 * The version of a file an upload sends, as the file's record stood when the upload opened
 * ({@link FileUpload#version()}): every path of the inode, the content version the upload is of and the
 * object it is based on. The upload package turns it into one {@link dev.sgw.core.file.upload.FileObject}
 * per object key.
 *
 * @param inode           the inode
 * @param type            regular file, directory (upload its marker) or symbolic link (a zero-byte object
 *                        with the target in its metadata)
 * @param paths           its paths, no leading slash (one per hard link; a directory's has no trailing slash)
 * @param size            bytes to upload (0 for directories and links)
 * @param metadata        the user metadata to write ({@code BucketLayout.attributesMetadata})
 * @param knownEtag       the ETag of the object the file is based on, null if it was never uploaded
 * @param knownSize       that object's size (0 if none)
 * @param contentVersion  the content version this upload is of
 * @param changedChunks   chunks whose bytes may differ from the object {@code knownEtag} at the same offset
 *                        (all chunks when {@code knownEtag} is null)
 * @param chunkSize       bytes per chunk
 * @param renamePending   whether a RENAME of the file (or a parent directory) is not yet applied in the bucket
 */
public record VersionToUpload(
        long inode,
        FileType type,
        List<String> paths,
        long size,
        Map<String, String> metadata,
        String knownEtag,
        long knownSize,
        long contentVersion,
        BitSet changedChunks,
        int chunkSize,
        boolean renamePending) {

    public VersionToUpload {
        paths = List.copyOf(paths);
        metadata = Map.copyOf(metadata);
        changedChunks = (BitSet) changedChunks.clone();
    }

    /** How many chunks the version has. */
    public long chunkCount() {
        return (size + chunkSize - 1) / chunkSize;
    }

    @Override
    public BitSet changedChunks() {
        return (BitSet) changedChunks.clone();
    }
}
