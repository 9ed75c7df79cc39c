package dev.sgw.core.volume;

/**
 * Attributes to change ({@code setattr}) or to give a new file ({@code create}, {@code mkdir},
 * {@code symlink}). A {@code null} field is left unchanged (on creation: the volume's default, the
 * current time for times). Times are nanoseconds since the epoch and are stored exactly as given (an SMB
 * FILETIME in 100 ns units keeps its resolution).
 *
 * @param mode          permission bits (low 12 bits)
 * @param uid           owner
 * @param gid           group
 * @param size          new size of a regular file (truncates or extends with zeros)
 * @param atime         last access
 * @param mtime         last change of content
 * @param ctime         last change of content or attributes (SMB's ChangeTime), set as given instead of
 *                      the time of this change
 * @param btime         creation (birth) time
 * @param dosAttributes read-only, hidden, system, archive (all four replaced together)
 */
public record SetAttributes(
        Integer mode,
        Integer uid,
        Integer gid,
        Long size,
        Long atime,
        Long mtime,
        Long ctime,
        Long btime,
        DosAttributes dosAttributes) {

    /** Changes nothing. */
    public static final SetAttributes NONE = new SetAttributes(null, null, null, null, null, null);

    /** The POSIX attributes only (no change time, birth time or DOS attributes). */
    public SetAttributes(Integer mode, Integer uid, Integer gid, Long size, Long atime, Long mtime) {
        this(mode, uid, gid, size, atime, mtime, null, null, null);
    }

    public static SetAttributes mode(int mode) {
        return new SetAttributes(mode, null, null, null, null, null);
    }

    public static SetAttributes owner(int uid, int gid) {
        return new SetAttributes(null, uid, gid, null, null, null);
    }

    public static SetAttributes size(long size) {
        return new SetAttributes(null, null, null, size, null, null);
    }

    public static SetAttributes times(Long atime, Long mtime) {
        return new SetAttributes(null, null, null, null, atime, mtime);
    }

    public static SetAttributes dos(DosAttributes attributes) {
        return NONE.withDosAttributes(attributes);
    }

    public SetAttributes withMode(int newMode) {
        return new SetAttributes(newMode, uid, gid, size, atime, mtime, ctime, btime, dosAttributes);
    }

    public SetAttributes withOwner(int newUid, int newGid) {
        return new SetAttributes(mode, newUid, newGid, size, atime, mtime, ctime, btime, dosAttributes);
    }

    /** These attributes with the four times (each {@code null}: unchanged). */
    public SetAttributes withTimes(Long newAtime, Long newMtime, Long newCtime, Long newBtime) {
        return new SetAttributes(mode, uid, gid, size, newAtime, newMtime, newCtime, newBtime, dosAttributes);
    }

    public SetAttributes withDosAttributes(DosAttributes newDosAttributes) {
        return new SetAttributes(mode, uid, gid, size, atime, mtime, ctime, btime, newDosAttributes);
    }
}
