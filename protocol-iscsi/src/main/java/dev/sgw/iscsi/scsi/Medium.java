package dev.sgw.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.sgw.core.volume.BlockVolume;

/**
 * The logical unit's view of its {@link BlockVolume}: addresses in logical blocks, range checks, the software
 * write protect and write cache settings of the mode pages, and the range locks that make COMPARE AND WRITE
 * atomic. Volume failures pass through as {@link IOException}s ({@link SenseData#fromVolume} maps them).
 */
// try (var held = ...lock(...)): the resource is a held range lock, scoped by the block, never referenced
@SuppressWarnings("try")
final class Medium {
    /** WRITE SAME and VERIFY work through long ranges in pieces of this size. */
    static final int PIECE_BYTES = 1 << 20;

    private final BlockVolume volume;
    private final ModePages mode;
    private final RangeLocks locks = new RangeLocks(64, 128);
    private final int blockSize;

    Medium(BlockVolume volume, ModePages mode) {
        this.volume = volume;
        this.mode = mode;
        this.blockSize = volume.blockSize();
    }

    String name() {
        return volume.name();
    }

    int blockSize() {
        return blockSize;
    }

    /** The number of logical blocks now (the volume may grow); the last LBA is one less. */
    long blocks() {
        return volume.capacity() / blockSize;
    }

    /**
     * LOGICAL BLOCK ADDRESS OUT OF RANGE unless {@code count} blocks from {@code lba} lie within the medium;
     * both are unsigned CDB fields (negative means 2^63 or more). Zero blocks at the end LBA are in range.
     */
    void checkRange(long lba, long count) throws ScsiError {
        long blocks = blocks();
        if (lba < 0 || count < 0 || lba > blocks || count > blocks - lba) {
            throw ScsiError.check(SenseData.LBA_OUT_OF_RANGE);
        }
    }

    /** DATA PROTECT, WRITE PROTECTED while the control mode page's SWP bit is set. */
    void checkWritable() throws ScsiError {
        if (mode.softwareWriteProtect()) {
            throw ScsiError.check(SenseData.WRITE_PROTECTED);
        }
    }

    /** Reads of at least this many bytes use a direct buffer. */
    private static final int DIRECT_READ_THRESHOLD = 64 * 1024;

    /**
     * Reads {@code count} blocks into a new buffer. Large reads go into a direct buffer: the file read lands in
     * it without the JDK's bounce buffer, and the socket write sends it without another copy.
     */
    ByteBuffer read(long lba, long count) throws IOException {
        int length = Math.toIntExact(count * blockSize);
        ByteBuffer data =
                length >= DIRECT_READ_THRESHOLD ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);
        readInto(lba, data);
        return data.flip();
    }

    /** Fills {@code dst} (a whole number of blocks) from {@code lba}. */
    void readInto(long lba, ByteBuffer dst) throws IOException {
        volume.read(lba * blockSize, dst);
    }

    /**
     * Writes {@code data} (whole blocks) at {@code lba}, holding the range shared against COMPARE AND WRITE.
     * Durable when it returns if {@code fua} or the write cache is disabled (WCE=0).
     */
    void write(long lba, ByteBuffer data, boolean fua) throws IOException {
        try (RangeLocks.Held ignored = locks.shared(lba, data.remaining() / blockSize)) {
            writeLocked(lba, data, fua);
        }
    }

    /** {@link #write} for a caller that holds the range's lock already. */
    void writeLocked(long lba, ByteBuffer data, boolean fua) throws IOException {
        volume.write(lba * blockSize, data.duplicate(), fua || !mode.writeCacheEnabled());
    }

    /** Writes {@code block} to each of {@code count} blocks from {@code lba}. */
    void writeRepeated(long lba, long count, ByteBuffer block, boolean fua) throws IOException {
        int perPiece = Math.max(1, PIECE_BYTES / blockSize);
        ByteBuffer piece = ByteBuffer.allocate((int) Math.min(count, perPiece) * blockSize);
        while (piece.hasRemaining()) {
            piece.put(block.duplicate());
        }
        piece.flip();
        for (long done = 0; done < count; ) {
            int n = (int) Math.min(count - done, perPiece);
            write(lba + done, piece.duplicate().limit(n * blockSize), fua);
            done += n;
        }
    }

    /** Discards {@code count} blocks: they read as zeros afterwards (LBPRZ). */
    void unmap(long lba, long count) throws IOException {
        try (RangeLocks.Held ignored = locks.shared(lba, count)) {
            volume.unmap(lba * blockSize, count * blockSize);
        }
    }

    void flush() throws IOException {
        volume.flush();
    }

    /** Holds {@code count} blocks from {@code lba} against every other write until closed. */
    RangeLocks.Held lockExclusive(long lba, long count) {
        return locks.exclusive(lba, count);
    }
}
