package dev.sgw.smb.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.wire.NtStatus;

/**
 * FileRenameInformation where streams are involved (MS-FSA 2.1.5.14.11.1, as Windows answers smbtorture's
 * smb2.streams tests).
 *
 * <pre>
 * open          | target                 | answer
 * --------------+------------------------+------------------------------------------------------------
 * a stream      | :new[:$DATA], missing  | renamed (the name as given)
 * a stream      | :new, exists, no       | OBJECT_NAME_COLLISION
 * a stream      |   ReplaceIfExists      |
 * a stream      | :new, exists, empty    | replaced; an open one is SHARING_VIOLATION
 * a stream      | :new, exists, not empty| INVALID_PARAMETER
 * a stream      | ::$DATA                | the bytes become the file's data (an empty file; else
 *               |                        | OBJECT_NAME_COLLISION without ReplaceIfExists)
 * a stream      | file:stream (a path)   | SHARING_VIOLATION (the path's file is the one open)
 * the base file | anything               | ACCESS_DENIED while a stream of it is open
 * </pre>
 */
final class StreamRenames {
    private final OpenTable opens;

    StreamRenames(OpenTable opens) {
        this.opens = opens;
    }

    /** A base file with an open stream is not renamed. */
    void checkBaseRename(SmbOpen open) throws SmbException {
        boolean streamOpen =
                opens.ofInode(open.tree, open.node.inode()).stream().anyMatch(o -> o.stream != null && o.holdsState());
        if (streamOpen) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "a stream of " + open.path() + " is open");
        }
    }

    void rename(SmbOpen open, String target, boolean replace) throws SmbException, IOException {
        if (!target.startsWith(":")) {
            throw new SmbException(NtStatus.SHARING_VIOLATION, "a stream renamed to a path: " + target);
        }
        StreamName to = StreamName.parse(target.substring(1));
        ReentrantLock lock = NamedStreams.lock(open.node);
        lock.lock();
        try {
            if (to.isDefault()) {
                toDefault(open, replace);
            } else {
                toNamed(open, to, replace);
            }
        } finally {
            lock.unlock();
        }
    }

    private void toNamed(SmbOpen open, StreamName to, boolean replace) throws SmbException, IOException {
        FileVolume volume = open.tree.volume();
        StreamName from = open.stream.name();
        if (from.isDefault()) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "the data stream is not renamed to a named one");
        }
        byte[] data = StreamData.bytes(open);
        NamedStreams.Stream current = NamedStreams.find(volume, open.node, from);
        NamedStreams.Stream existing = NamedStreams.find(volume, open.node, to);
        boolean itself = existing != null && existing.name().equals(current.name());
        if (existing != null && !itself) {
            if (!replace) {
                throw new SmbException(NtStatus.OBJECT_NAME_COLLISION, "stream " + to + " exists");
            }
            if (existing.data().length > 0) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "stream " + to + " is not empty");
            }
            boolean targetOpen = opens.ofInode(open.tree, open.node.inode()).stream()
                    .anyMatch(o -> o != open
                            && o.stream != null
                            && o.holdsState()
                            && to.matches(o.stream.name().name()));
            if (targetOpen) {
                throw new SmbException(NtStatus.SHARING_VIOLATION, "stream " + to + " is open");
            }
            NamedStreams.set(volume, open.node, existing.attribute(), null);
        }
        NamedStreams.set(volume, open.node, to.attribute(), data);
        if (!to.attribute().equals(current.attribute())) {
            NamedStreams.set(volume, open.node, current.attribute(), null);
        }
        for (SmbOpen o : opens.ofInode(open.tree, open.node.inode())) {
            if (o != open && StreamOpen.sameStream(open, o)) {
                o.stream.name(to);
            }
        }
        open.stream.name(to);
    }

    private static void toDefault(SmbOpen open, boolean replace) throws SmbException, IOException {
        FileVolume volume = open.tree.volume();
        if (open.stream.name().isDefault()) {
            return;
        }
        byte[] data = StreamData.bytes(open);
        FileAttributes file = volume.getattr(open.node);
        if (file.size() > 0 && !replace) {
            throw new SmbException(NtStatus.OBJECT_NAME_COLLISION, "the file's data stream is not empty");
        }
        volume.setattr(open.node, SetAttributes.size(0));
        volume.write(open.node, 0, ByteBuffer.wrap(data), Stability.FILE_SYNC);
        NamedStreams.Stream current = NamedStreams.find(volume, open.node, open.stream.name());
        NamedStreams.set(volume, open.node, current.attribute(), null);
        open.stream.name(StreamName.DEFAULT);
    }
}
