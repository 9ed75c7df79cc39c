package dev.sgw.smb.file;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;

/**
 * Where a file's security descriptor lives: the named attribute {@value #ATTRIBUTE} (self-relative form, owner,
 * group and DACL) once a client set one (SET_INFO, a CREATE's SecD context) or the file inherited one
 * ({@link Inheritance}); otherwise the descriptor its owner, group and mode stand for
 * ({@link SecurityDescriptors#fromMode}).
 *
 * <pre>
 * event                             | what happens
 * ----------------------------------+----------------------------------------------------------------------
 * descriptor stored                 | owner S-1-22-1-uid / group S-1-22-2-gid also set the file's uid / gid;
 *                                   | the mode's nine bits become {@link SecurityDescriptors#modeOf} the DACL
 * read, mode as stored              | the stored descriptor; a Unix owner or group SID that no longer names
 *                                   | the file's uid or gid (a chown from NFS) is replaced by the current one
 * read, mode changed since (a chmod | the DACL is the mode's again (the owner and group stay as stored): the
 * from NFS, which knows no DACL)    | mode rules, and CREATE checks the mode bits as for any other file
 * volume without named attributes   | nothing stored: the mode is changed as the DACL says, as before
 * </pre>
 *
 * Reading and writing go through the caller's {@link CheckedFileVolume} as a checked open would
 * ({@code namedAttributesOpened}, {@code setNamedAttributeOpened}): the SMB access check already decided.
 */
final class FileSecurity {
    static final String ATTRIBUTE = "smb.sd";

    private FileSecurity() {}

    /** The descriptor a client set on {@code file}, or null: none, or the mode changed since. */
    static SecurityDescriptor stored(FileVolume volume, FileAttributes file) throws IOException {
        byte[] bytes = raw(volume, file);
        if (bytes == null) {
            return null;
        }
        SecurityDescriptor sd;
        try {
            sd = SecurityDescriptor.load(bytes);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
        if (SecurityDescriptors.modeOf(sd, file.isDirectory()) != (file.mode() & 0777)) {
            return null;
        }
        return current(sd, file);
    }

    /** The descriptor of {@code file}: the stored one, else the mode's (with a stored owner and group). */
    static SecurityDescriptor of(FileVolume volume, FileAttributes file) throws IOException {
        SecurityDescriptor sd = stored(volume, file);
        if (sd != null) {
            return sd;
        }
        SecurityDescriptor mode = SecurityDescriptors.fromMode(file);
        byte[] bytes = raw(volume, file);
        if (bytes != null) {
            try {
                SecurityDescriptor stale = current(SecurityDescriptor.load(bytes), file);
                return new SecurityDescriptor(mode.control, stale.owner, stale.group, mode.dacl);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                return mode;
            }
        }
        return mode;
    }

    /**
     * What {@code file}'s stored DACL grants {@code token}, with DELETE when {@code parent}'s descriptor grants
     * FILE_DELETE_CHILD and FILE_READ_ATTRIBUTES when it grants FILE_LIST_DIRECTORY (MS-FSA 2.1.5.1.2.1);
     * null when the file has no stored descriptor (its mode rules).
     */
    static Integer allowed(FileVolume volume, AccessCheck.Token token, FileAttributes file, FileAttributes parent)
            throws IOException {
        SecurityDescriptor sd = stored(volume, file);
        return sd == null ? null : allowed(volume, token, sd, parent);
    }

    /**
     * As {@link #allowed(FileVolume, AccessCheck.Token, FileAttributes, FileAttributes)}, the parent looked up only
     * when the file has a stored descriptor (the share's root has no parent).
     */
    static Integer allowed(FileVolume volume, AccessCheck.Token token, FileAttributes file) throws IOException {
        SecurityDescriptor sd = stored(volume, file);
        if (sd == null) {
            return null;
        }
        FileAttributes parent = file.id().equals(volume.root()) ? null : volume.parent(file.id());
        return allowed(volume, token, sd, parent);
    }

    private static int allowed(FileVolume volume, AccessCheck.Token token, SecurityDescriptor sd, FileAttributes parent)
            throws IOException {
        int allowed = AccessCheck.granted(sd, token);
        if (parent != null) {
            int p = AccessCheck.granted(of(volume, parent), token);
            if ((p & AccessMask.FILE_DELETE_CHILD) != 0) {
                allowed |= AccessMask.DELETE;
            }
            if ((p & AccessMask.FILE_READ_DATA) != 0) {
                allowed |= AccessMask.FILE_READ_ATTRIBUTES;
            }
        }
        return allowed;
    }

    private static SecurityDescriptor current(SecurityDescriptor sd, FileAttributes file) {
        if (sd.owner == null || (sd.owner.unixUid() != null && sd.owner.unixUid() != file.uid())) {
            sd = sd.withOwner(Sid.unixUser(file.uid()));
        }
        if (sd.group == null || (sd.group.unixGid() != null && sd.group.unixGid() != file.gid())) {
            sd = sd.withGroup(Sid.unixGroup(file.gid()));
        }
        return sd;
    }

    private static byte[] raw(FileVolume volume, FileAttributes file) throws IOException {
        NavigableMap<String, byte[]> attributes;
        try {
            attributes = volume instanceof CheckedFileVolume c
                    ? c.namedAttributesOpened(file.id())
                    : volume.namedAttributes(file.id());
        } catch (VolumeException e) {
            if (e.error() == VolumeError.NOTSUPP) {
                return null;
            }
            throw e;
        }
        return attributes.get(ATTRIBUTE);
    }

    /**
     * Keeps {@code sd} as {@code file}'s descriptor: its Unix owner and group become the file's (checked as a
     * chown by the caller is), its DACL the mode's nine bits, then the descriptor is stored.
     *
     * @return the file's attributes afterwards
     */
    static FileAttributes store(FileVolume volume, FileAttributes file, SecurityDescriptor sd) throws IOException {
        sd = withMappedAces(sd);
        Integer uid = sd.owner == null ? null : sd.owner.unixUid();
        Integer gid = sd.group == null ? null : sd.group.unixGid();
        if (uid != null && uid == file.uid()) {
            uid = null;
        }
        if (gid != null && gid == file.gid()) {
            gid = null;
        }
        FileVolume inner = volume;
        if (volume instanceof CheckedFileVolume checked) {
            checked.requireWritable();
            inner = checked.inner();
        }
        if (uid != null || gid != null) {
            file = volume.setattr(file.id(), new SetAttributes(null, uid, gid, null, null, null));
        }
        int mode = (file.mode() & ~0777) | SecurityDescriptors.modeOf(sd, file.isDirectory());
        if (mode != file.mode()) {
            file = inner.setattr(file.id(), new SetAttributes(mode, null, null, null, null, null));
        }
        try {
            return inner.setNamedAttribute(
                    file.id(),
                    ATTRIBUTE,
                    sd.encode(SecurityDescriptor.OWNER | SecurityDescriptor.GROUP | SecurityDescriptor.DACL));
        } catch (VolumeException e) {
            if (e.error() == VolumeError.NOTSUPP) {
                return file; // the mode carries what it can
            }
            throw e;
        }
    }

    /**
     * The descriptor of a file this CREATE made in {@code parent}: the parts of {@code given} (the SecD create
     * context; null without one) over what the parent passes on ({@link Inheritance}) or the mode's; nothing
     * is stored when neither gives anything.
     *
     * @return the file's attributes afterwards
     */
    static FileAttributes created(
            FileVolume volume, FileAttributes parent, FileAttributes file, SecurityDescriptor given)
            throws IOException {
        boolean daclGiven = given != null && given.daclPresent();
        SecurityDescriptor base = null;
        if (!daclGiven) {
            SecurityDescriptor parentSd = stored(volume, parent);
            if (parentSd != null) {
                base = Inheritance.inherited(
                        parentSd, Sid.unixUser(file.uid()), Sid.unixGroup(file.gid()), file.isDirectory());
            }
        }
        int parts = given == null
                ? 0
                : (given.owner != null ? SecurityDescriptor.OWNER : 0)
                        | (given.group != null ? SecurityDescriptor.GROUP : 0)
                        | (daclGiven ? SecurityDescriptor.DACL : 0);
        if (parts == 0) {
            return base == null ? file : store(volume, file, base);
        }
        SecurityDescriptor start = base != null ? base : SecurityDescriptors.fromMode(file);
        return store(volume, file, start.merged(given, parts));
    }

    /**
     * {@code sd} with the generic rights of its effective ACEs mapped to the specific ones (as Windows keeps
     * them); inherit-only ACEs keep theirs, mapped when inherited.
     */
    static SecurityDescriptor withMappedAces(SecurityDescriptor sd) {
        if (sd.dacl == null) {
            return sd;
        }
        List<Ace> aces = new ArrayList<>(sd.dacl.aces().size());
        for (Ace a : sd.dacl.aces()) {
            aces.add(a.inheritOnly() ? a : a.withMask(AccessMask.mapGeneric(a.mask)));
        }
        return new SecurityDescriptor(
                sd.control, sd.owner, sd.group, new SecurityDescriptor.Acl(sd.dacl.revision(), aces));
    }
}
