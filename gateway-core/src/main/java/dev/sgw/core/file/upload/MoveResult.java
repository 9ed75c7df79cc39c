package dev.sgw.core.file.upload;

/**
 * What {@link BucketMoves#move} found and did.
 *
 * @param status what happened
 * @param etag   the ETag of the object at the new key when the move is done ({@link Status#MOVED},
 *               {@link Status#ALREADY_MOVED}), else {@code null}
 */
public record MoveResult(Status status, String etag) {

    public enum Status {
        /** Copied to the new key and removed from the old one. */
        MOVED,
        /** The old key was gone and the new one present: an earlier run did it. */
        ALREADY_MOVED,
        /** Neither key holds an object: there was nothing in the bucket to move. */
        SOURCE_MISSING,
        /**
         * The old key holds an object with another ETag than the known one: another writer's, left where it is.
         * The file must be uploaded to its new key as a new object.
         */
        SOURCE_CHANGED
    }
}
