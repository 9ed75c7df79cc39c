package dev.sgw.iscsi.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import dev.sgw.core.volume.BlockVolume;
import dev.sgw.core.volume.BucketSync;

/** A block volume in a byte array, for transport tests. */
public final class MemoryBlockVolume implements BlockVolume {
    private final String name;
    private final int blockSize;
    private final byte[] bytes;

    public MemoryBlockVolume(String name, long capacity, int blockSize) {
        this.name = name;
        this.blockSize = blockSize;
        this.bytes = new byte[Math.toIntExact(capacity)];
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long capacity() {
        return bytes.length;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public synchronized void read(long offset, ByteBuffer dst) {
        dst.put(bytes, Math.toIntExact(offset), dst.remaining());
    }

    @Override
    public synchronized void write(long offset, ByteBuffer src, boolean fua) {
        src.get(bytes, Math.toIntExact(offset), src.remaining());
    }

    @Override
    public synchronized void unmap(long offset, long length) {
        java.util.Arrays.fill(bytes, Math.toIntExact(offset), Math.toIntExact(offset + length), (byte) 0);
    }

    @Override
    public void flush() {
    }

    /** A copy of {@code length} bytes at {@code offset}. */
    public synchronized byte[] peek(long offset, int length) {
        byte[] out = new byte[length];
        System.arraycopy(bytes, Math.toIntExact(offset), out, 0, length);
        return out;
    }

    @Override
    public BucketSync bucketSync() {
        return new BucketSync() {
            @Override
            public Backlog backlog() {
                return new Backlog(0, 0, 0, 0, 0, 0);
            }

            @Override
            public void uploadNow() {
            }

            @Override
            public boolean awaitUploaded(Duration timeout) {
                return true;
            }
        };
    }

    @Override
    public void close() throws IOException {
    }
}
