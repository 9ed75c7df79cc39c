package dev.sgw.smb.file;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.SetAttributes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A file's POSIX owner, group and mode as a self-relative security descriptor (MS-DTYP 2.4.6), and back.
 * The owner is {@code S-1-22-1-uid}, the group {@code S-1-22-2-gid} (Samba's Unix SIDs) and the DACL holds
 * three ACCESS_ALLOWED ACEs: the owner's, the group's and Everyone's ({@code S-1-1-0}) rights from the mode's
 * three triples (r: FILE_GENERIC_READ, w: FILE_GENERIC_WRITE, x: FILE_GENERIC_EXECUTE; the owner may also
 * change the DACL, the owner, attributes and delete). No SACL is kept.
 *
 * <pre>
 * descriptor: Revision 1, Sbz1, Control (SE_SELF_RELATIVE, SE_DACL_PRESENT), OffsetOwner, OffsetGroup,
 *             OffsetSacl (0), OffsetDacl (4 each), then owner SID, group SID, DACL
 * SID:        Revision 1, SubAuthorityCount, IdentifierAuthority (6, big-endian), SubAuthority (4 each)
 * ACL:        AclRevision 2, Sbz1, AclSize (2), AceCount (2), Sbz2 (2), ACEs
 * ACE:        AceType (0 allowed, 1 denied), AceFlags, AceSize (2), Mask (4), SID
 * </pre>
 */
final class SecurityDescriptors {
    static final int OWNER = 0x1, GROUP = 0x2, DACL = 0x4, SACL = 0x8;
    private static final int SE_DACL_PRESENT = 0x0004, SE_SELF_RELATIVE = 0x8000;
    private static final int UNIX_USERS = 1, UNIX_GROUPS = 2;

    private SecurityDescriptors() {}

    /** The descriptor of {@code a} with the parts {@code additional} asks for. */
    static byte[] of(FileAttributes a, int additional) {
        ByteBuf out = Unpooled.buffer(160);
        out.writeByte(1);
        out.writeByte(0);
        out.writeShortLE(SE_SELF_RELATIVE | ((additional & DACL) != 0 ? SE_DACL_PRESENT : 0));
        out.writeZero(16);
        if ((additional & OWNER) != 0) {
            out.setIntLE(4, out.writerIndex());
            sid(out, 22, UNIX_USERS, a.uid());
        }
        if ((additional & GROUP) != 0) {
            out.setIntLE(8, out.writerIndex());
            sid(out, 22, UNIX_GROUPS, a.gid());
        }
        if ((additional & DACL) != 0) {
            out.setIntLE(16, out.writerIndex());
            dacl(out, a);
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    private static void sid(ByteBuf out, int authority, int... subAuthorities) {
        out.writeByte(1);
        out.writeByte(subAuthorities.length);
        out.writeZero(5);
        out.writeByte(authority);
        for (int s : subAuthorities) {
            out.writeIntLE(s);
        }
    }

    private static void dacl(ByteBuf out, FileAttributes a) {
        int start = out.writerIndex();
        out.writeByte(2);
        out.writeByte(0);
        out.writeShortLE(0); // AclSize, set below
        out.writeShortLE(3);
        out.writeShortLE(0);
        int mode = a.mode();
        ace(out, rights((mode >> 6) & 7, true, a.isDirectory()), 22, UNIX_USERS, a.uid());
        ace(out, rights((mode >> 3) & 7, false, a.isDirectory()), 22, UNIX_GROUPS, a.gid());
        ace(out, rights(mode & 7, false, a.isDirectory()), 1, 0);
        out.setShortLE(start + 2, out.writerIndex() - start);
    }

    private static void ace(ByteBuf out, int mask, int authority, int... sub) {
        out.writeByte(0); // ACCESS_ALLOWED_ACE_TYPE
        out.writeByte(0);
        out.writeShortLE(8 + 8 + 4 * sub.length);
        out.writeIntLE(mask);
        sid(out, authority, sub);
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

    /**
     * What setting {@code sd} on {@code current} changes: the owner and group when they are Unix SIDs, the mode's
     * nine permission bits from the ACCESS_ALLOWED ACEs of the owner, the group and Everyone. Other SIDs and ACE
     * types are ignored.
     *
     * @throws IllegalArgumentException when the descriptor is malformed
     */
    static SetAttributes change(FileAttributes current, ByteBuf sd, int additional) {
        int len = sd.readableBytes();
        int base = sd.readerIndex();
        if (len < 20 || sd.getUnsignedByte(base) != 1) {
            throw new IllegalArgumentException("not a self-relative security descriptor");
        }
        int control = sd.getUnsignedShortLE(base + 2);
        Integer uid = null;
        Integer gid = null;
        if ((additional & OWNER) != 0) {
            uid = unixId(sd, base, sd.getIntLE(base + 4), UNIX_USERS);
        }
        if ((additional & GROUP) != 0) {
            gid = unixId(sd, base, sd.getIntLE(base + 8), UNIX_GROUPS);
        }
        Integer mode = null;
        int daclOffset = sd.getIntLE(base + 16);
        if ((additional & DACL) != 0 && (control & SE_DACL_PRESENT) != 0 && daclOffset != 0) {
            int owner = uid != null ? uid : current.uid();
            int group = gid != null ? gid : current.gid();
            mode = (current.mode() & ~0777) | modeOf(sd, base + daclOffset, base + len, owner, group);
        }
        return new SetAttributes(mode, uid, gid, null, null, null);
    }

    private static Integer unixId(ByteBuf sd, int base, int offset, int kind) {
        if (offset == 0) {
            return null;
        }
        int at = base + offset;
        if (sd.getUnsignedByte(at + 1) == 2 && sd.getUnsignedByte(at + 7) == 22 && sd.getIntLE(at + 8) == kind) {
            return sd.getIntLE(at + 12);
        }
        return null;
    }

    private static int modeOf(ByteBuf sd, int acl, int end, int owner, int group) {
        int count = sd.getUnsignedShortLE(acl + 4);
        int at = acl + 8;
        int mode = 0;
        for (int i = 0; i < count && at + 8 <= end; i++) {
            int type = sd.getUnsignedByte(at);
            int size = sd.getUnsignedShortLE(at + 2);
            if (size < 8 || at + size > end) {
                throw new IllegalArgumentException("ACE size " + size);
            }
            if (type == 0 && size >= 16) {
                int triple = triple(sd.getIntLE(at + 4));
                int sid = at + 8;
                int subs = sd.getUnsignedByte(sid + 1);
                int authority = sd.getUnsignedByte(sid + 7);
                if (authority == 22
                        && subs == 2
                        && sd.getIntLE(sid + 8) == UNIX_USERS
                        && sd.getIntLE(sid + 12) == owner) {
                    mode |= triple << 6;
                } else if (authority == 22
                        && subs == 2
                        && sd.getIntLE(sid + 8) == UNIX_GROUPS
                        && sd.getIntLE(sid + 12) == group) {
                    mode |= triple << 3;
                } else if (authority == 1 && subs == 1 && sd.getIntLE(sid + 8) == 0) {
                    mode |= triple;
                }
            }
            at += size;
        }
        return mode;
    }

    private static int triple(int mask) {
        int t = 0;
        if ((mask & (AccessMask.FILE_READ_DATA | AccessMask.GENERIC_READ | AccessMask.GENERIC_ALL)) != 0) {
            t |= 4;
        }
        if ((mask & (AccessMask.FILE_WRITE_DATA | AccessMask.GENERIC_WRITE | AccessMask.GENERIC_ALL)) != 0) {
            t |= 2;
        }
        if ((mask & (AccessMask.FILE_EXECUTE | AccessMask.GENERIC_EXECUTE | AccessMask.GENERIC_ALL)) != 0) {
            t |= 1;
        }
        return t;
    }
}
