package dev.sgw.iscsi.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.core.volume.BlockVolume;
import dev.sgw.core.volume.BucketSync;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;

/**
 * A byte-array {@link BlockVolume} for unit tests: checks alignment and range like the real volumes, counts
 * flushes, FUA writes and unmaps, keeps a log of the operations, can fail every call with a chosen
 * {@link VolumeError}, and can run a hook before each read and write (to make races likely, or to hold a
 * call until a test lets it go).
 */
public final class MemoryBlockVolume implements BlockVolume {

    /** Runs before the volume touches its bytes; {@code operation} is "read" or "write". */
    @FunctionalInterface
    public interface Hook {
        void before(String operation, long offset) throws IOException;
    }

    private final String name;
    private final Object lock = new Object();
    /** Replaced (under {@link #lock}) when the volume grows. */
    private volatile byte[] bytes;

    private final int blockSize;
    public final AtomicInteger flushes = new AtomicInteger();
    public final AtomicInteger fuaWrites = new AtomicInteger();
    public final AtomicInteger writes = new AtomicInteger();
    public final AtomicInteger unmaps = new AtomicInteger();
    private final List<String> log = new ArrayList<>();
    public volatile VolumeError failure;
    public volatile RuntimeException bug;
    public volatile Hook hook = (operation, offset) -> {};

    public MemoryBlockVolume(int blockSize, long blocks) {
        this("memory", blocks * blockSize, blockSize);
    }

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

    /** Grows the volume to {@code capacity} bytes, as a resize of the gateway's volume does; the new part reads as zeros. */
    public void grow(long capacity) {
        synchronized (lock) {
            bytes = Arrays.copyOf(bytes, Math.toIntExact(capacity));
        }
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        check(offset, dst.remaining());
        hook.before("read", offset);
        synchronized (lock) {
            dst.put(bytes, (int) offset, dst.remaining());
        }
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        check(offset, src.remaining());
        hook.before("write", offset);
        writes.incrementAndGet();
        if (fua) {
            fuaWrites.incrementAndGet();
        }
        synchronized (lock) {
            log("write " + offset / blockSize + " " + src.remaining() / blockSize);
            src.get(bytes, (int) offset, src.remaining());
        }
    }

    @Override
    public void unmap(long offset, long length) throws IOException {
        check(offset, length);
        unmaps.incrementAndGet();
        synchronized (lock) {
            log("unmap " + offset / blockSize + " " + length / blockSize);
            Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
        }
    }

    @Override
    public void flush() throws IOException {
        check(0, 0);
        flushes.incrementAndGet();
    }

    @Override
    public BucketSync bucketSync() {
        return new BucketSync() {
            @Override
            public Backlog backlog() {
                return new Backlog(0, 0, 0, 0, 0, 0);
            }

            @Override
            public void uploadNow() {}

            @Override
            public boolean awaitUploaded(Duration timeout) {
                return true;
            }
        };
    }

    @Override
    public void close() {}

    /** {@code length} bytes at {@code offset}, as they are now. */
    public byte[] peek(long offset, int length) {
        synchronized (lock) {
            return Arrays.copyOfRange(bytes, Math.toIntExact(offset), Math.toIntExact(offset + length));
        }
    }

    /** A copy of {@code count} blocks from {@code lba}. */
    public byte[] blocks(long lba, int count) {
        synchronized (lock) {
            return Arrays.copyOfRange(bytes, (int) lba * blockSize, (int) (lba + count) * blockSize);
        }
    }

    /** Sets {@code count} blocks from {@code lba} to {@code value}, bypassing everything. */
    public void fill(long lba, int count, int value) {
        synchronized (lock) {
            Arrays.fill(bytes, (int) lba * blockSize, (int) (lba + count) * blockSize, (byte) value);
        }
    }

    public List<String> log() {
        synchronized (lock) {
            return List.copyOf(log);
        }
    }

    private void log(String entry) {
        log.add(entry);
    }

    private void check(long offset, long length) throws IOException {
        if (bug != null) {
            throw bug;
        }
        if (failure != null) {
            throw new VolumeException(failure, "injected");
        }
        if (offset % blockSize != 0 || length % blockSize != 0 || offset < 0 || offset + length > bytes.length) {
            throw new VolumeException(VolumeError.INVAL, "bad range " + offset + "+" + length);
        }
    }
}
