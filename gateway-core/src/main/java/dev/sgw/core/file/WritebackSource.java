package dev.sgw.core.file;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What an uploader needs of a share: the write-back journal ({@link WritebackEntry}, in sequence order),
 * a consistent view of a file version to upload ({@link #openUpload}), and calls to record what it did.
 * Implemented by the share ({@link ShareVolume#writeback()}); thread-safe.
 *
 * <p>The contract an uploader keeps:
 * <ol>
 *   <li>Apply entries in sequence order (entries of different paths may overlap in time, but an entry is
 *       started only after every earlier entry touching the same path or inode is done), then
 *       {@link #entryDone} each. An entry not marked done is handed out again after a restart.</li>
 *   <li>CONTENT: {@link #openUpload} the inode; empty means nothing to do (gone, or not pending any more).
 *       Upload the version to its path(s) on {@code Precondition.ifAbsent()} when {@code knownEtag} is null,
 *       else {@code ifMatch(knownEtag)}; chunks not in {@link VersionToUpload#changedChunks()} equal the object
 *       {@code knownEtag} at the same offsets (they may be part-copied). Then {@link FileUpload#complete}
 *       or, on a failed precondition, {@link FileUpload#conflict}; {@link FileUpload#close} in any case.</li>
 *   <li>RENAME of a file: move the object only while it still has the inode's known ETag
 *       ({@link #currentEtag}); report the copy's ETag with {@link #objectMoved}. Of a directory: move every
 *       object under {@code path/}, reporting each.</li>
 *   <li>REMOVE: delete the object if it still has the entry's ETag (a directory: its marker).</li>
 * </ol>
 */
public interface WritebackSource {

    /** The share's name, for logs and metrics. */
    String shareName();

    /** The size of a chunk: part boundaries that may be part-copied are multiples of it. */
    int chunkSize();

    /** Up to {@code max} journal entries after sequence {@code after} (0: from the start), oldest first. */
    List<WritebackEntry> journal(long after, int max) throws IOException;

    /** The uploader is done with entry {@code sequence}: it is deleted (a RENAME's inode is no longer held back). */
    void entryDone(long sequence) throws IOException;

    /** Journal entries not yet done. */
    long backlog();

    /**
     * What a scheduler needs to know of a file with an upload pending: its paths, type, size, when it last
     * changed and its content version; empty if the inode is gone or has nothing pending. Cheap (no upload
     * is opened): an uploader asks it to order entries by path and to wait for a file to be quiet.
     */
    Optional<PendingFile> pendingFile(long inode) throws IOException;

    /**
     * A file with an upload pending, as {@link #pendingFile} sees it.
     *
     * @param paths          its paths, no leading slash ("" for the root), one per hard link
     * @param type           regular file, directory or symbolic link
     * @param size           its size in bytes (0 for directories)
     * @param changedAtNanos its last change of content or attributes (ctime), nanoseconds since the epoch
     * @param contentVersion rises with every write and truncate ({@link VersionToUpload#contentVersion()})
     */
    record PendingFile(
            List<String> paths,
            dev.sgw.core.volume.FileType type,
            long size,
            long changedAtNanos,
            long contentVersion) {
        public PendingFile {
            paths = List.copyOf(paths);
        }
    }

    /**
     * A snapshot of inode {@code inode}'s current version to upload, or empty if it no longer exists or
     * has nothing pending. Close it.
     */
    Optional<FileUpload> openUpload(long inode) throws IOException;

    /** The ETag the share believes the inode's object has now (null: never uploaded), or empty if gone. */
    Optional<String> currentEtag(long inode) throws IOException;

    /**
     * The object of the file at {@code path} was copied to there by a rename in the bucket and now has
     * {@code newEtag}; recorded if the file's known ETag is still {@code oldEtag}.
     */
    void objectMoved(String path, String oldEtag, String newEtag) throws IOException;
}
