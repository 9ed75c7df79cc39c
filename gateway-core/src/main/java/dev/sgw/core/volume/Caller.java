package dev.sgw.core.volume;

import java.util.Arrays;

/**
 * Who asks, after the share's user mapping (squash) is applied: a uid, a primary gid and more gids.
 *
 * @param uid  user id (0 is root)
 * @param gid  primary group
 * @param gids supplementary groups
 */
// the array component is carried as is; this record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record Caller(int uid, int gid, int[] gids) {
    public static final Caller ROOT = new Caller(0, 0, new int[0]);

    public Caller {
        gids = gids.clone();
    }

    public boolean inGroup(int group) {
        return gid == group || Arrays.stream(gids).anyMatch(g -> g == group);
    }

    /**
     * The {@link FileVolume#ACCESS_READ} | {@code ACCESS_WRITE} | {@code ACCESS_EXECUTE} bits a file's mode
     * grants this caller: the owner's, the group's or the others' triple; root may read and write anything and
     * execute what has any execute bit (and search every directory).
     */
    public int granted(int mode, int owner, int group, boolean directory) {
        if (uid == 0) {
            boolean executable = directory || (mode & 0111) != 0;
            return FileVolume.ACCESS_READ | FileVolume.ACCESS_WRITE | (executable ? FileVolume.ACCESS_EXECUTE : 0);
        }
        if (uid == owner) {
            return (mode >> 6) & 7;
        }
        return inGroup(group) ? (mode >> 3) & 7 : mode & 7;
    }
}
