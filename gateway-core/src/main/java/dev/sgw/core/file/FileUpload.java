package dev.sgw.core.file;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.sgw.core.store.ObjectInfo;

/**
 * One upload of one file version, from {@link WritebackSource#openUpload}. Not thread-safe: one uploader
 * thread drives it. Chunks are read as they are at the time of the call (a dirty chunk is snapshotted so
 * that it can be marked clean if it is unchanged when the upload completes); whether the whole upload is
 * still the file's content is decided by {@link #complete} through the content version.
 *
 * <pre>
 * state      event                          -&gt; next
 * OPEN       readChunk                      -&gt; OPEN
 * OPEN       complete                       -&gt; DONE (outcome says what was recorded)
 * OPEN       conflict                       -&gt; DONE
 * any        close                          -&gt; CLOSED (snapshots not completed go back to dirty)
 * </pre>
 */
public interface FileUpload extends AutoCloseable {

    /** What {@link #complete} recorded. */
    enum Outcome {
        /** The file is UPLOADED: its known ETag is the new one; chunks unchanged since they were read are clean. */
        UPLOADED,
        /**
         * The file changed (content, attributes or path) while it was uploaded: the new ETag is recorded
         * (the object holds the version sent), the file stays pending and a new CONTENT entry is journaled.
         */
        STALE,
        /** The file no longer exists: the uploader should delete the object it just wrote. */
        GONE
    }

    /** The version being uploaded. */
    VersionToUpload version();

    /**
     * The bytes of chunk {@code index} of this version: {@code min(chunkSize, size - index * chunkSize)}
     * bytes, from the cache, from the object {@code knownEtag} when not cached, or zeros for a hole.
     */
    ByteBuffer readChunk(long index) throws IOException;

    /** The version is in the bucket as {@code etag} ({@code size} bytes) at every path of the version. */
    Outcome complete(String etag, long size) throws IOException;

    /**
     * The bucket's object at the file's path is not the one the file was based on (another writer changed
     * it): the local file is renamed to {@code conflictPath} (same directory, typically
     * {@code BucketLayout.conflictPath}) as a NEW file, to be uploaded there; if {@code remote} is given, the
     * original path then points at that object as if reverse sync had seen it.
     */
    void conflict(String conflictPath, ObjectInfo remote) throws IOException;

    /** Ends the upload; snapshots of chunks not completed return to dirty. Never throws. */
    @Override
    void close();
}
