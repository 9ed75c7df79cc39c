package dev.sgw.core.store.oss;

import dev.sgw.core.store.Crc64;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectStoreException.Code;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of a GET as the caller reads it: computes CRC64-ECMA over every byte delivered and, at the end
 * of the body, compares it with the CRC64 the store reported for the object. A mismatch is thrown as
 * {@link ObjectStoreException} {@code INTEGRITY} in place of the end of stream, so corrupt data is never
 * taken as complete; a body that ends before its length is {@code UNAVAILABLE}.
 *
 * <p>States: READING (bytes flow, CRC accumulates) -> CHECKED (the last byte arrived and the CRC matched:
 * -1 from now on) or FAILED (mismatch, or the body ended short: the same exception from now on) -> CLOSED.
 * The check runs on the read that brings the last byte, before that read returns. Closing while READING
 * aborts the connection instead of draining the rest of the body.
 *
 * <p>{@code expectedCrc} may be {@code null} (ranged reads, or the store sent no CRC): then only the
 * length is checked. Failures of the underlying stream become {@code UNAVAILABLE}.
 */
final class CrcCheckingStream extends InputStream {

    /** Releases the underlying response; {@code drained} says whether the body was read to its end. */
    interface Release {
        void release(boolean drained) throws IOException;
    }

    private final InputStream in;
    private final String key;
    private final long length;
    private final Long expectedCrc;
    private final Release release;
    private long crc;
    private long delivered;
    private boolean ended;
    private boolean closed;
    private ObjectStoreException failure;

    CrcCheckingStream(InputStream in, String key, long length, Long expectedCrc, Release release) {
        this.in = in;
        this.key = key;
        this.length = length;
        this.expectedCrc = expectedCrc;
        this.release = release;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IOException("stream of " + key + " is closed");
        }
        if (ended) {
            return -1;
        }
        if (count == 0) {
            return 0;
        }
        int n;
        try {
            n = in.read(buffer, offset, count);
        } catch (ObjectStoreException e) {
            throw fail(e);
        } catch (IOException | RuntimeException e) {
            throw fail(new ObjectStoreException(Code.UNAVAILABLE, "reading " + key + " failed after " + delivered
                    + " of " + length + " bytes: " + e.getMessage(), e));
        }
        if (n < 0) {
            return endOfBody();
        }
        crc = Crc64.update(crc, buffer, offset, n);
        delivered += n;
        if (delivered > length) {
            throw fail(new ObjectStoreException(Code.INTEGRITY, key + " sent more than its length " + length));
        }
        if (delivered == length) {
            checkCrc(); // before the last bytes are handed over, so no caller sees a whole body unchecked
            ended = true;
        }
        return n;
    }

    private int endOfBody() throws ObjectStoreException {
        if (delivered != length) {
            throw fail(new ObjectStoreException(Code.UNAVAILABLE, "the body of " + key + " ended after "
                    + delivered + " of " + length + " bytes"));
        }
        checkCrc(); // an empty body
        ended = true;
        return -1;
    }

    private void checkCrc() throws ObjectStoreException {
        if (expectedCrc != null && expectedCrc != crc) {
            throw fail(new ObjectStoreException(Code.INTEGRITY, "CRC64 of " + key + " as read "
                    + Crc64.toUnsignedString(crc) + " differs from the CRC64 OSS reported "
                    + Crc64.toUnsignedString(expectedCrc)));
        }
    }

    private ObjectStoreException fail(ObjectStoreException e) {
        failure = e;
        return e;
    }

    @Override
    public int available() throws IOException {
        return failure != null || ended || closed ? 0 : in.available();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        release.release(ended && failure == null);
    }
}
