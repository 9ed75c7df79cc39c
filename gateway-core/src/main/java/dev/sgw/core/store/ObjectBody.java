package dev.sgw.core.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The content of a put or an uploaded part: a known length that can be read any number of times (so a
 * retry sends the same bytes again) and its CRC64-ECMA, computed once on first use.
 *
 * <p>A body never changes after it is made: callers hand over an immutable snapshot (s3backer's rule, an
 * upload always sends an immutable buffer). A file body reads a region of a file that nobody writes while
 * the upload runs.
 */
public abstract sealed class ObjectBody {

    private volatile long crc64;
    private volatile boolean crcKnown;

    private ObjectBody() {}

    /** A body over {@code length} bytes of {@code bytes} from {@code offset}; the array is not copied. */
    public static ObjectBody of(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return new Bytes(bytes, offset, length);
    }

    /** A body over a whole array; the array is not copied. */
    public static ObjectBody of(byte[] bytes) {
        return new Bytes(bytes, 0, bytes.length);
    }

    /** A body over {@code length} bytes of a file from {@code offset}. */
    public static ObjectBody ofFile(Path file, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad file region: " + offset + "+" + length);
        }
        return new FileRegion(file, offset, length);
    }

    /** The same body with a CRC64-ECMA the caller already knows (it is trusted, not recomputed). */
    public ObjectBody withCrc64(long knownCrc64) {
        this.crc64 = knownCrc64;
        this.crcKnown = true;
        return this;
    }

    /** The number of bytes. */
    public abstract long length();

    /** A fresh stream over the whole body. */
    public abstract InputStream newStream() throws IOException;

    /** The whole body as one array (a copy unless the body is exactly one whole array). */
    public abstract byte[] toByteArray() throws IOException;

    /** The CRC64-ECMA of the content, computed on first call. */
    public long crc64() throws IOException {
        if (!crcKnown) {
            crc64 = computeCrc64();
            crcKnown = true;
        }
        return crc64;
    }

    abstract long computeCrc64() throws IOException;

    static final class Bytes extends ObjectBody {
        private final byte[] bytes;
        private final int offset;
        private final int length;

        Bytes(byte[] bytes, int offset, int length) {
            this.bytes = bytes;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public InputStream newStream() {
            return new ByteArrayInputStream(bytes, offset, length);
        }

        @Override
        public byte[] toByteArray() {
            if (offset == 0 && length == bytes.length) {
                return bytes;
            }
            byte[] copy = new byte[length];
            System.arraycopy(bytes, offset, copy, 0, length);
            return copy;
        }

        /** The backing array, offset and length, for backends that can send an array slice directly. */
        public ByteBuffer asReadOnlyBuffer() {
            return ByteBuffer.wrap(bytes, offset, length).asReadOnlyBuffer();
        }

        @Override
        long computeCrc64() {
            return Crc64.update(0, bytes, offset, length);
        }
    }

    static final class FileRegion extends ObjectBody {
        private final Path file;
        private final long offset;
        private final long length;

        FileRegion(Path file, long offset, long length) {
            this.file = file;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public InputStream newStream() throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new BoundedStream(Channels.newInputStream(channel), length);
        }

        @Override
        public byte[] toByteArray() throws IOException {
            if (length > Integer.MAX_VALUE - 8) {
                throw new IOException("file region too large for one array: " + length);
            }
            try (InputStream in = newStream()) {
                byte[] all = in.readNBytes((int) length);
                if (all.length != length) {
                    throw new IOException("file " + file + " is shorter than its body region");
                }
                return all;
            }
        }

        @Override
        long computeCrc64() throws IOException {
            long crc = 0;
            byte[] buffer = new byte[256 * 1024];
            long seen = 0;
            try (InputStream in = newStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    crc = Crc64.update(crc, buffer, 0, n);
                    seen += n;
                }
            }
            if (seen != length) {
                throw new IOException("file " + file + " is shorter than its body region");
            }
            return crc;
        }
    }

    /** Delivers at most {@code remaining} bytes of the wrapped stream. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
