package dev.sgw.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

import dev.sgw.core.store.ObjectStoreException.Code;

/**
 * The body of a GET as callers read it, for every backend: exactly {@code length} bytes of the
 * response, with the CRC64-ECMA checked where one is expected.
 *
 * <pre>
 *   state      reads return                       entered when
 *   READING    bytes; the CRC accumulates          opened
 *   ENDED      -1                                  the last byte arrived and the CRC matched (or none was expected)
 *   FAILED     the same ObjectStoreException      CRC mismatch (INTEGRITY), body cut short (UNAVAILABLE),
 *                                                  or the backend's read failed (mapped by the backend)
 * </pre>
 *
 * The CRC is checked on the read that brings the last byte, before that read returns, so no caller sees
 * a whole corrupt body end successfully. Closing before ENDED releases the response as incomplete (the
 * backend aborts the connection instead of draining a large body nobody will read). Not thread-safe, like
 * any stream.
 */
public final class CheckedBodyStream extends InputStream {

    /** Maps a failure of the underlying stream to the backend's code. */
    @FunctionalInterface
    public interface ReadFailures {
        ObjectStoreException map(Exception failure);
    }

    /** Releases the backend's response; {@code complete} is false when the body was not read to its end. */
    @FunctionalInterface
    public interface Release {
        void release(boolean complete) throws IOException;
    }

    private final InputStream in;
    private final String key;
    private final long length;
    private final OptionalLong expectedCrc;
    private final ReadFailures failures;
    private final Release release;
    private long seen;
    private long crc;
    private boolean ended;
    private boolean closed;
    private ObjectStoreException failure;

    /**
     * @param expectedCrc the whole object's CRC64 when the whole object is read and its CRC is known,
     *                    else empty (ranged reads are not checked)
     */
    public CheckedBodyStream(
            InputStream in, String key, long length, OptionalLong expectedCrc, ReadFailures failures, Release release) {
        this.in = in;
        this.key = key;
        this.length = length;
        this.expectedCrc = expectedCrc;
        this.failures = failures;
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
            throw new IOException("the body of " + key + " is closed");
        }
        if (ended) {
            return -1;
        }
        if (count == 0) {
            return 0;
        }
        if (seen == length) {
            end(); // an empty body has a CRC to check too
            return -1;
        }
        int n;
        try {
            n = in.read(buffer, offset, (int) Math.min(count, length - seen));
        } catch (ObjectStoreException e) {
            throw fail(e);
        } catch (IOException | RuntimeException e) {
            throw fail(failures.map(e));
        }
        if (n < 0) {
            throw fail(new ObjectStoreException(
                    Code.UNAVAILABLE, "get " + key + ": the body ended after " + seen + " of " + length + " bytes"));
        }
        if (expectedCrc.isPresent()) {
            crc = Crc64.update(crc, buffer, offset, n);
        }
        seen += n;
        if (seen == length) {
            end();
        }
        return n;
    }

    private void end() throws ObjectStoreException {
        if (expectedCrc.isPresent() && crc != expectedCrc.getAsLong()) {
            throw fail(new ObjectStoreException(
                    Code.INTEGRITY,
                    "get " + key + ": CRC64-ECMA of the content is " + Crc64.toUnsignedString(crc)
                            + ", the store records " + Crc64.toUnsignedString(expectedCrc.getAsLong())));
        }
        ended = true;
    }

    private ObjectStoreException fail(ObjectStoreException e) {
        failure = e;
        return e;
    }

    @Override
    public int available() {
        if (failure != null || ended || closed) {
            return 0;
        }
        try {
            return (int) Math.min(in.available(), length - seen);
        } catch (IOException e) {
            return 0;
        }
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
