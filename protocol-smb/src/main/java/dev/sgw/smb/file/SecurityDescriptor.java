package dev.sgw.smb.file;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A security descriptor (MS-DTYP 2.4.6) as this server keeps it: the control flags, owner, group and DACL. A
 * SACL is never kept (setting one is refused before this class sees it).
 *
 * <pre>
 * self-relative form: Revision 1, Sbz1, Control (2), OffsetOwner, OffsetGroup, OffsetSacl, OffsetDacl (4 each),
 *                     then owner SID, group SID, DACL (an offset of 0: absent)
 * ACL:                AclRevision (2 or 4), Sbz1, AclSize (2), AceCount (2), Sbz2 (2), ACEs ({@link Ace})
 * DACL                | Control              | meaning
 * --------------------+----------------------+---------------------------------------------------
 * absent              | no SE_DACL_PRESENT   | not given (a CREATE's descriptor: the default one)
 * NULL                | SE_DACL_PRESENT, 0   | everyone may do everything
 * empty (no ACEs)     | SE_DACL_PRESENT      | only the owner's implicit READ_CONTROL | WRITE_DAC
 * </pre>
 */
final class SecurityDescriptor {
    static final int OWNER = 0x1, GROUP = 0x2, DACL = 0x4, SACL = 0x8;
    static final int OWNER_DEFAULTED = 0x1, GROUP_DEFAULTED = 0x2, DACL_PRESENT = 0x4, DACL_DEFAULTED = 0x8;
    static final int DACL_AUTO_INHERIT_REQ = 0x100, DACL_AUTO_INHERITED = 0x400, DACL_PROTECTED = 0x1000;
    static final int SELF_RELATIVE = 0x8000;
    /** The DACL's control flags this server keeps (the _REQ flag is a request, never stored). */
    static final int DACL_CONTROL = DACL_PRESENT | DACL_DEFAULTED | DACL_AUTO_INHERITED | DACL_PROTECTED;

    /** An access control list (the DACL). */
    record Acl(int revision, List<Ace> aces) {
        Acl {
            aces = List.copyOf(aces);
        }

        int size() {
            int size = 8;
            for (Ace a : aces) {
                size += a.size();
            }
            return size;
        }
    }

    final int control;
    final Sid owner;
    final Sid group;
    /** The DACL; null when absent or NULL (told apart by {@link #DACL_PRESENT}). */
    final Acl dacl;

    SecurityDescriptor(int control, Sid owner, Sid group, Acl dacl) {
        this.control = control & (OWNER_DEFAULTED | GROUP_DEFAULTED | DACL_CONTROL);
        this.owner = owner;
        this.group = group;
        this.dacl = (control & DACL_PRESENT) != 0 ? dacl : null;
    }

    boolean daclPresent() {
        return (control & DACL_PRESENT) != 0;
    }

    /** A NULL DACL: present without an ACL. */
    boolean nullDacl() {
        return daclPresent() && dacl == null;
    }

    /**
     * This descriptor with the parts {@code parts} of {@code given} (SET_INFO's merge): the owner and group when
     * given, the DACL and its control flags (a DACL not present: a NULL DACL).
     */
    SecurityDescriptor merged(SecurityDescriptor given, int parts) {
        int c = control;
        Sid o = owner;
        Sid g = group;
        Acl d = dacl;
        if ((parts & OWNER) != 0 && given.owner != null) {
            o = given.owner;
            c = (c & ~OWNER_DEFAULTED) | (given.control & OWNER_DEFAULTED);
        }
        if ((parts & GROUP) != 0 && given.group != null) {
            g = given.group;
            c = (c & ~GROUP_DEFAULTED) | (given.control & GROUP_DEFAULTED);
        }
        if ((parts & DACL) != 0) {
            d = given.dacl;
            c = (c & ~DACL_CONTROL) | (given.control & DACL_CONTROL) | DACL_PRESENT;
        }
        return new SecurityDescriptor(c, o, g, d);
    }

    SecurityDescriptor withOwner(Sid sid) {
        return new SecurityDescriptor(control, sid, group, dacl);
    }

    SecurityDescriptor withGroup(Sid sid) {
        return new SecurityDescriptor(control, owner, sid, dacl);
    }

    /**
     * The descriptor a client sent in {@code b}'s readable bytes (self-relative form). SE_DACL_AUTO_INHERITED is
     * kept only with SE_DACL_AUTO_INHERIT_REQ, as Windows does.
     */
    static SecurityDescriptor parse(ByteBuf b) {
        return parse(b, true);
    }

    /** A descriptor this server stored. */
    static SecurityDescriptor load(byte[] bytes) {
        return parse(Unpooled.wrappedBuffer(bytes), false);
    }

    private static SecurityDescriptor parse(ByteBuf b, boolean fromClient) {
        int base = b.readerIndex();
        int end = b.writerIndex();
        if (end - base < 20 || b.getUnsignedByte(base) != 1) {
            throw new IllegalArgumentException("not a self-relative security descriptor");
        }
        int control = b.getUnsignedShortLE(base + 2);
        if (fromClient && (control & DACL_AUTO_INHERIT_REQ) == 0) {
            control &= ~DACL_AUTO_INHERITED;
        }
        Sid owner = sidAt(b, base, b.getIntLE(base + 4), end);
        Sid group = sidAt(b, base, b.getIntLE(base + 8), end);
        int daclOffset = b.getIntLE(base + 16);
        Acl dacl = (control & DACL_PRESENT) != 0 && daclOffset != 0
                ? acl(b, base + offset(daclOffset, end - base), end)
                : null;
        return new SecurityDescriptor(control, owner, group, dacl);
    }

    private static int offset(int offset, int length) {
        if (offset < 20 || offset >= length) {
            throw new IllegalArgumentException("offset " + offset + " outside " + length + " bytes");
        }
        return offset;
    }

    private static Sid sidAt(ByteBuf b, int base, int offset, int end) {
        return offset == 0 ? null : Sid.read(b, base + offset(offset, end - base), end);
    }

    private static Acl acl(ByteBuf b, int at, int end) {
        if (at + 8 > end) {
            throw new IllegalArgumentException("ACL header cut");
        }
        int revision = b.getUnsignedByte(at);
        int size = b.getUnsignedShortLE(at + 2);
        int count = b.getUnsignedShortLE(at + 4);
        if ((revision != 2 && revision != 4) || size < 8 || at + size > end) {
            throw new IllegalArgumentException("ACL revision " + revision + " size " + size);
        }
        int aclEnd = at + size;
        List<Ace> aces = new ArrayList<>(count);
        int p = at + 8;
        for (int i = 0; i < count; i++) {
            if (p + 8 > aclEnd) {
                throw new IllegalArgumentException("ACE " + i + " outside the ACL");
            }
            int aceSize = b.getUnsignedShortLE(p + 2);
            if (aceSize < 8 || p + aceSize > aclEnd) {
                throw new IllegalArgumentException("ACE size " + aceSize);
            }
            aces.add(Ace.read(b, p, aceSize));
            p += aceSize;
        }
        return new Acl(revision, aces);
    }

    /** The self-relative form with the parts {@code parts} ({@link #OWNER} | {@link #GROUP} | {@link #DACL}). */
    byte[] encode(int parts) {
        int c = SELF_RELATIVE;
        if ((parts & OWNER) != 0) {
            c |= control & OWNER_DEFAULTED;
        }
        if ((parts & GROUP) != 0) {
            c |= control & GROUP_DEFAULTED;
        }
        if ((parts & DACL) != 0) {
            c |= control & DACL_CONTROL;
        }
        ByteBuf out = Unpooled.buffer(64 + (dacl == null ? 0 : dacl.size()));
        out.writeByte(1);
        out.writeByte(0);
        out.writeShortLE(c);
        out.writeZero(16);
        if ((parts & OWNER) != 0 && owner != null) {
            out.setIntLE(4, out.writerIndex());
            owner.write(out);
        }
        if ((parts & GROUP) != 0 && group != null) {
            out.setIntLE(8, out.writerIndex());
            group.write(out);
        }
        if ((parts & DACL) != 0 && dacl != null) {
            out.setIntLE(16, out.writerIndex());
            out.writeByte(dacl.revision());
            out.writeByte(0);
            out.writeShortLE(dacl.size());
            out.writeShortLE(dacl.aces().size());
            out.writeShortLE(0);
            for (Ace a : dacl.aces()) {
                a.write(out);
            }
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "SD(control 0x" + Integer.toHexString(control) + ", owner " + owner + ", group " + group + ", dacl "
                + (daclPresent() ? (dacl == null ? "NULL" : dacl.aces()) : "absent") + ")";
    }
}
