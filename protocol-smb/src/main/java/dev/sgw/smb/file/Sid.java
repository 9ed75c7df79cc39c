package dev.sgw.smb.file;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;

/**
 * A security identifier (MS-DTYP 2.4.2): Revision 1, SubAuthorityCount, IdentifierAuthority (6 bytes,
 * big-endian), SubAuthority (4 bytes each, little-endian). Kept as its wire bytes; equal when those are.
 */
final class Sid {
    static final Sid EVERYONE = of(1, 0);
    static final Sid CREATOR_OWNER = of(3, 0);
    static final Sid CREATOR_GROUP = of(3, 1);
    static final Sid OWNER_RIGHTS = of(3, 4);
    static final Sid AUTHENTICATED_USERS = of(5, 11);
    private static final int UNIX_AUTHORITY = 22, UNIX_USERS = 1, UNIX_GROUPS = 2;

    private final byte[] bytes;

    private Sid(byte[] bytes) {
        this.bytes = bytes;
    }

    static Sid of(long authority, int... subAuthorities) {
        byte[] b = new byte[8 + 4 * subAuthorities.length];
        b[0] = 1;
        b[1] = (byte) subAuthorities.length;
        for (int i = 0; i < 6; i++) {
            b[2 + i] = (byte) (authority >>> (8 * (5 - i)));
        }
        for (int i = 0; i < subAuthorities.length; i++) {
            int s = subAuthorities[i];
            b[8 + 4 * i] = (byte) s;
            b[9 + 4 * i] = (byte) (s >>> 8);
            b[10 + 4 * i] = (byte) (s >>> 16);
            b[11 + 4 * i] = (byte) (s >>> 24);
        }
        return new Sid(b);
    }

    /** Samba's SID of Unix user {@code uid}: S-1-22-1-uid. */
    static Sid unixUser(int uid) {
        return of(UNIX_AUTHORITY, UNIX_USERS, uid);
    }

    /** Samba's SID of Unix group {@code gid}: S-1-22-2-gid. */
    static Sid unixGroup(int gid) {
        return of(UNIX_AUTHORITY, UNIX_GROUPS, gid);
    }

    /** The SID at {@code at} of {@code b}, which must hold it whole before {@code end}. */
    static Sid read(ByteBuf b, int at, int end) {
        if (at + 8 > end || b.getUnsignedByte(at) != 1) {
            throw new IllegalArgumentException("bad SID at " + at);
        }
        int count = b.getUnsignedByte(at + 1);
        if (count > 15 || at + 8 + 4 * count > end) {
            throw new IllegalArgumentException("SID with " + count + " sub-authorities");
        }
        byte[] bytes = new byte[8 + 4 * count];
        b.getBytes(at, bytes);
        return new Sid(bytes);
    }

    int size() {
        return bytes.length;
    }

    void write(ByteBuf out) {
        out.writeBytes(bytes);
    }

    /** The uid of S-1-22-1-uid, else null. */
    Integer unixUid() {
        return unixId(UNIX_USERS);
    }

    /** The gid of S-1-22-2-gid, else null. */
    Integer unixGid() {
        return unixId(UNIX_GROUPS);
    }

    private Integer unixId(int kind) {
        if (bytes.length != 16 || authority() != UNIX_AUTHORITY || sub(0) != kind) {
            return null;
        }
        return sub(1);
    }

    private long authority() {
        long a = 0;
        for (int i = 0; i < 6; i++) {
            a = (a << 8) | (bytes[2 + i] & 0xFF);
        }
        return a;
    }

    private int sub(int i) {
        int at = 8 + 4 * i;
        return (bytes[at] & 0xFF)
                | (bytes[at + 1] & 0xFF) << 8
                | (bytes[at + 2] & 0xFF) << 16
                | (bytes[at + 3] & 0xFF) << 24;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sid s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** S-1-authority-sub-... */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("S-1-").append(authority());
        for (int i = 0; i < bytes[1]; i++) {
            s.append('-').append(Integer.toUnsignedString(sub(i)));
        }
        return s.toString();
    }
}
