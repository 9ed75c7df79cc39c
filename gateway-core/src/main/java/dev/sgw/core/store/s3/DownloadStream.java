package dev.sgw.core.store.s3;

import dev.sgw.core.store.Crc64;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectStoreException.Code;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * The body of a GET as callers read it: exactly {@code length} bytes of the SDK's response stream.
 *
 * <ul>
 *   <li>With an expected CRC64-ECMA (a whole object whose CRC is known), the CRC is computed as the bytes
 *       pass, and checked as soon as the last byte has been read, before that read returns: a mismatch
 *       throws {@link ObjectStoreException} with {@code INTEGRITY} (and so does every later read), so a
 *       reader never sees a successful end of a corrupt body.</li>
 *   <li>A body that ends before {@code length} bytes is {@code UNAVAILABLE} (a cut connection).</li>
 *   <li>Failures of the SDK while reading are mapped by {@link S3ErrorMapping}.</li>
 *   <li>Closing before the end aborts the HTTP response instead of draining the rest of a large body.</li>
 * </ul>
 *
 * Not thread-safe, like any stream.
 */
final class DownloadStream extends InputStream {

    private final InputStream in;
    private final Runnable abort;
    private final String key;
    private final long length;
    private final boolean checkCrc;
    private final long expectedCrc;
    private long seen;
    private long crc;
    private boolean verified;
    private ObjectStoreException failure;

    DownloadStream(InputStream in, Runnable abort, String key, long length, OptionalLong expectedCrc) {
        this.in = in;
        this.abort = abort;
        this.key = key;
        this.length = length;
        this.checkCrc = expectedCrc.isPresent();
        this.expectedCrc = expectedCrc.orElse(0);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (len == 0) {
            return 0;
        }
        if (seen == length) {
            verifyOnce(); // an empty body has a CRC to check too
            return -1;
        }
        int n;
        try {
            n = in.read(b, off, (int) Math.min(len, length - seen));
        } catch (IOException | RuntimeException e) {
            failure = S3ErrorMapping.map("get (reading the body of)", key, e);
            throw failure;
        }
        if (n < 0) {
            failure = new ObjectStoreException(Code.UNAVAILABLE,
                    "get " + key + ": the body ended after " + seen + " of " + length + " bytes");
            throw failure;
        }
        if (checkCrc) {
            crc = Crc64.update(crc, b, off, n);
        }
        seen += n;
        if (seen == length) {
            verifyOnce();
        }
        return n;
    }

    private void verifyOnce() throws ObjectStoreException {
        if (verified) {
            return;
        }
        verified = true;
        if (checkCrc && crc != expectedCrc) {
            failure = new ObjectStoreException(Code.INTEGRITY, "get " + key + ": CRC64-ECMA of the content is "
                    + Crc64.toUnsignedString(crc) + ", the object records " + Crc64.toUnsignedString(expectedCrc));
            throw failure;
        }
    }

    @Override
    public int available() throws IOException {
        if (failure != null) {
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
        if (seen < length || failure != null) {
            abort.run(); // do not drain what nobody will read
        }
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            // the response is finished with either way; a failure to release it changes nothing for the reader
        }
    }
}
