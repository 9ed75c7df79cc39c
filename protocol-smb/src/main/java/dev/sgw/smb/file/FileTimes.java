package dev.sgw.smb.file;

/**
 * SMB's FILETIME (100 ns units since 1601-01-01 UTC, MS-DTYP 2.3.3) and the volume's nanoseconds since the
 * epoch. A volume keeps times exactly as set, so a FILETIME a client sets comes back unchanged.
 */
final class FileTimes {
    /** 100 ns intervals between 1601-01-01 and 1970-01-01. */
    static final long EPOCH_AS_FILETIME = 116_444_736_000_000_000L;

    private FileTimes() {}

    static long toFiletime(long epochNanos) {
        return Math.floorDiv(epochNanos, 100) + EPOCH_AS_FILETIME;
    }

    static long toEpochNanos(long filetime) {
        return (filetime - EPOCH_AS_FILETIME) * 100;
    }

    /** A FILETIME a client sets: null for 0 (no change) and -1 / -2 (stop or resume updating: no change). */
    static Long setting(long filetime) {
        if (filetime == 0 || filetime == -1 || filetime == -2) {
            return null;
        }
        return toEpochNanos(filetime);
    }
}
