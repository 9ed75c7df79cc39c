package dev.sgw.core.block;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectContent;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;

/**
 * The chunk objects of one block volume in its bucket ({@link BucketLayout#blockChunkKey}).
 *
 * <p>Length rule: a chunk object holds at most one chunk and may be shorter; the bytes after its end,
 * like a missing object, read as zeros. So a chunk of zeros is stored as no object at all (an upload of
 * one deletes it), and a chunk written only at its start is uploaded without a tail of zeros. An object
 * longer than a chunk is not one of ours and is an {@link VolumeError#IO} error, never served.
 *
 * <p>Integrity: chunks are always fetched whole, so that the store's CRC64 check of the whole body
 * applies; a mismatch surfaces as {@link ObjectStoreException.Code#INTEGRITY} and becomes
 * {@link VolumeError#IO}.
 */
final class ChunkObjects {
    private static final byte[] NONE = new byte[0];

    private final ObjectStore store;
    private final String volume;
    private final int chunkSize;

    ChunkObjects(ObjectStore store, String volume, int chunkSize) {
        this.store = store;
        this.volume = volume;
        this.chunkSize = chunkSize;
    }

    String key(long index) {
        return BucketLayout.blockChunkKey(volume, index);
    }

    ObjectStore store() {
        return store;
    }

    /**
     * The chunk's bytes as stored (an empty array if there is no object).
     *
     * @throws VolumeException {@link VolumeError#IO} if the store fails or the object is not a valid chunk
     */
    byte[] fetch(long index) throws VolumeException {
        String key = key(index);
        try (ObjectContent content = store.get(key, null)) {
            if (content.length() > chunkSize) {
                throw new VolumeException(
                        VolumeError.IO,
                        "chunk object " + key + " has " + content.length() + " bytes, more than the chunk size "
                                + chunkSize);
            }
            byte[] bytes = content.readAllBytes();
            if (bytes.length > chunkSize) {
                throw new VolumeException(VolumeError.IO, "chunk object " + key + " is longer than a chunk");
            }
            return bytes;
        } catch (ObjectStoreException e) {
            if (e.code() == ObjectStoreException.Code.NOT_FOUND) {
                return NONE;
            }
            throw new VolumeException(VolumeError.IO, "volume " + volume + ": reading chunk " + index + " failed", e);
        } catch (VolumeException e) {
            throw e;
        } catch (IOException e) {
            throw new VolumeException(VolumeError.IO, "volume " + volume + ": reading chunk " + index + " failed", e);
        }
    }

    /**
     * Makes the bucket hold {@code data} as chunk {@code index}: a PUT, or a DELETE when every byte is
     * zero (see the length rule).
     */
    void store(long index, ByteBuffer data) throws ObjectStoreException {
        String key = key(index);
        if (isAllZero(data)) {
            store.delete(key);
            return;
        }
        ObjectBody body;
        if (data.hasArray() && !data.isReadOnly()) {
            body = ObjectBody.of(data.array(), data.arrayOffset() + data.position(), data.remaining());
        } else {
            byte[] copy = new byte[data.remaining()];
            data.duplicate().get(copy);
            body = ObjectBody.of(copy);
        }
        store.put(key, body, PutOptions.defaults());
    }

    static boolean isAllZero(ByteBuffer data) {
        ByteBuffer d = data.duplicate();
        while (d.remaining() >= Long.BYTES) {
            if (d.getLong() != 0) {
                return false;
            }
        }
        while (d.hasRemaining()) {
            if (d.get() != 0) {
                return false;
            }
        }
        return true;
    }
}
