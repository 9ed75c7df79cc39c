package dev.sgw.core.file.upload;

import java.util.Objects;

import dev.sgw.core.store.ObjectWritten;

/** What became of one {@link FileObjectWriter#upload upload} of a {@link FileObject}. */
public sealed interface UploadOutcome {

    /** The object at the version's key is now this version; record {@code object.etag()} as the new known ETag. */
    record Written(ObjectWritten object) implements UploadOutcome {
        public Written {
            Objects.requireNonNull(object, "object");
        }
    }

    /**
     * Another writer changed (or deleted, or created) the object since the known ETag: theirs is left as it
     * is, and this version was written as a new object at {@code conflictKey} (a
     * {@link dev.sgw.core.layout.BucketLayout#conflictPath conflict path} beside the key).
     *
     * @param conflictKey where this version now is
     * @param object      the conflict copy as written
     * @param theirs      the ETag of the other writer's object at the key, {@code null} if it was deleted
     */
    record Conflict(String conflictKey, ObjectWritten object, String theirs) implements UploadOutcome {
        public Conflict {
            Objects.requireNonNull(conflictKey, "conflictKey");
            Objects.requireNonNull(object, "object");
        }
    }

    /**
     * The file's content changed while it was being uploaded: nothing was completed and no upload is left
     * behind; upload the newer version later.
     */
    record Superseded() implements UploadOutcome {}
}
