package dev.sgw.smb.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.LockMode;
import dev.sgw.core.sharing.LockStyle;
import dev.sgw.core.sharing.RangeLock;
import dev.sgw.core.sharing.SharingChange;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.ReadResult;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.WriteResult;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CLOSE (MS-SMB2 3.3.5.10), FLUSH (3.3.5.11), READ (3.3.5.12) and WRITE (3.3.5.13) on an open. I/O is checked
 * against other owners' byte-range locks ({@link FileSharing#checkIo}, Windows style: mandatory).
 */
final class DataCommands {
    private static final Logger LOG = LoggerFactory.getLogger(DataCommands.class);
    private static final int CLOSE_FLAG_POSTQUERY_ATTRIB = 0x1;
    private static final int WRITEFLAG_WRITE_THROUGH = 0x1;
    /** The READ response's fixed part before its data: StructureSize to Reserved2, 16 bytes. */
    private static final int READ_HEADER_BYTES = 16;

    /** The largest file a write may make, as on NTFS and Samba (16 TiB less 64 KiB). */
    static final long MAX_FILE_SIZE = 0xFFFFFFF0000L;

    private final OpenTable opens;
    private final Leases leases;
    private final DurableHandles durables;
    private final WriteTimes writeTimes;
    private final AllocationSizes allocations;

    DataCommands(
            OpenTable opens,
            Leases leases,
            DurableHandles durables,
            WriteTimes writeTimes,
            AllocationSizes allocations) {
        this.opens = opens;
        this.leases = leases;
        this.durables = durables;
        this.writeTimes = writeTimes;
        this.allocations = allocations;
    }

    /** CLOSE: StructureSize 24, Flags (2), Reserved (4), FileId (16). */
    SmbResponse close(SmbRequest request) throws SmbException, IOException {
        ByteBuf m = request.message();
        int flags = m.getUnsignedShortLE(64 + 2);
        SmbOpen open = opens.get(request, FileId.get(m, 64 + 8));
        writeTimes.settleOnVolume(open);
        FileAttributes after = null;
        if ((flags & CLOSE_FLAG_POSTQUERY_ATTRIB) != 0) {
            Object volume = open.tree.sharing();
            after = allocations.shown(
                    volume, writeTimes.shown(volume, open.tree.volume().getattr(open.node)));
            if (open.stream != null) {
                after = StreamData.asStream(after, StreamData.size(open));
            }
        }
        closeOpen(open);
        ByteBuf out = Unpooled.buffer(60);
        out.writeShortLE(60);
        out.writeShortLE(after == null ? 0 : CLOSE_FLAG_POSTQUERY_ATTRIB);
        out.writeIntLE(0);
        if (after == null) {
            out.writeZero(56);
        } else {
            FileFields.writeTimes(out, after);
            out.writeLongLE(FileFields.allocation(after));
            out.writeLongLE(FileFields.endOfFile(after));
            out.writeIntLE(FileFields.attributes(after));
        }
        return SmbResponse.of(out);
    }

    /**
     * Closes an open (connected, or a disconnected durable one): its durability, its watch, its share modes and
     * locks, deletes the file if it was the last open, or else sets the write time its writes left pending (a
     * CLOSE has done that already), and then releases its oplock or lease (so that a change waiting for that
     * lease's break finds the open gone and the file deleted: a CREATE waiting for it may then get write
     * caching).
     */
    void closeOpen(SmbOpen open) {
        if (!open.markClosed()) {
            return;
        }
        durables.closed(open);
        opens.remove(open);
        synchronized (open) {
            if (open.watch != null) {
                open.watch.close();
            }
        }
        FileSharing.Closed closed = open.tree.sharing().close(open.sharingOpen);
        if (open.stream != null) {
            StreamData.closed(opens, open);
        }
        if (closed.lastOpen()) {
            allocations.lastClosed(open);
        }
        if (closed.deletePending()) {
            writeTimes.closed(open);
            try {
                DeleteRules.deleteAtClose(open);
            } finally {
                open.tree.sharing().deleted(open.node.inode());
            }
        } else {
            try {
                writeTimes.settleOnVolume(open);
            } catch (IOException e) {
                LOG.info("{}: the write time at close was not set: {}", open, e.toString());
            } finally {
                writeTimes.closed(open);
            }
        }
        leases.closed(open);
    }

    /** FLUSH: StructureSize 24, Reserved1 (2), Reserved2 (4), FileId (16). */
    SmbResponse flush(SmbRequest request) throws SmbException, IOException {
        SmbOpen open = opens.get(request, FileId.get(request.message(), 64 + 8));
        if (!open.directory && !open.has(AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA)) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "flush without write access");
        }
        writeTimes.settleOnVolume(open);
        open.tree.volume().commit(open.node);
        ByteBuf out = Unpooled.buffer(4);
        out.writeShortLE(4);
        out.writeShortLE(0);
        return SmbResponse.of(out);
    }

    /**
     * READ: StructureSize 49, Padding (1), Flags (1), Length (4), Offset (8), FileId (16), MinimumCount (4),
     * Channel (4), RemainingBytes (4), ReadChannelInfoOffset (2), ReadChannelInfoLength (2).
     */
    SmbResponse read(SmbRequest request) throws SmbException, IOException {
        ByteBuf m = request.message();
        long length = m.getUnsignedIntLE(64 + 4);
        long offset = m.getLongLE(64 + 8);
        SmbOpen open = opens.get(request, FileId.get(m, 64 + 16));
        long minimum = m.getUnsignedIntLE(64 + 32);
        if (open.directory) {
            throw new SmbException(NtStatus.INVALID_DEVICE_REQUEST, "read of a directory");
        }
        if (!open.has(AccessMask.FILE_READ_DATA | AccessMask.FILE_EXECUTE)) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "no read access");
        }
        if (length > request.connection().maxReadSize()) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "read of " + length + " bytes");
        }
        if (offset < 0 || offset + length < 0) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "read offset " + Long.toUnsignedString(offset));
        }
        open.tree.sharing().checkIo(open.node.inode(), open.owner, LockStyle.WINDOWS, offset, length, false);
        // The volume reads straight into the response body, a direct buffer of the transport's allocator that
        // goes to the socket as it is: the data is copied once, from the cache disk into it.
        ByteBuf out = request.connection().alloc().directBuffer(READ_HEADER_BYTES + (int) length);
        try {
            ReadResult r = readInto(open, offset, out.nioBuffer(READ_HEADER_BYTES, (int) length));
            if ((r.count() == 0 && length > 0) || r.count() < minimum) {
                throw new SmbException(NtStatus.END_OF_FILE, "read at " + offset + " found " + r.count() + " bytes");
            }
            open.position = offset + r.count();
            out.writeShortLE(17);
            out.writeByte(64 + READ_HEADER_BYTES); // DataOffset
            out.writeByte(0);
            out.writeIntLE(r.count());
            out.writeIntLE(0); // DataRemaining
            out.writeIntLE(0); // Flags
            out.writerIndex(READ_HEADER_BYTES + r.count());
            if (r.count() == 0) {
                out.writeByte(0);
            }
            return SmbResponse.of(out);
        } catch (SmbException | IOException | RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static ReadResult readInto(SmbOpen open, long offset, ByteBuffer data) throws SmbException, IOException {
        if (open.stream != null) {
            return new ReadResult(StreamData.read(open, offset, data), false);
        }
        FileVolume volume = open.tree.volume();
        return volume instanceof CheckedFileVolume c
                ? c.readOpened(open.node, offset, data)
                : volume.read(open.node, offset, data);
    }

    /**
     * Writes a WRITE's data, given as the pieces of the message it arrived in. Pieces (a message longer than one
     * socket read) are copied into one buffer, here on the request thread rather than on the event loop.
     */
    private static WriteResult writeData(
            SmbRequest request, SmbOpen open, long offset, ByteBuffer[] pieces, Stability stability)
            throws IOException {
        if (pieces.length == 1) {
            return writeFrom(open, offset, pieces[0], stability);
        }
        int length = 0;
        for (ByteBuffer piece : pieces) {
            length += piece.remaining();
        }
        ByteBuf whole = request.connection().alloc().directBuffer(length);
        try {
            for (ByteBuffer piece : pieces) {
                whole.writeBytes(piece);
            }
            return writeFrom(open, offset, whole.nioBuffer(), stability);
        } finally {
            whole.release();
        }
    }

    private static WriteResult writeFrom(SmbOpen open, long offset, ByteBuffer data, Stability stability)
            throws IOException {
        FileVolume volume = open.tree.volume();
        return volume instanceof CheckedFileVolume c
                ? c.writeOpened(open.node, offset, data, stability)
                : volume.write(open.node, offset, data, stability);
    }

    /** A shared lock stops writes through its own open too (Windows semantics): FILE_LOCK_CONFLICT. */
    static void checkOwnSharedLocks(SmbOpen open, long offset, long length) throws SmbException {
        if (length == 0) {
            return;
        }
        RangeLock probe = RangeLock.of(open.owner, offset, length, LockMode.EXCLUSIVE, LockStyle.WINDOWS);
        Optional<RangeLock> held = open.tree.sharing().test(open.node.inode(), probe);
        if (held.isPresent()
                && held.get().owner().equals(open.owner)
                && held.get().mode() == LockMode.SHARED) {
            throw new SmbException(NtStatus.FILE_LOCK_CONFLICT, "the open's own shared lock " + held.get());
        }
    }

    /**
     * WRITE: StructureSize 49, DataOffset (2), Length (4), Offset (8), FileId (16), Channel (4), RemainingBytes
     * (4), WriteChannelInfoOffset (2), WriteChannelInfoLength (2), Flags (4).
     */
    SmbResponse write(SmbRequest request) throws SmbException, IOException {
        ByteBuf m = request.message();
        int dataOffset = m.getUnsignedShortLE(64 + 2);
        long length = m.getUnsignedIntLE(64 + 4);
        long offset = m.getLongLE(64 + 8);
        SmbOpen open = opens.getForChange(request, FileId.get(m, 64 + 16));
        int flags = m.getIntLE(64 + 44);
        if (open.directory) {
            throw new SmbException(NtStatus.INVALID_DEVICE_REQUEST, "write to a directory");
        }
        if (!open.has(AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA)) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "no write access");
        }
        if (length > request.connection().maxWriteSize() || dataOffset + length > m.writerIndex()) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "write of " + length + " bytes");
        }
        if (offset < 0 || offset + length < 0) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "write offset " + Long.toUnsignedString(offset));
        }
        if (length == 0) {
            return written(0); // nothing to write, at any offset below 2^63 (the size limit aside)
        }
        if (offset + length > MAX_FILE_SIZE) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "a write past " + MAX_FILE_SIZE + " bytes");
        }
        checkOwnSharedLocks(open, offset, length);
        Leases.breakFor(open, SharingChange.WRITE);
        open.tree.sharing().checkIo(open.node.inode(), open.owner, LockStyle.WINDOWS, offset, length, true);
        writeTimes.beforeWrite(open);
        boolean sync = open.writeThrough || (flags & WRITEFLAG_WRITE_THROUGH) != 0;
        Stability stability = sync ? Stability.FILE_SYNC : Stability.UNSTABLE;
        if (open.stream != null) {
            int count = StreamData.write(open, offset, m.nioBuffer(dataOffset, (int) length), sync);
            open.position = offset + count;
            return written(count);
        }
        WriteResult w = writeData(request, open, offset, m.nioBuffers(dataOffset, (int) length), stability);
        open.position = offset + w.count();
        return written(w.count());
    }

    /** The WRITE response: StructureSize 17, Reserved (2), Count (4), Remaining (4), channel info (4), pad. */
    private static SmbResponse written(int count) {
        ByteBuf out = Unpooled.buffer(17);
        out.writeShortLE(17);
        out.writeShortLE(0);
        out.writeIntLE(count);
        out.writeIntLE(0); // Remaining
        out.writeShortLE(0);
        out.writeShortLE(0);
        out.writeByte(0);
        return SmbResponse.of(out);
    }
}
