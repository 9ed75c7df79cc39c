package dev.sgw.nfs.v3;

import dev.sgw.core.volume.SetAttributes;

/**
 * The attributes a client asks to set ({@code sattr3}, RFC 1813 section 2.5), before any permission check.
 *
 * @param mode     permission bits, or null
 * @param uid      owner, or null
 * @param gid      group, or null
 * @param size     new size, or null
 * @param atimeHow {@link Nfs3Xdr#DONT_CHANGE}, {@link Nfs3Xdr#SET_TO_SERVER_TIME} or {@link Nfs3Xdr#SET_TO_CLIENT_TIME}
 * @param atime    the client's time (nanoseconds since the epoch) with SET_TO_CLIENT_TIME
 * @param mtimeHow as {@code atimeHow}
 * @param mtime    as {@code atime}
 */
record Sattr3(Integer mode, Integer uid, Integer gid, Long size, int atimeHow, long atime, int mtimeHow, long mtime) {

    /** Sets nothing. */
    static final Sattr3 NONE = new Sattr3(null, null, null, null, Nfs3Xdr.DONT_CHANGE, 0, Nfs3Xdr.DONT_CHANGE, 0);

    /** The change for the volume, server times taken as {@code now}. */
    SetAttributes toSetAttributes(long now) {
        return new SetAttributes(mode, uid, gid, size, time(atimeHow, atime, now), time(mtimeHow, mtime, now));
    }

    /** Whether every time set is the server's (anyone who may write may do that; client times need the owner). */
    boolean serverTimesOnly() {
        return atimeHow != Nfs3Xdr.SET_TO_CLIENT_TIME && mtimeHow != Nfs3Xdr.SET_TO_CLIENT_TIME;
    }

    private static Long time(int how, long value, long now) {
        return switch (how) {
            case Nfs3Xdr.SET_TO_SERVER_TIME -> now;
            case Nfs3Xdr.SET_TO_CLIENT_TIME -> value;
            default -> null;
        };
    }
}
