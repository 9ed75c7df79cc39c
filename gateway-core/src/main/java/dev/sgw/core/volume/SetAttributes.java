package dev.sgw.core.volume;

/**
 * Attributes to change ({@code setattr}) or to give a new file ({@code create}, {@code mkdir},
 * {@code symlink}). A {@code null} field is left unchanged (on creation: the volume's default, the
 * current time for times). Times are nanoseconds since the epoch.
 *
 * @param mode  permission bits (low 12 bits)
 * @param uid   owner
 * @param gid   group
 * @param size  new size of a regular file (truncates or extends with zeros)
 * @param atime last access
 * @param mtime last change of content
 */
public record SetAttributes(Integer mode, Integer uid, Integer gid, Long size, Long atime, Long mtime) {

    /** Changes nothing. */
    public static final SetAttributes NONE = new SetAttributes(null, null, null, null, null, null);

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

    public SetAttributes withMode(int newMode) {
        return new SetAttributes(newMode, uid, gid, size, atime, mtime);
    }

    public SetAttributes withOwner(int newUid, int newGid) {
        return new SetAttributes(mode, newUid, newGid, size, atime, mtime);
    }
}
