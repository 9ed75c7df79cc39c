package dev.sgw.core.file.upload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.sgw.core.store.ListPage;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectWritten;
import dev.sgw.core.store.PutOptions;

/**
 * Renames and removals of a file share's objects, as the namespace replays them into the bucket. An object
 * store has no rename: a move is a server-side copy to the new key, then a delete of the old key.
 *
 * <p>Every operation is idempotent: it may be run again after a crash at any point and ends in the same
 * state. A crash between the copy and the delete leaves both keys; running the move again copies again
 * (the same bytes) and deletes. When the old key is gone and the new one present, the move is done.
 *
 * <p>A move is not atomic in the bucket: while it runs, a reader may see the object under both keys (never
 * under neither, never torn). Directory moves go key by key, the directory's marker last, so the old
 * directory stays visible until its content has moved.
 */
public final class BucketMoves {

    private final ObjectStore store;
    private final int pageSize;

    public BucketMoves(ObjectStore store) {
        this(store, ListRequest.MAX_KEYS);
    }

    /** With listing pages of {@code pageSize} keys (for tests of paging). */
    public BucketMoves(ObjectStore store, int pageSize) {
        this.store = Objects.requireNonNull(store, "store");
        if (pageSize < 2 || pageSize > ListRequest.MAX_KEYS) {
            throw new IllegalArgumentException("page size must be 2.." + ListRequest.MAX_KEYS + ": " + pageSize);
        }
        this.pageSize = pageSize;
    }

    /**
     * Moves the object at {@code oldKey} to {@code newKey}, replacing whatever is at {@code newKey} (as a
     * POSIX rename replaces its target).
     *
     * @param knownEtag the ETag the old object must have, or {@code null} to move whatever is there
     * @param metadata  the new object's user metadata, or {@code null} to keep the old object's
     */
    public MoveResult move(String oldKey, String newKey, String knownEtag, Map<String, String> metadata)
            throws ObjectStoreException {
        requireFileKey(oldKey);
        requireFileKey(newKey);
        if (oldKey.equals(newKey)) {
            throw new IllegalArgumentException("moving " + oldKey + " onto itself");
        }
        ObjectInfo source = MultipartFileUpload.headOrNull(store, oldKey);
        if (source == null) {
            ObjectInfo target = MultipartFileUpload.headOrNull(store, newKey);
            return target == null
                    ? new MoveResult(MoveResult.Status.SOURCE_MISSING, null)
                    : new MoveResult(MoveResult.Status.ALREADY_MOVED, target.etag());
        }
        if (knownEtag != null && !knownEtag.equals(source.etag())) {
            return new MoveResult(MoveResult.Status.SOURCE_CHANGED, null);
        }
        ObjectWritten copied = copy(source, newKey, metadata == null ? source.userMetadata() : metadata);
        store.delete(oldKey);
        return new MoveResult(MoveResult.Status.MOVED, copied.etag());
    }

    /**
     * Moves every object under the directory marker {@code oldMarker} ("a/b/") to the same relative key under
     * {@code newMarker} ("c/"), each with its own metadata, a page at a time; the marker itself last, if
     * there is one. Returns how many objects this run moved (0 when an earlier run did everything).
     */
    public long moveDirectory(String oldMarker, String newMarker) throws ObjectStoreException {
        try {
            return moveDirectory(oldMarker, newMarker, (oldKey, newKey, oldETag, newETag) -> {});
        } catch (ObjectStoreException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("a listener that does nothing failed", e);
        }
    }

    /** Told of each object a directory move copied, before the old key is deleted. */
    @FunctionalInterface
    public interface MovedObject {
        /** {@code oldKey} (ETag {@code oldETag}) was copied to {@code newKey}, which now has {@code newETag}. */
        void moved(String oldKey, String newKey, String oldETag, String newETag) throws IOException;
    }

    /**
     * {@link #moveDirectory(String, String)}, telling {@code each} of every object copied (the marker too), so
     * that a caller can record the copies' ETags (a copy of a multipart object gets a new one).
     */
    public long moveDirectory(String oldMarker, String newMarker, MovedObject each) throws IOException {
        requireMarker(oldMarker);
        requireMarker(newMarker);
        if (newMarker.startsWith(oldMarker) || oldMarker.startsWith(newMarker)) {
            throw new IllegalArgumentException("cannot move " + oldMarker + " into itself or its parent " + newMarker);
        }
        long moved = 0;
        ListRequest request = new ListRequest(oldMarker, null, null, pageSize);
        while (true) {
            ListPage page = store.list(request);
            List<String> keys = new ArrayList<>();
            for (ObjectInfo listed : page.objects()) {
                if (!listed.key().equals(oldMarker)) {
                    keys.add(listed.key());
                }
            }
            for (String key : keys) {
                if (copyKeepingMetadata(key, newMarker + key.substring(oldMarker.length()), each)) {
                    moved++;
                }
            }
            if (!keys.isEmpty()) {
                store.deleteAll(keys);
            }
            if (page.isLast()) {
                break;
            }
            request = request.next(page.nextToken()); // a listing resumes after its last key, deleted or not
        }
        if (copyKeepingMetadata(oldMarker, newMarker, each)) {
            store.delete(oldMarker);
            moved++;
        }
        return moved;
    }

    /** Removes the object of a file (or symbolic link); removing an absent key succeeds. */
    public void remove(String key) throws ObjectStoreException {
        requireFileKey(key);
        store.delete(key);
    }

    /** Removes a directory's marker object ("a/b/"); its content is removed first, key by key, by the caller. */
    public void removeDirectory(String marker) throws ObjectStoreException {
        requireMarker(marker);
        store.delete(marker);
    }

    /** Copies {@code key} to {@code target} with its user metadata; {@code false} if {@code key} is gone. */
    private boolean copyKeepingMetadata(String key, String target, MovedObject each) throws IOException {
        ObjectInfo source = MultipartFileUpload.headOrNull(store, key);
        if (source == null) {
            return false;
        }
        ObjectWritten copied;
        try {
            copied = copy(source, target, source.userMetadata());
        } catch (ObjectStoreException e) {
            if (e.code() == ObjectStoreException.Code.NOT_FOUND) {
                return false; // deleted between the head and the copy
            }
            throw e;
        }
        each.moved(key, target, source.etag(), copied.etag());
        return true;
    }

    /**
     * Copies the object {@code source} describes to {@code target} with {@code metadata}. An empty object (a
     * directory marker, an empty file, a symbolic link) is written anew rather than copied: there is nothing
     * to copy, and some stores keep markers as directories without an ETag to copy on.
     */
    private ObjectWritten copy(ObjectInfo source, String target, Map<String, String> userMetadata)
            throws ObjectStoreException {
        Map<String, String> metadata = new HashMap<>(userMetadata);
        metadata.remove(ObjectInfo.CRC64_METADATA); // the backend's to record, not ours
        if (source.size() == 0) {
            return store.put(target, ObjectBody.of(new byte[0]), PutOptions.withMetadata(metadata));
        }
        return store.copy(source.key(), target, PutOptions.withMetadata(metadata));
    }

    private static void requireFileKey(String key) {
        if (key == null || key.isEmpty() || key.endsWith("/")) {
            throw new IllegalArgumentException("not the key of a file: '" + key + "'");
        }
    }

    private static void requireMarker(String marker) {
        if (marker == null || !marker.endsWith("/") || marker.equals("/")) {
            throw new IllegalArgumentException("not a directory marker like 'a/b/': '" + marker + "'");
        }
    }
}
