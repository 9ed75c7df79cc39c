package dev.sgw.smb.file;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.LockMode;
import dev.sgw.core.sharing.LockStyle;
import dev.sgw.core.sharing.RangeLock;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * SMB2 LOCK (MS-SMB2 3.3.5.14): Windows-style byte-range locks of the open through {@link FileSharing}. On a
 * multichannel 3.x connection a request that replays the last successful LOCK of its lock sequence bucket
 * succeeds without doing anything ({@link LockSequences}).
 *
 * <pre>
 * request: 0 StructureSize = 48 (2)  2 LockCount (2)  4 LockSequence (4)  8 FileId (16)  24 Locks (24 each:
 *          Offset (8), Length (8), Flags (4), Reserved (4))
 *
 * elements                     | result
 * all UNLOCK                   | each unlocked in order; one not held: RANGE_NOT_LOCKED (earlier ones stay unlocked)
 * SHARED/EXCLUSIVE, FAIL_IMM.  | all or none: a conflict undoes the earlier ones, LOCK_NOT_GRANTED
 * one SHARED/EXCLUSIVE, waiting| granted at once, or answered later when granted (CANCEL: CANCELLED)
 * anything else                | INVALID_PARAMETER
 * </pre>
 *
 * On a durable open (SMB 3.x) or a resilient one the LockSequence is checked first ({@link LockSequences}): a
 * LOCK the client replays after a lost connection, already applied, is answered SUCCESS without being applied
 * again.
 */
final class LockCommand {
    static final int SHARED = 0x1, EXCLUSIVE = 0x2, UNLOCK = 0x4, FAIL_IMMEDIATELY = 0x10;

    private final OpenTable opens;

    LockCommand(OpenTable opens) {
        this.opens = opens;
    }

    private record Element(long offset, long length, int flags) {
        /** The range as the sharing layer keeps it (the last byte and an empty range at it told apart). */
        RangeLock range(SmbOpen open) {
            LockMode mode = (flags & EXCLUSIVE) != 0 ? LockMode.EXCLUSIVE : LockMode.SHARED;
            return RangeLock.of(open.owner, offset, length, mode, LockStyle.WINDOWS);
        }

        boolean unlock(SmbOpen open) {
            RangeLock r = range(open);
            return open.tree.sharing().unlock(open.node.inode(), open.owner, r.start(), r.end(), LockStyle.WINDOWS);
        }
    }

    SmbResponse handle(SmbRequest request) throws SmbException, IOException {
        ByteBuf m = request.message();
        int count = m.getUnsignedShortLE(64 + 2);
        SmbOpen open = opens.get(request, FileId.get(m, 64 + 8));
        if (count == 0 || 64 + 24 + 24L * count > m.writerIndex()) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "LockCount " + count);
        }
        int lockSequence = m.getIntLE(64 + 4);
        LockSequences sequences = sequencesOf(request, open);
        if (sequences != null && sequences.replayed(lockSequence)) {
            return done();
        }
        SmbResponse response = apply(open, m, count);
        if (sequences != null) {
            if (response.isAsync()) {
                var unused = response.later().thenAccept(r -> {
                    if (r.status() == NtStatus.SUCCESS) {
                        sequences.succeeded(lockSequence);
                    }
                });
            } else if (response.status() == NtStatus.SUCCESS) {
                sequences.succeeded(lockSequence);
            }
        }
        return response;
    }

    /**
     * Open.LockSequenceArray when LockSequence is checked (3.3.5.14): on a resilient open (2.1 and on), a
     * durable one over SMB 3.x, any open of a multichannel SMB 3.x connection.
     */
    private static LockSequences sequencesOf(SmbRequest request, SmbOpen open) {
        int dialect = request.connection().dialect();
        boolean checked = (open.resilient && dialect >= 0x0210)
                || (dialect >= 0x0300
                        && (open.durable != null || request.connection().multiChannel()));
        return checked ? open.lockSequences : null;
    }

    private static SmbResponse apply(SmbOpen open, ByteBuf m, int count) throws SmbException {
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = 64 + 24 + 24 * i;
            elements.add(new Element(m.getLongLE(at), m.getLongLE(at + 8), m.getIntLE(at + 16)));
        }
        for (Element e : elements) {
            if (e.length() != 0 && Long.compareUnsigned(e.offset() + e.length() - 1, e.offset()) < 0) {
                throw new SmbException(NtStatus.INVALID_LOCK_RANGE, "lock range past 2^64");
            }
        }
        return apply(open, elements);
    }

    /** Unlocks, or locks (waiting when the one element may wait); an error is thrown. */
    private static SmbResponse apply(SmbOpen open, List<Element> elements) throws SmbException {
        int count = elements.size();
        if (elements.getFirst().flags() == UNLOCK) {
            unlock(open, elements);
            return done();
        }
        for (Element e : elements) {
            int mode = e.flags() & ~FAIL_IMMEDIATELY;
            if (mode != SHARED && mode != EXCLUSIVE) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "lock flags " + e.flags());
            }
            if (count > 1 && (e.flags() & FAIL_IMMEDIATELY) == 0) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "only a single lock may wait");
            }
        }
        if (count == 1 && (elements.getFirst().flags() & FAIL_IMMEDIATELY) == 0) {
            return lockWaiting(open, elements.getFirst());
        }
        lockAll(open, elements);
        return done();
    }

    private static void unlock(SmbOpen open, List<Element> elements) throws SmbException {
        for (Element e : elements) {
            if (e.flags() != UNLOCK) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "unlock mixed with locks");
            }
            if (!e.unlock(open)) {
                throw new SmbException(NtStatus.RANGE_NOT_LOCKED, "not locked");
            }
        }
    }

    private static RangeLock wanted(SmbOpen open, Element e) {
        return e.range(open);
    }

    private static void lockAll(SmbOpen open, List<Element> elements) throws SmbException {
        FileSharing sharing = open.tree.sharing();
        List<Element> held = new ArrayList<>();
        try {
            for (Element e : elements) {
                Optional<RangeLock> blocker = sharing.lock(open.node.inode(), wanted(open, e), Duration.ZERO);
                if (blocker.isPresent()) {
                    for (Element h : held) {
                        h.unlock(open);
                    }
                    throw new SmbException(NtStatus.LOCK_NOT_GRANTED, "blocked by " + blocker.get());
                }
                held.add(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmbException(NtStatus.CANCELLED, "interrupted");
        }
    }

    private static SmbResponse lockWaiting(SmbOpen open, Element e) throws SmbException {
        FileSharing sharing = open.tree.sharing();
        RangeLock wanted = wanted(open, e);
        try {
            Optional<RangeLock> blocker = sharing.lock(open.node.inode(), wanted, Duration.ZERO);
            if (blocker.isEmpty()) {
                return done();
            }
            if (blocker.get().owner().equals(open.owner)) {
                // only this open could release it, and it waits: fail instead of waiting forever
                throw new SmbException(NtStatus.LOCK_NOT_GRANTED, "blocked by the open's own " + blocker.get());
            }
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new SmbException(NtStatus.CANCELLED, "interrupted");
        }
        Runnable unlock = () -> e.unlock(open);
        return AsyncAnswer.start(
                "smb-lock-" + open.fileId.volatileId(),
                () -> {
                    while (open.isOpen()) {
                        if (sharing.lock(open.node.inode(), wanted, Duration.ofSeconds(1))
                                .isEmpty()) {
                            if (!open.isOpen()) {
                                unlock.run();
                                break;
                            }
                            return done();
                        }
                    }
                    return SmbResponse.error(NtStatus.RANGE_NOT_LOCKED);
                },
                unlock); // granted as the CANCEL came: the client was told CANCELLED
    }

    private static SmbResponse done() {
        ByteBuf out = Unpooled.buffer(4);
        out.writeShortLE(4);
        out.writeShortLE(0);
        return SmbResponse.of(out);
    }
}
