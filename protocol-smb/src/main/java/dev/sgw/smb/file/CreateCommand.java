package dev.sgw.smb.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.sharing.FileOpen;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.ShareAccess;
import dev.sgw.core.sharing.SharingChange;
import dev.sgw.core.sharing.StateOwner;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.server.SmbTree;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.Unpooled;

/**
 * SMB2 CREATE (MS-SMB2 3.3.5.9): finds or makes the file the path names as the disposition says, checks the
 * rights asked for against the file's mode and the tree, takes the share modes through {@link FileSharing}
 * and adds the open to the table.
 *
 * <pre>
 * disposition  | file exists                          | file missing
 * -------------+--------------------------------------+-------------
 * SUPERSEDE    | truncated, attributes replaced (0)   | created (2)
 * OPEN         | opened (1)                           | OBJECT_NAME_NOT_FOUND
 * CREATE       | OBJECT_NAME_COLLISION                | created (2)
 * OPEN_IF      | opened (1)                           | created (2)
 * OVERWRITE    | truncated (3)                        | OBJECT_NAME_NOT_FOUND
 * OVERWRITE_IF | truncated (3)                        | created (2)
 * </pre>
 *
 * (CreateAction in parentheses.) Create contexts: MxAc and QFid are answered, RqLs and the RequestedOplockLevel
 * go to {@link Leases} (an open first breaks other keys' write caching, an overwrite their read caching too),
 * the durable handle contexts go to {@link DurableHandles} (DHnQ, DH2Q, AppInstanceId), {@link DurableReconnect}
 * (DHnC, DH2C) and {@link CreateReplay} (a DH2Q CREATE sent again with SMB2_FLAGS_REPLAY_OPERATION), AlSi sets
 * the allocation shown for a file this CREATE makes or overwrites ({@link AllocationSizes}), ExtA sets the
 * extended attributes of a file it makes or overwrites ({@link ExtendedAttributes}), a previous version
 * (TWrp) is OBJECT_NAME_NOT_FOUND, a context whose name is shorter than 4 characters is INVALID_PARAMETER; the
 * others (security descriptors) are ignored, which clients read as "not granted". A path naming a stream
 * ({@link StreamPath}) is opened by {@link StreamCreate}; an overwrite of a file removes its named streams. A file named by its 8.3
 * name ({@link ShortNames}) is opened under its long name.
 * Before an open of a file meets its other opens, the disconnected durable opens it would break are closed,
 * and the file is looked up again (it may have gone with them).
 */
final class CreateCommand {
    private static final int ACTION_SUPERSEDED = CreateResponse.ACTION_SUPERSEDED;
    private static final int ACTION_OPENED = CreateResponse.ACTION_OPENED;
    private static final int ACTION_CREATED = CreateResponse.ACTION_CREATED;
    private static final int ACTION_OVERWRITTEN = CreateResponse.ACTION_OVERWRITTEN;

    private final OpenTable opens;
    private final Leases leases;
    private final DurableHandles durables;
    private final DurableReconnect reconnect;
    private final CreateReplay replay;
    private final WriteTimes writeTimes;
    private final AllocationSizes allocations;
    private final ShortNames shortNames;
    private final StreamCreate streams;
    /** Closes an open (its share modes, locks and leases): a CREATE cancelled after it opened is undone. */
    private final Consumer<SmbOpen> close;

    CreateCommand(
            OpenTable opens,
            Leases leases,
            DurableHandles durables,
            WriteTimes writeTimes,
            AllocationSizes allocations,
            ShortNames shortNames,
            Consumer<SmbOpen> close) {
        this.opens = opens;
        this.leases = leases;
        this.durables = durables;
        this.reconnect = new DurableReconnect(opens, leases, durables);
        this.replay = new CreateReplay(opens);
        this.writeTimes = writeTimes;
        this.allocations = allocations;
        this.shortNames = shortNames;
        this.streams = new StreamCreate(opens);
        this.close = close;
    }

    SmbResponse handle(SmbRequest request) throws SmbException, IOException {
        CreateRequest create = CreateRequest.decode(request.message());
        DurableRequest durable = DurableRequest.of(create, request.connection().dialect());
        if (durable.kind().reconnect()) {
            return reconnect.handle(request, create, durable);
        }
        CreateReplay.Key key = CreateReplay.Key.of(request, durable);
        SmbResponse replayed = replay.answer(request, create, key);
        if (replayed != null) {
            return replayed;
        }
        validate(create);
        StreamPath streamPath = StreamPath.parse(create.name());
        if (streamPath.named()) {
            return streams.handle(request, create, streamPath);
        }
        StreamCreate.checkDefault(request.tree(), create, streamPath);
        SharePath path = streamPath.file();
        durables.replaceAppInstance(request, durable, path);
        replay.started(key);
        SmbResponse response = null;
        try {
            while (response == null) {
                response = open(request, create, durable, key, path);
            }
        } finally {
            if (response == null || !response.isAsync()) {
                replay.ended(key);
            }
        }
        if (response.isAsync()) {
            var unused = response.later().whenComplete((r, e) -> replay.ended(key));
        }
        return response;
    }

    /**
     * Finds or makes the file and opens it; null when disconnected durable opens of the file that this open
     * would break were closed first (the file may have gone with them: the caller looks again).
     */
    private SmbResponse open(
            SmbRequest request, CreateRequest create, DurableRequest durable, CreateReplay.Key key, SharePath path)
            throws SmbException, IOException {
        SmbTree tree = request.tree();
        int desired = AccessMask.mapGeneric(create.desiredAccess());
        SecurityDescriptor given = givenDescriptor(create);
        Found found = findOrMake(tree, create, path, desired);
        path = found.path();
        FileAttributes file = found.file();
        boolean created = found.action() == ACTION_CREATED;
        int action = found.action();
        if (created) {
            file = FileSecurity.created(tree.volume(), found.parent(), file, given);
        }
        boolean genericExecute = (create.desiredAccess() & AccessMask.GENERIC_EXECUTE) != 0;
        int granted =
                grant(tree, file, found.parent(), desired, genericExecute, isOverwrite(create.disposition()), created);
        if (create.has(CreateRequest.DELETE_ON_CLOSE) && (granted & AccessMask.DELETE) == 0) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "delete on close without DELETE access");
        }
        FileId id = opens.newId();
        FileSharing sharing = tree.sharing();
        int access = AccessMask.shareAccess(granted);
        // an open for attributes only neither meets nor sets share modes (MS-FSA 2.1.5.1.2.1)
        int deny = access == 0 ? 0 : AccessMask.deny(create.shareAccess());
        Leases.Wanted wanted = leases.wanted(request, create, id, file.inode(), file.isDirectory());
        boolean overwriting = !created && isOverwrite(create.disposition());
        if (!created && durables.purgeBrokenBy(tree, file.inode(), wanted.key(), access, deny, overwriting)) {
            return null;
        }
        StateOwner owner = SeamClients.openOwner(
                request.connection().id(), id, durables.mayBeDurable(durable, wanted, file.isDirectory()));
        Opening opening = new Opening(
                request,
                create,
                durable,
                key,
                path,
                file,
                action,
                id,
                owner,
                granted,
                access,
                deny,
                wanted,
                overwriting);
        if (Leases.breakWaits(sharing, file.inode(), wanted.key(), access != 0, overwriting)) {
            // the holders' acknowledgments are awaited: the client gets STATUS_PENDING meanwhile (MS-SMB2 3.3.4.2)
            return AsyncAnswer.start("smb-create-" + id.volatileId(), () -> finish(opening), () -> {
                SmbOpen opened = opens.byId(id);
                if (opened != null) {
                    close.accept(opened); // opened as the CANCEL came: the client was told CANCELLED
                }
            });
        }
        return finish(opening);
    }

    /**
     * The file a CREATE opens, whether it was there (ACTION_OPENED) or made (ACTION_CREATED), and its path (the
     * long name where the client gave the 8.3 one).
     */
    private record Found(FileAttributes file, int action, SharePath path, FileAttributes parent) {}

    /** The descriptor of the SecD create context, or null; INVALID_PARAMETER when malformed. */
    private static SecurityDescriptor givenDescriptor(CreateRequest create) throws SmbException {
        CreateRequest.CreateContext secD = create.context("SecD");
        if (secD == null) {
            return null;
        }
        try {
            return SecurityDescriptor.parse(io.netty.buffer.Unpooled.wrappedBuffer(secD.data()));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "SecD: " + e.getMessage());
        }
    }

    /** Finds the file {@code path} names, or makes it when the disposition says so. */
    private Found findOrMake(SmbTree tree, CreateRequest create, SharePath path, int desired)
            throws SmbException, IOException {
        FileVolume volume = tree.volume();
        FileAttributes parent = path.resolveParent(volume);
        FileAttributes existing = parent;
        if (!path.isRoot()) {
            SharePath.Found found = SharePath.find(volume, parent, path.name());
            String longName =
                    found != null ? found.name() : shortNames.longNameOf(tree.sharing(), parent.inode(), path.name());
            if (longName != null && !longName.equals(path.name())) {
                path = path.parent().child(longName); // named by its 8.3 name: the open has the long one
            }
            existing = found == null ? null : found.attributes();
        }
        if (tree.readOnly()
                && (existing == null
                        ? create.disposition() != CreateRequest.OPEN
                        : isOverwrite(create.disposition()))) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "the tree is read-only");
        }
        if (existing == null) {
            if (create.disposition() == CreateRequest.OPEN || create.disposition() == CreateRequest.OVERWRITE) {
                throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "no file " + path);
            }
            if (create.has(CreateRequest.DELETE_ON_CLOSE) && (create.fileAttributes() & DosAttributes.READ_ONLY) != 0) {
                throw new SmbException(
                        NtStatus.CANNOT_DELETE, "a read-only file to delete on close"); // MS-FSA 2.1.5.1.1
            }
            return new Found(make(volume, parent, path.name(), create), ACTION_CREATED, path, parent);
        }
        checkExisting(create, existing, desired);
        return new Found(existing, ACTION_OPENED, path, path.isRoot() ? null : parent);
    }

    /** What a CREATE worked out before it meets other opens and leases. */
    private record Opening(
            SmbRequest request,
            CreateRequest create,
            DurableRequest durable,
            CreateReplay.Key key,
            SharePath path,
            FileAttributes file,
            int action,
            FileId id,
            StateOwner owner,
            int granted,
            int access,
            int deny,
            Leases.Wanted wanted,
            boolean overwriting) {}

    /** Opens in the sharing seam (breaking leases), overwrites, and adds the open to the table. */
    private SmbResponse finish(Opening o) throws SmbException, IOException {
        SmbRequest request = o.request();
        CreateRequest create = o.create();
        SmbTree tree = request.tree();
        FileVolume volume = tree.volume();
        FileSharing sharing = tree.sharing();
        SharePath path = o.path();
        FileAttributes file = o.file();
        int action = o.action();
        FileId id = o.id();
        StateOwner owner = o.owner();
        int granted = o.granted();
        Leases.Wanted wanted = o.wanted();
        FileOpen shared = openBreaking(sharing, file.inode(), owner, wanted, o.access(), o.deny(), o.overwriting());
        try {
            if (o.overwriting()) {
                file = overwrite(volume, file, create);
                action = create.disposition() == CreateRequest.SUPERSEDE ? ACTION_SUPERSEDED : ACTION_OVERWRITTEN;
            }
            if (create.has(CreateRequest.DELETE_ON_CLOSE)) {
                DeleteRules.check(volume, file, path);
                sharing.markDeleteOnClose(shared, true);
            }
            CreateRequest.CreateContext eas = create.context("ExtA");
            if (eas != null && action != ACTION_OPENED) {
                ExtendedAttributes.set(
                        volume, file.id(), ExtendedAttributes.decodeFull(Unpooled.wrappedBuffer(eas.data())));
            }
        } catch (IOException | SmbException | RuntimeException e) {
            if (sharing.close(shared).deletePending()) {
                sharing.deleted(file.inode()); // the create failed: nothing is removed
            }
            throw e;
        }
        SmbOpen open = new SmbOpen(
                id,
                tree,
                file.id(),
                path.toString(),
                file.isDirectory(),
                granted,
                shared,
                owner,
                create.has(CreateRequest.WRITE_THROUGH));
        open.deleteOnClose = create.has(CreateRequest.DELETE_ON_CLOSE);
        opens.add(open);
        request.use(id);
        Leases.Granted caching = leases.grant(request, open, wanted);
        List<CreateResponse.Context> added = new ArrayList<>();
        if (caching.leaseContext() != null) {
            added.add(new CreateResponse.Context("RqLs", caching.leaseContext()));
        }
        CreateResponse.Context durable = durables.grant(request, open, o.durable());
        if (durable != null) {
            added.add(durable);
        }
        if (o.key() != null) {
            opens.replayable(o.key(), open, action);
        }
        CreateRequest.CreateContext allocation = create.context("AlSi");
        if (allocation != null && action != ACTION_OPENED && !file.isDirectory()) {
            allocations.set(
                    open,
                    ByteBuffer.wrap(allocation.data())
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .getLong());
        }
        FileAttributes shown = allocations.shown(sharing, writeTimes.shown(sharing, file));
        return CreateResponse.of(request, create, open, shown, action, caching.oplockLevel(), added);
    }

    /**
     * Opens in the sharing seam under the lease key the open caches with. An open whose share modes meet
     * another owner's first breaks other keys' handle caching (their holders may close cached handles) and
     * fails if the conflict stays, breaking nothing else; an overwrite breaks other keys' read and write
     * caching, any other open their write caching (an open for attributes only breaks nothing, MS-FSA
     * 2.1.5.1.2).
     */
    private static FileOpen openBreaking(
            FileSharing sharing,
            long inode,
            StateOwner owner,
            Leases.Wanted wanted,
            int access,
            int deny,
            boolean overwriting)
            throws IOException, SmbException {
        try {
            if (access != 0 && conflicts(sharing, inode, owner, access, deny)) {
                sharing.breakLeases(inode, SharingChange.RENAME_OR_REMOVE, wanted.key(), sharing.breakTimeout());
                if (conflicts(sharing, inode, owner, access, deny)) {
                    return sharing.open(inode, owner, wanted.key(), access, deny); // SHARING_VIOLATION
                }
            }
            if (overwriting) {
                sharing.breakLeases(inode, SharingChange.WRITE, wanted.key(), sharing.breakTimeout());
            }
            if (access == 0) {
                return sharing.open(inode, owner, wanted.key(), access, deny);
            }
            return sharing.openBreakingLeases(inode, owner, wanted.key(), access, deny, sharing.breakTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmbException(NtStatus.CANCELLED, "interrupted while leases broke");
        }
    }

    /** Whether another owner's open of {@code inode} meets {@code access} and {@code deny}. */
    private static boolean conflicts(FileSharing sharing, long inode, StateOwner owner, int access, int deny) {
        for (FileOpen o : sharing.opens(inode)) {
            if (!o.owner().equals(owner) && ShareAccess.conflict(access, deny, o.access(), o.deny())) {
                return true;
            }
        }
        return false;
    }

    private static void validate(CreateRequest c) throws SmbException {
        if (c.disposition() < CreateRequest.SUPERSEDE || c.disposition() > CreateRequest.OVERWRITE_IF) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "CreateDisposition " + c.disposition());
        }
        if ((c.options() & CreateRequest.INVALID_OPTIONS) != 0) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "CreateOptions 0x" + Integer.toHexString(c.options()));
        }
        if (c.impersonationLevel() < 0 || c.impersonationLevel() > 3) {
            throw new SmbException(NtStatus.BAD_IMPERSONATION_LEVEL, "ImpersonationLevel " + c.impersonationLevel());
        }
        if (c.has(CreateRequest.DIRECTORY_FILE) && (c.fileAttributes() & FileFields.ATTRIBUTE_TEMPORARY) != 0) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "a temporary directory");
        }
        if (c.has(CreateRequest.DIRECTORY_FILE) && c.has(CreateRequest.NON_DIRECTORY_FILE)) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "both DIRECTORY_FILE and NON_DIRECTORY_FILE");
        }
        if (c.has(CreateRequest.DIRECTORY_FILE)
                && c.disposition() != CreateRequest.OPEN
                && c.disposition() != CreateRequest.CREATE
                && c.disposition() != CreateRequest.OPEN_IF) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "a directory cannot be overwritten");
        }
        if ((c.desiredAccess() & AccessMask.RESERVED) != 0) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "DesiredAccess 0x" + Integer.toHexString(c.desiredAccess()));
        }
        if ((c.options() & CreateRequest.UNSUPPORTED_OPTIONS) != 0) {
            throw new SmbException(NtStatus.NOT_SUPPORTED, "CreateOptions 0x" + Integer.toHexString(c.options()));
        }
        if ((c.fileAttributes() & CreateRequest.INVALID_ATTRIBUTES) != 0) {
            throw new SmbException(
                    NtStatus.INVALID_PARAMETER, "FileAttributes 0x" + Integer.toHexString(c.fileAttributes()));
        }
        if ((c.fileAttributes() & CreateRequest.ENCRYPTED) != 0) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "encrypted files");
        }
        int desired = AccessMask.mapGeneric(c.desiredAccess());
        if (c.has(CreateRequest.DELETE_ON_CLOSE) && (desired & (AccessMask.DELETE | AccessMask.MAXIMUM_ALLOWED)) == 0) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "delete on close without DELETE access");
        }
        if ((c.desiredAccess() & AccessMask.ACCESS_SYSTEM_SECURITY) != 0) {
            throw new SmbException(NtStatus.PRIVILEGE_NOT_HELD, "system security (SACL) access");
        }
        for (CreateRequest.CreateContext ctx : c.contexts()) {
            if (ctx.name().length() < 4) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "create context name '" + ctx.name() + "'");
            }
        }
        CreateRequest.CreateContext allocation = c.context("AlSi");
        if (allocation != null && allocation.data().length < 8) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "AlSi of " + allocation.data().length + " bytes");
        }
        CreateRequest.CreateContext eas = c.context("ExtA");
        if (eas != null) {
            ExtendedAttributes.decodeFull(Unpooled.wrappedBuffer(eas.data())); // INVALID_EA_NAME, EA_LIST_INCONSISTENT
        }
        if (c.context("TWrp") != null) {
            throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "no previous versions (TWrp)");
        }
    }

    private static boolean isOverwrite(int disposition) {
        return disposition == CreateRequest.SUPERSEDE
                || disposition == CreateRequest.OVERWRITE
                || disposition == CreateRequest.OVERWRITE_IF;
    }

    private static void checkExisting(CreateRequest c, FileAttributes existing, int desired) throws SmbException {
        if (c.disposition() == CreateRequest.CREATE) {
            throw new SmbException(NtStatus.OBJECT_NAME_COLLISION, "exists");
        }
        if (c.has(CreateRequest.DIRECTORY_FILE) && !existing.isDirectory()) {
            throw new SmbException(NtStatus.NOT_A_DIRECTORY, "not a directory");
        }
        if (c.has(CreateRequest.NON_DIRECTORY_FILE) && existing.isDirectory()) {
            throw new SmbException(NtStatus.FILE_IS_A_DIRECTORY, "a directory");
        }
        if (existing.isDirectory() && isOverwrite(c.disposition())) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "a directory cannot be overwritten");
        }
        if (!existing.isDirectory() && isOverwrite(c.disposition())) {
            // overwriting keeps a hidden or system file only when the caller says it is one (MS-FSA 2.1.5.1.2.1)
            int kept = existing.dosAttributes().bits() & (DosAttributes.HIDDEN | DosAttributes.SYSTEM);
            if ((kept & ~c.fileAttributes()) != 0) {
                throw new SmbException(NtStatus.ACCESS_DENIED, "overwriting a hidden or system file as a plain one");
            }
        }
        boolean readOnly = existing.dosAttributes().readOnly();
        if (readOnly && !existing.isDirectory()) {
            int writing = AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA;
            if ((desired & writing) != 0 || isOverwrite(c.disposition())) {
                throw new SmbException(NtStatus.ACCESS_DENIED, "the file is read-only");
            }
            if (c.has(CreateRequest.DELETE_ON_CLOSE)) {
                throw new SmbException(NtStatus.CANNOT_DELETE, "the file is read-only");
            }
        }
    }

    static FileAttributes make(FileVolume volume, FileAttributes parent, String name, CreateRequest c)
            throws IOException {
        DosAttributes dos = FileFields.settable(c.fileAttributes(), DosAttributes.NONE);
        if (c.has(CreateRequest.DIRECTORY_FILE)) {
            return volume.mkdir(parent.id(), name, SetAttributes.dos(dos));
        }
        DosAttributes fileDos = DosAttributes.of(dos.bits() | DosAttributes.ARCHIVE);
        return volume.create(parent.id(), name, CreateMode.GUARDED, SetAttributes.dos(fileDos));
    }

    /** SUPERSEDE and OVERWRITE(_IF): size 0, the attributes asked for (with archive), no longer sparse. */
    private static FileAttributes overwrite(FileVolume volume, FileAttributes file, CreateRequest c)
            throws IOException {
        DosAttributes dos = FileFields.settable(c.fileAttributes() | DosAttributes.ARCHIVE, DosAttributes.NONE);
        NamedStreams.removeAll(volume, file.id()); // an overwritten file has only its data stream
        return volume.setattr(file.id(), SetAttributes.size(0).withDosAttributes(dos));
    }

    /**
     * The rights the open gets: those asked for (MAXIMUM_ALLOWED: all the file's descriptor or mode and the tree
     * allow), checked against the file's stored DACL ({@link FileSecurity#allowed}) or else its mode (neither for
     * a file this CREATE made) and the tree's maximal access. {@code parent}: the file's directory where the
     * caller has it, else null (looked up only for a file with a stored descriptor).
     */
    static int grant(
            SmbTree tree,
            FileAttributes file,
            FileAttributes parent,
            int desired,
            boolean genericExecute,
            boolean overwrite,
            boolean created)
            throws SmbException, IOException {
        Integer fromDacl = null;
        if (!created && tree.volume() instanceof CheckedFileVolume checked) {
            AccessCheck.Token token = AccessCheck.Token.of(checked.caller());
            fromDacl = parent != null
                    ? FileSecurity.allowed(tree.volume(), token, file, parent)
                    : FileSecurity.allowed(tree.volume(), token, file);
        }
        int maximal = fromDacl != null ? fromDacl & tree.maximalAccess() : modeMaximalAccess(tree, file);
        int wanted = desired & ~AccessMask.MAXIMUM_ALLOWED;
        if ((desired & AccessMask.MAXIMUM_ALLOWED) != 0) {
            wanted |= maximal;
        }
        int treeMax = tree.maximalAccess();
        if ((wanted & ~treeMax & ~AccessMask.SYNCHRONIZE) != 0 && (desired & AccessMask.MAXIMUM_ALLOWED) == 0) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "the tree allows less than asked");
        }
        wanted &= treeMax | AccessMask.SYNCHRONIZE;
        if (fromDacl != null) {
            int satisfied = fromDacl;
            if (genericExecute && !file.isDirectory() && (fromDacl & AccessMask.FILE_READ_DATA) != 0) {
                // GENERIC_EXECUTE on a file one may read: executing reads it (smb2.maximum_allowed)
                satisfied |= AccessMask.FILE_EXECUTE;
            }
            if (overwrite && (satisfied & AccessMask.FILE_WRITE_DATA) == 0) {
                // overwriting (or superseding) writes the data, whatever rights the open asked for
                throw new SmbException(NtStatus.ACCESS_DENIED, "the DACL does not grant overwriting");
            }
            if ((wanted & ~satisfied) != 0) {
                throw new SmbException(
                        NtStatus.ACCESS_DENIED,
                        "the DACL does not grant 0x" + Integer.toHexString(wanted & ~satisfied));
            }
        } else if (!created) {
            if (tree.volume() instanceof CheckedFileVolume checked) {
                try {
                    checked.requireAccess(file, AccessMask.volumeBits(wanted, file.isDirectory()));
                } catch (VolumeException e) {
                    throw new SmbException(NtStatus.ACCESS_DENIED, e.getMessage());
                }
            }
        }
        return wanted;
    }

    /**
     * {@link #grant} for an open of one of {@code file}'s named streams: the file's descriptor (and its parent's,
     * for DELETE) or mode decide, as for the file itself.
     */
    static int grant(SmbTree tree, FileAttributes file, int desired, boolean created) throws SmbException, IOException {
        return grant(tree, file, null, desired, false, false, created);
    }

    /**
     * All rights the caller could get on {@code file} (the MxAc answer and MAXIMUM_ALLOWED): what its stored
     * DACL grants, else what its mode does.
     */
    static int maximalAccess(SmbTree tree, FileAttributes file) {
        FileVolume volume = tree.volume();
        if (volume instanceof CheckedFileVolume checked) {
            try {
                Integer fromDacl = FileSecurity.allowed(volume, AccessCheck.Token.of(checked.caller()), file);
                if (fromDacl != null) {
                    return fromDacl & tree.maximalAccess();
                }
            } catch (IOException e) {
                // the descriptor cannot be read: the mode answers
            }
        }
        return modeMaximalAccess(tree, file);
    }

    private static int modeMaximalAccess(SmbTree tree, FileAttributes file) {
        int bits = FileVolume.ACCESS_READ | FileVolume.ACCESS_WRITE | FileVolume.ACCESS_EXECUTE;
        boolean owner = true;
        if (tree.volume() instanceof CheckedFileVolume checked) {
            bits = checked.granted(file, bits);
            owner = checked.caller().uid() == 0 || checked.caller().uid() == file.uid();
            if (owner && !file.isDirectory() && checked.writable()) {
                bits |= FileVolume.ACCESS_READ | FileVolume.ACCESS_WRITE;
            }
        }
        return AccessMask.fromVolumeBits(bits, owner, file.isDirectory()) & tree.maximalAccess();
    }
}
