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
}
