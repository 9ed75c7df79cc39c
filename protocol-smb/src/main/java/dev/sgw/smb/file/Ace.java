package dev.sgw.smb.file;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;

/**
 * An access control entry (MS-DTYP 2.4.4): AceType, AceFlags, AceSize (2), Mask (4), then for the types this
 * server understands the SID; whatever follows (a callback's application data, an object ACE's GUIDs) is kept
 * as it came so that a descriptor set is returned as it was. Only ACCESS_ALLOWED and ACCESS_DENIED take part in
 * access checks ({@link AccessCheck}); object and callback ACEs are kept and ignored.
 */
final class Ace {
    static final int ALLOWED = 0, DENIED = 1;
    static final int OBJECT_INHERIT = 0x1, CONTAINER_INHERIT = 0x2, NO_PROPAGATE_INHERIT = 0x4;
    static final int INHERIT_ONLY = 0x8, INHERITED = 0x10;
    static final int INHERITANCE_FLAGS = OBJECT_INHERIT | CONTAINER_INHERIT | NO_PROPAGATE_INHERIT | INHERIT_ONLY;
    /** Object ACE types (5-8, 0xB-0x10) carry GUIDs before the SID: kept whole, never matched. */
    private static final int OBJECT_TYPES = 0x1E1E0;

    final int type;
    final int flags;
    final int mask;
    /** The trustee, or null for an object ACE. */
    final Sid sid;
    /** The bytes after the SID (after the mask for an object ACE). */
    private final byte[] tail;

    Ace(int type, int flags, int mask, Sid sid) {
        this(type, flags, mask, sid, new byte[0]);
    }

    private Ace(int type, int flags, int mask, Sid sid, byte[] tail) {
        this.type = type;
        this.flags = flags;
        this.mask = mask;
        this.sid = sid;
        this.tail = tail;
    }

    static Ace read(ByteBuf b, int at, int size) {
        int type = b.getUnsignedByte(at);
        int flags = b.getUnsignedByte(at + 1);
        int mask = b.getIntLE(at + 4);
        int end = at + size;
        Sid sid = null;
        int rest = at + 8;
        if (type > 31 || (OBJECT_TYPES & (1 << type)) == 0) {
            sid = Sid.read(b, rest, end);
            rest += sid.size();
        }
        byte[] tail = new byte[end - rest];
        b.getBytes(rest, tail);
        return new Ace(type, flags, mask, sid, tail);
    }

    int size() {
        return 8 + (sid == null ? 0 : sid.size()) + tail.length;
    }

    void write(ByteBuf out) {
        out.writeByte(type);
        out.writeByte(flags);
        out.writeShortLE(size());
        out.writeIntLE(mask);
        if (sid != null) {
            sid.write(out);
        }
        out.writeBytes(tail);
    }

    boolean inheritOnly() {
        return (flags & INHERIT_ONLY) != 0;
    }

    Ace withFlags(int newFlags) {
        return new Ace(type, newFlags, mask, sid, tail);
    }

    Ace withMask(int newMask) {
        return new Ace(type, flags, newMask, sid, tail);
    }

    Ace withSid(Sid newSid) {
        return sid == null ? this : new Ace(type, flags, mask, newSid, tail);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ace a
                && a.type == type
                && a.flags == flags
                && a.mask == mask
                && java.util.Objects.equals(a.sid, sid)
                && Arrays.equals(a.tail, tail);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(type, flags, mask, sid, Arrays.hashCode(tail));
    }

    @Override
    public String toString() {
        return (type == ALLOWED ? "allow " : type == DENIED ? "deny " : "type " + type + " ") + sid + " 0x"
                + Integer.toHexString(mask) + (flags != 0 ? " flags 0x" + Integer.toHexString(flags) : "");
    }
}
