package dev.sgw.core.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;

import dev.sgw.core.store.ObjectStoreException.Code;

/**
 * Keeps a store's transfers within a {@link BandwidthLimit}, one token bucket per direction.
 *
 * <p>Uploads (put, part upload) wait for tokens for the whole body length, slice by slice, before the
 * body is handed to the inner store; downloads (get) are paced as the caller reads the stream, each read
 * paying for the bytes it returned and reading at most one slice at a time. Over time the bytes moved in
 * each direction stay within the limit (plus a burst of a fifth of a second's worth); fairness between
 * concurrent callers is by slices, in the order they ask. {@link #setLimit(BandwidthLimit)} changes the
 * limits while running. A wait is interruptible: an upload interrupted while waiting throws
 * {@link Code#UNAVAILABLE} (nothing was sent) and a read throws {@link InterruptedIOException}, both with
 * the interrupt status restored.
 *
 * <p>It does not pace the body while the inner store sends it ({@link ObjectBody} is sealed), so an
 * upload's bytes leave in a burst once their tokens are granted; the average holds, the instantaneous
 * rate does not. Metadata requests, deletes, listings and server-side copies are not throttled.
 */
public final class ThrottledObjectStore extends ForwardingObjectStore {

    private final TokenBucket upload;
    private final TokenBucket download;
    private volatile BandwidthLimit limit;

    public ThrottledObjectStore(ObjectStore inner, BandwidthLimit limit) {
        this(inner, limit, StoreClock.system());
    }

    /** With the clock that waits given (for tests). */
    public ThrottledObjectStore(ObjectStore inner, BandwidthLimit limit, StoreClock clock) {
        super(inner);
        this.limit = Objects.requireNonNull(limit, "limit");
        this.upload = new TokenBucket(clock, limit.uploadBytesPerSecond());
        this.download = new TokenBucket(clock, limit.downloadBytesPerSecond());
    }

    /** The limits in force. */
    public BandwidthLimit limit() {
        return limit;
    }

    /** Changes the limits for every slice asked for from now on. */
    public void setLimit(BandwidthLimit newLimit) {
        Objects.requireNonNull(newLimit, "limit");
        synchronized (this) {
            upload.setRate(newLimit.uploadBytesPerSecond());
            download.setRate(newLimit.downloadBytesPerSecond());
            limit = newLimit;
        }
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        ObjectContent content = super.get(key, range);
        return new ObjectContent(content.info(), content.range(), content.length(), new PacedStream(content.stream()));
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        awaitUpload(body.length(), key);
        return super.put(key, body, options);
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body)
            throws ObjectStoreException {
        awaitUpload(body.length(), key);
        return super.uploadPart(key, uploadId, partNumber, body);
    }

    private void awaitUpload(long bytes, String key) throws ObjectStoreException {
        try {
            upload.acquire(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException(
                    Code.UNAVAILABLE, "interrupted while waiting for upload bandwidth: " + key, e);
        }
    }

    /** A get body that pays download tokens for what each read returns. */
    private final class PacedStream extends FilterInputStream {

        PacedStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                pay(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, (int) Math.min(len, download.sliceSize()));
            if (n > 0) {
                pay(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, download.sliceSize()));
            if (skipped > 0) {
                pay(skipped);
            }
            return skipped;
        }

        private void pay(long bytes) throws InterruptedIOException {
            try {
                download.acquire(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException interrupted =
                        new InterruptedIOException("interrupted while waiting for download bandwidth");
                interrupted.initCause(e);
                throw interrupted;
            }
        }
    }
}
