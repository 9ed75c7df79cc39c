package dev.sgw.smb.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.ReadResult;

/**
 * The answer to FSCTL_QUERY_ALLOCATED_RANGES (MS-FSCC 2.3.47, MS-FSA 2.1.5.10.22): the parts of
 * [offset, offset + length) below the end of file that hold data, as a file system with 4 KiB blocks would
 * report them.
 *
 * <pre>
 * file        | ranges
 * ------------+------------------------------------------------------------------------------------------
 * not sparse  | the asked range cut to the end of file, as one range (every byte counts as allocated)
 * sparse      | the 4 KiB blocks (at multiples of 4 KiB) holding a byte that is not zero, adjacent ones
 *             | merged, cut to the asked range and the end of file: a block of zeros is a hole (the
 *             | volume does not say where its holes are, so zeros are read as one, which FSCTL_SET_ZERO_DATA
 *             | makes them); past {@link #SCAN_LIMIT} bytes read, the rest counts as allocated (never wrong:
 *             | a reader of an allocated range of zeros reads zeros)
 * </pre>
 */
final class AllocatedRanges {
    /** The allocation unit holes are found in. */
    static final int BLOCK = 4096;
    /** The most bytes one query reads to find holes. */
    static final long SCAN_LIMIT = 64L << 20;

    private static final int READ_SIZE = 64 * 1024;

    /** One FILE_ALLOCATED_RANGE_BUFFER: FileOffset and Length. */
    record Range(long offset, long length) {
        long end() {
            return offset + length;
        }
    }

    private AllocatedRanges() {}

    /** The allocated ranges of {@code file} in [offset, offset + length); offset and length are not negative. */
    static List<Range> of(FileVolume volume, FileAttributes file, long offset, long length) throws IOException {
        long end = Math.min(file.size(), offset + length);
        if (end <= offset) {
            return List.of();
        }
        if (!file.dosAttributes().sparse()) {
            return List.of(new Range(offset, end - offset));
        }
        List<Range> ranges = new ArrayList<>();
        long scanEnd = Math.min(end, Math.floorDiv(offset, BLOCK) * BLOCK + SCAN_LIMIT);
        ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE);
        for (long at = Math.floorDiv(offset, BLOCK) * BLOCK; at < scanEnd; at += READ_SIZE) {
            buffer.clear();
            int read = read(volume, file.id(), at, buffer);
            for (int block = 0; block < read; block += BLOCK) {
                if (!zeros(buffer.array(), block, Math.min(read, block + BLOCK))) {
                    add(ranges, Math.max(offset, at + block), Math.min(end, at + block + BLOCK));
                }
            }
            if (read < READ_SIZE) {
                break;
            }
        }
        if (scanEnd < end) {
            add(ranges, scanEnd, end);
        }
        return ranges;
    }

    private static int read(FileVolume volume, NodeId node, long at, ByteBuffer into) throws IOException {
        ReadResult r =
                volume instanceof CheckedFileVolume c ? c.readOpened(node, at, into) : volume.read(node, at, into);
        return r.count();
    }

    private static boolean zeros(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Adds [from, to), merged with the last range when they meet. */
    private static void add(List<Range> ranges, long from, long to) {
        if (to <= from) {
            return;
        }
        if (!ranges.isEmpty() && ranges.getLast().end() == from) {
            Range last = ranges.removeLast();
            ranges.add(new Range(last.offset(), to - last.offset()));
            return;
        }
        ranges.add(new Range(from, to - from));
    }
}
