package dev.sgw.smb.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.sgw.core.sharing.ChangeWatch;
import dev.sgw.core.volume.ChangeAction;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * SMB2 CHANGE_NOTIFY (MS-SMB2 3.3.5.19) through a {@link ChangeWatch} kept on the directory's open from its
 * first request on (changes between two requests wait in it). Answers at once when changes are queued, else
 * later; a watch that overflowed, or changes that do not fit OutputBufferLength, answer NOTIFY_ENUM_DIR; the
 * directory's close answers NOTIFY_CLEANUP; a directory marked for deletion (by any open) answers DELETE_PENDING.
 * The first request's WATCH_TREE and CompletionFilter hold for the open's watch: later requests only collect
 * (as Windows and Samba do; smbtorture smb2.notify.rec asks with an empty filter for what was kept).
 *
 * <pre>
 * request:  0 StructureSize = 32 (2)  2 Flags (2; WATCH_TREE 1)  4 OutputBufferLength (4)  8 FileId (16)
 *          24 CompletionFilter (4)
 * response: 0 StructureSize = 9 (2)  2 OutputBufferOffset (2)  4 OutputBufferLength (4)  8 Buffer of
 *           FILE_NOTIFY_INFORMATION: NextEntryOffset (4), Action (4), FileNameLength (4), FileName, 4-aligned
 *
 * action                    | counts for the filter
 * ADDED, REMOVED, RENAMED_* | FILE_NAME (a file) or DIR_NAME (a directory)
 * MODIFIED                  | SIZE, LAST_WRITE
 * ATTRIBUTES                | ATTRIBUTES, LAST_WRITE, LAST_ACCESS, CREATION, SECURITY
 * </pre>
 */
final class ChangeNotify {
    private static final int WATCH_TREE = 0x1;
    private static final int FILE_NAME = 0x1, DIR_NAME = 0x2, ATTRIBUTES = 0x4, SIZE = 0x8, LAST_WRITE = 0x10;
    private static final int LAST_ACCESS = 0x20, CREATION = 0x40, SECURITY = 0x100;
    private static final int CAPACITY = 1024;

    private final OpenTable opens;

    ChangeNotify(OpenTable opens) {
        this.opens = opens;
    }

    SmbResponse handle(SmbRequest request) throws SmbException, IOException {
        ByteBuf m = request.message();
        int flags = m.getUnsignedShortLE(64 + 2);
        long outputLength = m.getUnsignedIntLE(64 + 4);
        SmbOpen open = opens.get(request, FileId.get(m, 64 + 8));
        int asked = m.getIntLE(64 + 24);
        if (!open.directory) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "CHANGE_NOTIFY on a file");
        }
        if (!open.has(AccessMask.FILE_READ_DATA)) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "no FILE_LIST_DIRECTORY access");
        }
        if (outputLength > request.connection().maxTransactSize()) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "OutputBufferLength " + outputLength);
        }
        ChangeWatch watch;
        int filter;
        synchronized (open) {
            if (open.watch == null) {
                open.watch = open.tree.sharing().watch(open.node.inode(), (flags & WATCH_TREE) != 0, CAPACITY);
                open.notifyFilter = asked;
            }
            watch = open.watch;
            filter = open.notifyFilter;
        }
        try {
            SmbResponse now = answer(watch.take(Duration.ZERO), filter, (int) outputLength);
            if (now != null) {
                return now;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmbException(NtStatus.CANCELLED, "interrupted");
        }
        return AsyncAnswer.start("smb-notify-" + open.fileId.volatileId(), () -> {
            while (open.isOpen()) {
                SmbResponse r = answer(watch.take(Duration.ofSeconds(5)), filter, (int) outputLength);
                if (r != null) {
                    return r;
                }
            }
            return SmbResponse.error(NtStatus.NOTIFY_CLEANUP);
        });
    }

    /** The answer to a batch, or null when nothing in it passes the filter. */
    static SmbResponse answer(ChangeWatch.Batch batch, int filter, int outputLength) {
        if (batch.deletePending()) {
            return SmbResponse.error(NtStatus.DELETE_PENDING);
        }
        if (batch.overflowed()) {
            return SmbResponse.error(NtStatus.NOTIFY_ENUM_DIR);
        }
        ByteBuf data = Unpooled.buffer();
        int last = -1;
        for (ChangeWatch.Change c : batch.changes()) {
            if ((filter & filterOf(c)) == 0) {
                continue;
            }
            int start = (data.writerIndex() + 3) & ~3;
            data.writeZero(start - data.writerIndex());
            if (last >= 0) {
                data.setIntLE(last, start - last);
            }
            byte[] name = c.path().replace('/', '\\').getBytes(StandardCharsets.UTF_16LE);
            data.writeIntLE(0);
            data.writeIntLE(action(c.action()));
            data.writeIntLE(name.length);
            data.writeBytes(name);
            last = start;
        }
        if (last < 0) {
            data.release();
            return null;
        }
        if (data.readableBytes() > outputLength) {
            data.release();
            return SmbResponse.error(NtStatus.NOTIFY_ENUM_DIR);
        }
        ByteBuf out = Unpooled.buffer(8 + data.readableBytes());
        out.writeShortLE(9);
        out.writeShortLE(64 + 8);
        out.writeIntLE(data.readableBytes());
        out.writeBytes(data);
        data.release();
        return SmbResponse.of(out);
    }

    private static int filterOf(ChangeWatch.Change c) {
        return switch (c.action()) {
            case ADDED, REMOVED, RENAMED_OLD_NAME, RENAMED_NEW_NAME -> c.isDirectory() ? DIR_NAME : FILE_NAME;
            case MODIFIED -> SIZE | LAST_WRITE;
            case ATTRIBUTES -> ATTRIBUTES | LAST_WRITE | LAST_ACCESS | CREATION | SECURITY;
        };
    }

    /** FILE_ACTION_ADDED 1, REMOVED 2, MODIFIED 3, RENAMED_OLD_NAME 4, RENAMED_NEW_NAME 5. */
    private static int action(ChangeAction a) {
        return switch (a) {
            case ADDED -> 1;
            case REMOVED -> 2;
            case MODIFIED, ATTRIBUTES -> 3;
            case RENAMED_OLD_NAME -> 4;
            case RENAMED_NEW_NAME -> 5;
        };
    }
}
