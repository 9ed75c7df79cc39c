package dev.sgw.core.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * The body of a GET, to be read once and closed. When a whole object is read and the store reported its
 * CRC64-ECMA, the stream checks it at the end of the body and throws {@link ObjectStoreException} with
 * {@link ObjectStoreException.Code#INTEGRITY} instead of reporting end of stream on a mismatch.
 *
 * @param info   the object as the store described it in the response
 * @param range  the range that was asked for, or {@code null} for the whole object
 * @param length the number of bytes the stream delivers
 * @param stream the body
 */
public record ObjectContent(ObjectInfo info, ByteRange range, long length, InputStream stream)
        implements AutoCloseable {

    /** Reads the whole body. Bodies larger than 2 GiB cannot be read this way. */
    public byte[] readAllBytes() throws IOException {
        return stream.readAllBytes();
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
