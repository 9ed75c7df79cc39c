package dev.sgw.smb.file;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import dev.sgw.core.sharing.FileOpen;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.ShareAccess;
import dev.sgw.core.sharing.StateOwner;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.server.SmbTree;
import dev.sgw.smb.wire.NtStatus;

/**
 * CREATE of a named stream ({@code file:stream}, MS-FSA 2.1.5.1 with a stream name): the base file is found,
 * or made when it is missing and the disposition makes things, then the stream as the disposition says.
 *
 * <pre>
 * disposition  | stream exists                        | stream missing
 * -------------+--------------------------------------+-----------------------------------------------
 * SUPERSEDE    | emptied (0)                          | made empty (2)
 * OPEN         | opened (1)                           | OBJECT_NAME_NOT_FOUND
 * CREATE       | OBJECT_NAME_COLLISION                | made empty (2)
 * OPEN_IF      | opened (1)                           | made empty (2)
 * OVERWRITE    | emptied (3)                          | OBJECT_NAME_NOT_FOUND
 * OVERWRITE_IF | emptied (3)                          | made empty (2)
 * </pre>
 *
 * A stream asked for as a directory (DIRECTORY_FILE) is NOT_A_DIRECTORY; a stream of a directory is a file of
 * its own. Rights are checked against the base file as for an open of it; share modes meet the other opens of
 * the same stream only ({@link StreamOpen}); a stream that is to be deleted, or of a base file that is, is
 * DELETE_PENDING. Stream opens get no lease, oplock or durable handle.
 */
final class StreamCreate {
    private final OpenTable opens;

    StreamCreate(OpenTable opens) {
        this.opens = opens;
    }

    /**
     * The checks of an explicit unnamed data stream ({@code file::$DATA}): it is not a directory, so DIRECTORY_FILE
     * is NOT_A_DIRECTORY and a directory's is FILE_IS_A_DIRECTORY.
     */
    static void checkDefault(SmbTree tree, CreateRequest create, StreamPath path) throws SmbException, IOException {
        StreamName stream = path.stream();
        if (stream == null || stream.directoryIndex()) {
            return;
        }
        if (create.has(CreateRequest.DIRECTORY_FILE)) {
            throw new SmbException(NtStatus.NOT_A_DIRECTORY, "the data stream of " + path.file());
        }
        FileAttributes existing = path.file().resolve(tree.volume());
        if (existing != null && existing.isDirectory()) {
            throw new SmbException(NtStatus.FILE_IS_A_DIRECTORY, "a directory has no data stream: " + path.file());
        }
    }

    SmbResponse handle(SmbRequest request, CreateRequest create, StreamPath path) throws SmbException, IOException {
        if (create.has(CreateRequest.DIRECTORY_FILE)) {
            throw new SmbException(NtStatus.NOT_A_DIRECTORY, "a stream is not a directory: " + create.name());
        }
        SmbTree tree = request.tree();
        FileVolume volume = tree.volume();
        SharePath filePath = path.file();
        FileAttributes parent = filePath.resolveParent(volume);
        FileAttributes base = parent;
        if (!filePath.isRoot()) {
            SharePath.Found found = SharePath.find(volume, parent, filePath.name());
            if (found != null && !found.name().equals(filePath.name())) {
                filePath = filePath.parent().child(found.name());
            }
            base = found == null ? null : found.attributes();
        }
        int disposition = create.disposition();
        boolean baseCreated = false;
        if (base == null) {
            if (disposition == CreateRequest.OPEN || disposition == CreateRequest.OVERWRITE) {
                throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "no file " + filePath);
            }
            if (tree.readOnly()) {
                throw new SmbException(NtStatus.ACCESS_DENIED, "the tree is read-only");
            }
            base = CreateCommand.make(volume, parent, filePath.name(), create);
            baseCreated = true;
        }
        if (tree.sharing().deletePending(base.inode())) {
            throw new SmbException(NtStatus.DELETE_PENDING, filePath + " is to be deleted");
        }
        int desired = AccessMask.mapGeneric(create.desiredAccess());
        checkReadOnly(create, base, desired);
        int granted = CreateCommand.grant(tree, base, desired, baseCreated);
        if (create.has(CreateRequest.DELETE_ON_CLOSE) && (granted & AccessMask.DELETE) == 0) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "delete on close without DELETE access");
        }
        ReentrantLock lock = NamedStreams.lock(base.id());
        lock.lock();
        try {
            return open(request, create, new Base(filePath, base), path.stream(), granted);
        } finally {
            lock.unlock();
        }
    }

    /** The base file of the stream and its path (its long name). */
    private record Base(SharePath path, FileAttributes file) {}

    /** Under the file's stream lock: the disposition, the stream's share modes, then the open. */
    private SmbResponse open(SmbRequest request, CreateRequest create, Base base, StreamName name, int granted)
            throws SmbException, IOException {
        SmbTree tree = request.tree();
        FileVolume volume = tree.volume();
        FileAttributes file = base.file();
        NamedStreams.Stream existing = NamedStreams.find(volume, file.id(), name);
        int disposition = create.disposition();
        if (existing != null && disposition == CreateRequest.CREATE) {
            throw new SmbException(NtStatus.OBJECT_NAME_COLLISION, base.path() + name.toString() + " exists");
        }
        if (existing == null && (disposition == CreateRequest.OPEN || disposition == CreateRequest.OVERWRITE)) {
            throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "no stream " + base.path() + name);
        }
        boolean changes =
                existing == null || (disposition != CreateRequest.OPEN && disposition != CreateRequest.OPEN_IF);
        if (changes && tree.readOnly()) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "the tree is read-only");
        }
        int access = AccessMask.shareAccess(granted);
        int deny = access == 0 ? 0 : AccessMask.deny(create.shareAccess());
        StreamName kept = existing == null ? name : new StreamName(existing.name(), false);
        checkStreamOpens(tree, file, kept, access, deny);
        FileId id = opens.newId();
        StateOwner owner = SeamClients.openOwner(request.connection().id(), id, false);
        FileSharing sharing = tree.sharing();
        FileOpen shared = sharing.open(file.inode(), owner, null, 0, deny & ShareAccess.DELETE);
        int action;
        long size;
        try {
            action = applyDisposition(volume, file, kept, existing, disposition);
            size = action == CreateResponse.ACTION_OPENED ? existing.data().length : 0;
        } catch (IOException | RuntimeException e) {
            sharing.close(shared);
            throw e;
        }
        SmbOpen open = new SmbOpen(
                id,
                tree,
                file.id(),
                base.path().toString(),
                false,
                granted,
                shared,
                owner,
                create.has(CreateRequest.WRITE_THROUGH));
        open.stream = new StreamOpen(kept, access, deny);
        open.deleteOnClose = create.has(CreateRequest.DELETE_ON_CLOSE);
        opens.add(open);
        request.use(id);
        FileAttributes shown = StreamData.asStream(volume.getattr(file.id()), size);
        return CreateResponse.of(request, create, open, shown, action, 0, List.of());
    }

    /** Makes, empties or keeps the stream; the CreateAction. */
    private static int applyDisposition(
            FileVolume volume, FileAttributes file, StreamName kept, NamedStreams.Stream existing, int disposition)
            throws IOException {
        if (existing == null) {
            NamedStreams.set(volume, file.id(), kept.attribute(), new byte[0]);
            return CreateResponse.ACTION_CREATED;
        }
        return switch (disposition) {
            case CreateRequest.SUPERSEDE -> {
                NamedStreams.set(volume, file.id(), existing.attribute(), new byte[0]);
                yield CreateResponse.ACTION_SUPERSEDED;
            }
            case CreateRequest.OVERWRITE, CreateRequest.OVERWRITE_IF -> {
                NamedStreams.set(volume, file.id(), existing.attribute(), new byte[0]);
                yield CreateResponse.ACTION_OVERWRITTEN;
            }
            default -> CreateResponse.ACTION_OPENED;
        };
    }

    /**
     * The other opens of the same stream: one that is to be deleted makes the stream DELETE_PENDING, one whose
     * share modes meet these is a SHARING_VIOLATION.
     */
    private void checkStreamOpens(SmbTree tree, FileAttributes file, StreamName name, int access, int deny)
            throws SmbException {
        for (SmbOpen other : opens.ofInode(tree, file.inode())) {
            StreamOpen s = other.stream;
            if (s == null
                    || !other.holdsState()
                    || !name.matches(s.name().name())
                    || s.name().isDefault()) {
                continue;
            }
            if (other.deleteOnClose) {
                throw new SmbException(NtStatus.DELETE_PENDING, "stream " + name + " is to be deleted");
            }
            if (ShareAccess.conflict(access, deny, s.access, s.deny)) {
                throw new SmbException(NtStatus.SHARING_VIOLATION, "stream " + name + " is open: " + other);
            }
        }
    }

    /** A read-only base file's streams are not written either (MS-FSA 2.1.5.1.2.1). */
    private static void checkReadOnly(CreateRequest create, FileAttributes base, int desired) throws SmbException {
        if (!base.dosAttributes().readOnly() || base.isDirectory()) {
            return;
        }
        int writing = AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA;
        int disposition = create.disposition();
        boolean overwrite = disposition == CreateRequest.SUPERSEDE
                || disposition == CreateRequest.OVERWRITE
                || disposition == CreateRequest.OVERWRITE_IF;
        if ((desired & writing) != 0 || overwrite) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "the file is read-only");
        }
        if (create.has(CreateRequest.DELETE_ON_CLOSE)) {
            throw new SmbException(NtStatus.CANNOT_DELETE, "the file is read-only");
        }
    }
}
