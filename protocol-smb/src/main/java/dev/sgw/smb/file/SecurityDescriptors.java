package dev.sgw.smb.file;

import java.util.List;
import java.util.Set;

import dev.sgw.core.volume.FileAttributes;

/**
 * A file's POSIX owner, group and mode as a security descriptor (MS-DTYP 2.4.6), and a DACL's rights as mode
 * bits. The owner is {@code S-1-22-1-uid}, the group {@code S-1-22-2-gid} (Samba's Unix SIDs).
 *
 * <p>From a mode (a file without a stored descriptor, {@link FileSecurity}): the DACL holds three ACCESS_ALLOWED
 * ACEs, the owner's, the group's and Everyone's ({@code S-1-1-0}) rights from the mode's three triples (r:
 * FILE_GENERIC_READ, w: FILE_GENERIC_WRITE, and FILE_DELETE_CHILD on a directory, x: FILE_GENERIC_EXECUTE; the
 * owner may also change the DACL, the owner, attributes and delete).
 *
 * <p>To a mode (a descriptor set by a client, so that NFS clients see a sensible mode):
 *
 * <pre>
 * triple | the rights the DACL grants ({@link AccessCheck}) to
 * -------+-------------------------------------------------------------------------
 * owner  | the owner's SID, Everyone and Authenticated Users
 * group  | the group's SID, Everyone and Authenticated Users
 * other  | Everyone and Authenticated Users
 * bit    | r: FILE_READ_DATA (list), w: FILE_WRITE_DATA (add a file), x: FILE_EXECUTE (traverse); a directory
 *        | whose triple has r or w also gets x (SMB clients bypass traverse checking, and the gateway's own
 *        | lookups need the search bit)
 * </pre>
 *
 * A NULL DACL is 0777; an empty one 0000. Deny ACEs count as the access check says (a deny of write to
 * Everyone before the owner's allow clears w from all three triples).
 */
final class SecurityDescriptors {
    static final int OWNER = SecurityDescriptor.OWNER, GROUP = SecurityDescriptor.GROUP;
    static final int DACL = SecurityDescriptor.DACL, SACL = SecurityDescriptor.SACL;

    private SecurityDescriptors() {}

    /** The descriptor of {@code a} with the parts {@code additional} asks for. */
    static byte[] of(FileAttributes a, int additional) {
        return fromMode(a).encode(additional);
    }

    /** The descriptor {@code a}'s owner, group and mode stand for. */
    static SecurityDescriptor fromMode(FileAttributes a) {
        int mode = a.mode();
        boolean dir = a.isDirectory();
        Sid owner = Sid.unixUser(a.uid());
        Sid group = Sid.unixGroup(a.gid());
        List<Ace> aces = List.of(
                new Ace(Ace.ALLOWED, 0, rights((mode >> 6) & 7, true, dir), owner),
                new Ace(Ace.ALLOWED, 0, rights((mode >> 3) & 7, false, dir), group),
                new Ace(Ace.ALLOWED, 0, rights(mode & 7, false, dir), Sid.EVERYONE));
        return new SecurityDescriptor(
                SecurityDescriptor.DACL_PRESENT, owner, group, new SecurityDescriptor.Acl(2, aces));
    }

    /** The access mask a mode triple gives. */
    static int rights(int triple, boolean owner, boolean directory) {
        int m = AccessMask.FILE_READ_ATTRIBUTES
                | AccessMask.FILE_READ_EA
                | AccessMask.READ_CONTROL
                | AccessMask.SYNCHRONIZE;
        if ((triple & 4) != 0) {
            m |= AccessMask.FILE_GENERIC_READ;
        }
        if ((triple & 2) != 0) {
            m |= AccessMask.FILE_GENERIC_WRITE | (directory ? AccessMask.FILE_DELETE_CHILD : 0);
        }
        if ((triple & 1) != 0) {
            m |= AccessMask.FILE_GENERIC_EXECUTE;
        }
        if (owner) {
            m |= AccessMask.WRITE_DAC | AccessMask.WRITE_OWNER | AccessMask.DELETE | AccessMask.FILE_WRITE_ATTRIBUTES;
        }
        return m;
    }

    /** The nine permission bits {@code sd}'s DACL stands for (see the class comment). */
    static int modeOf(SecurityDescriptor sd, boolean directory) {
        if (!sd.daclPresent() || sd.dacl == null) {
            return 0777;
        }
        Set<Sid> world = Set.of(Sid.EVERYONE, Sid.AUTHENTICATED_USERS);
        int other = triple(sd, new AccessCheck.Token(Sid.EVERYONE, world), directory);
        int group = sd.group == null ? other : triple(sd, with(sd.group, world), directory);
        int owner = sd.owner == null ? other : triple(sd, with(sd.owner, world), directory);
        return owner << 6 | group << 3 | other;
    }

    private static AccessCheck.Token with(Sid sid, Set<Sid> world) {
        Set<Sid> sids = new java.util.HashSet<>(world);
        sids.add(sid);
        return new AccessCheck.Token(sid, sids);
    }

    private static int triple(SecurityDescriptor sd, AccessCheck.Token token, boolean directory) {
        int mask = AccessCheck.granted(sd, token);
        int t = 0;
        if ((mask & AccessMask.FILE_READ_DATA) != 0) {
            t |= 4;
        }
        if ((mask & AccessMask.FILE_WRITE_DATA) != 0) {
            t |= 2;
        }
        if ((mask & AccessMask.FILE_EXECUTE) != 0 || (directory && t != 0)) {
            t |= 1;
        }
        return t;
    }
}
