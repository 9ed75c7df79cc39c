package dev.sgw.smb.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NamedAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.wire.NtStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data commands on an open of a named stream ({@link StreamOpen}): READ, WRITE, set end of file and
 * allocation change the stream's bytes ({@link NamedStreams}) by reading, changing and setting its value under
 * the file's stream lock; the last CLOSE of a stream marked for deletion removes it. A stream renamed to the
 * unnamed data stream ({@code ::$DATA}) is the file's own data from then on.
 */
final class StreamData {
    private static final Logger LOG = LoggerFactory.getLogger(StreamData.class);

    private StreamData() {}

    /** The attributes an open of a stream shows: the base file's, with the stream's size, as a file. */
    static FileAttributes asStream(FileAttributes base, long size) {
        return new FileAttributes(
                base.id(),
                FileType.REGULAR,
                base.mode(),
                base.nlink(),
                base.uid(),
                base.gid(),
                size,
                NamedStreams.allocation(size),
                base.atime(),
                base.mtime(),
                base.ctime(),
                base.btime(),
                base.change(),
                base.dosAttributes());
    }

    /** The stream's bytes now; FILE_DELETED (a Windows answer for a stream gone under its open) when gone. */
    static byte[] bytes(SmbOpen open) throws SmbException, IOException {
        NamedStreams.Stream s = NamedStreams.find(open.tree.volume(), open.node, open.stream.name());
        if (s == null) {
            throw new SmbException(NtStatus.FILE_DELETED, "stream " + open.stream + " is gone");
        }
        return s.data();
    }

    /** The size of the stream of {@code open}, or of the file when it is the unnamed data stream. */
    static long size(SmbOpen open) throws SmbException, IOException {
        if (open.stream.name().isDefault()) {
            return open.tree.volume().getattr(open.node).size();
        }
        return bytes(open).length;
    }

    /** Reads up to {@code length} bytes at {@code offset} into {@code into}; the count read. */
    static int read(SmbOpen open, long offset, ByteBuffer into) throws SmbException, IOException {
        if (open.stream.name().isDefault()) {
            return open.tree.volume().read(open.node, offset, into).count();
        }
        byte[] data = bytes(open);
        if (offset >= data.length) {
            return 0;
        }
        int count = (int) Math.min(into.remaining(), data.length - offset);
        into.put(data, (int) offset, count);
        return count;
    }

    /**
     * Writes {@code data} at {@code offset}: past {@link NamedAttributes#MAX_VALUE_BYTES} DISK_FULL.
     *
     * @return the count written
     */
    static int write(SmbOpen open, long offset, ByteBuffer data, boolean sync) throws SmbException, IOException {
        FileVolume volume = open.tree.volume();
        if (open.stream.name().isDefault()) {
            return volume.write(open.node, offset, data, sync ? Stability.FILE_SYNC : Stability.UNSTABLE)
                    .count();
        }
        int count = data.remaining();
        if (offset + count > NamedAttributes.MAX_VALUE_BYTES) {
            throw new SmbException(
                    NtStatus.DISK_FULL,
                    "a stream holds at most " + NamedAttributes.MAX_VALUE_BYTES + " bytes (write to " + (offset + count)
                            + ")");
        }
        ReentrantLock lock = NamedStreams.lock(open.node);
        lock.lock();
        try {
            byte[] old = bytes(open);
            byte[] now = old.length >= offset + count ? old.clone() : Arrays.copyOf(old, (int) offset + count);
            data.get(now, (int) offset, count);
            store(open, now);
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Sets the stream's size (FileEndOfFileInformation; a smaller FileAllocationInformation). */
    static void truncate(SmbOpen open, long size, boolean onlyShrink) throws SmbException, IOException {
        FileVolume volume = open.tree.volume();
        if (open.stream.name().isDefault()) {
            if (!onlyShrink || size < volume.getattr(open.node).size()) {
                volume.setattr(open.node, dev.sgw.core.volume.SetAttributes.size(size));
            }
            return;
        }
        if (size > NamedAttributes.MAX_VALUE_BYTES) {
            throw new SmbException(
                    NtStatus.DISK_FULL, "a stream holds at most " + NamedAttributes.MAX_VALUE_BYTES + " bytes");
        }
        ReentrantLock lock = NamedStreams.lock(open.node);
        lock.lock();
        try {
            byte[] old = bytes(open);
            if (old.length == size || (onlyShrink && size > old.length)) {
                return;
            }
            store(open, Arrays.copyOf(old, (int) size));
        } finally {
            lock.unlock();
        }
    }

    private static void store(SmbOpen open, byte[] data) throws SmbException, IOException {
        NamedStreams.Stream s = NamedStreams.find(open.tree.volume(), open.node, open.stream.name());
        if (s == null) {
            throw new SmbException(NtStatus.FILE_DELETED, "stream " + open.stream + " is gone");
        }
        NamedStreams.set(open.tree.volume(), open.node, s.attribute(), data);
    }

    /**
     * After {@code open}, an open of a stream, closed: when it was the stream's last open and one of its opens
     * marked it for deletion, the stream is removed.
     */
    static void closed(OpenTable opens, SmbOpen open) {
        StreamName name = open.stream.name();
        if (name.isDefault()) {
            return;
        }
        ReentrantLock lock = NamedStreams.lock(open.node);
        lock.lock();
        try {
            SmbOpen other = opens.ofInode(open.tree, open.node.inode()).stream()
                    .filter(o -> o != open && o.holdsState() && StreamOpen.sameStream(open, o))
                    .findFirst()
                    .orElse(null);
            if (!open.deleteOnClose) {
                return;
            }
            if (other != null) {
                other.deleteOnClose = true; // the stream is still to be deleted, at the close of the others
                return;
            }
            NamedStreams.Stream s = NamedStreams.find(open.tree.volume(), open.node, name);
            if (s != null) {
                NamedStreams.set(open.tree.volume(), open.node, s.attribute(), null);
            }
        } catch (IOException e) {
            LOG.info("{}: the stream was not deleted at its close: {}", open, e.toString());
        } finally {
            lock.unlock();
        }
    }
}
