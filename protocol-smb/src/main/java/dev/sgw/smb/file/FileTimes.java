package dev.sgw.smb.file;

/**
 * SMB's FILETIME (100 ns units since 1601-01-01 UTC, MS-DTYP 2.3.3) and the volume's nanoseconds since the
 * epoch. A volume keeps times exactly as set, so a FILETIME a client sets comes back unchanged.
 *
 * <p>A signed 64-bit count of nanoseconds reaches from 1677 to 2262, FILETIMEs from 1601 to 30828. Times within
 * {@link #EXACT_NANOS} of the epoch (1684 to 2255) are kept exactly; beyond that knee, on either side, one
 * nanosecond stands for one FILETIME unit, which reaches about 700 years further (to 984 and 2955) and keeps
 * each FILETIME distinct, so a client's far-future time (Samba's smbtorture sets 2286 and 2446) round-trips.
 * Beyond those the time saturates. An NFS client sees a time past the knee as a few years past it.
 *
 * <pre>
 * nanoseconds n                 | FILETIME
 * ------------------------------+----------------------------------------------
 * |n| &lt;= EXACT_NANOS          | EPOCH_AS_FILETIME + n / 100 (floor)
 * n &gt; EXACT_NANOS             | EPOCH_AS_FILETIME + EXACT_NANOS / 100 + (n - EXACT_NANOS)
 * n &lt; -EXACT_NANOS            | EPOCH_AS_FILETIME - EXACT_NANOS / 100 - (-EXACT_NANOS - n)
 * </pre>
 */
final class FileTimes {
    /** 100 ns intervals between 1601-01-01 and 1970-01-01. */
    static final long EPOCH_AS_FILETIME = 116_444_736_000_000_000L;
    /** The nanoseconds from the epoch kept exactly (about 285 years). */
    static final long EXACT_NANOS = 9_000_000_000_000_000_000L;

    private static final long KNEE_UNITS = EXACT_NANOS / 100;

    private FileTimes() {}

    static long toFiletime(long epochNanos) {
        if (epochNanos > EXACT_NANOS) {
            return EPOCH_AS_FILETIME + KNEE_UNITS + (epochNanos - EXACT_NANOS);
        }
        if (epochNanos < -EXACT_NANOS) {
            return EPOCH_AS_FILETIME - KNEE_UNITS - (-EXACT_NANOS - epochNanos);
        }
        return Math.floorDiv(epochNanos, 100) + EPOCH_AS_FILETIME;
    }

    static long toEpochNanos(long filetime) {
        long units = filetime - EPOCH_AS_FILETIME;
        if (units > KNEE_UNITS) {
            long beyond = units - KNEE_UNITS;
            return beyond > Long.MAX_VALUE - EXACT_NANOS ? Long.MAX_VALUE : EXACT_NANOS + beyond;
        }
        if (units < -KNEE_UNITS) {
            long beyond = -KNEE_UNITS - units;
            return beyond > Long.MAX_VALUE - EXACT_NANOS ? Long.MIN_VALUE : -EXACT_NANOS - beyond;
        }
        return units * 100;
    }

    /** A FILETIME a client sets: null for 0 (no change) and -1 / -2 (stop or resume updating: no change). */
    static Long setting(long filetime) {
        if (filetime == 0 || filetime == -1 || filetime == -2) {
            return null;
        }
        return toEpochNanos(filetime);
    }
}
