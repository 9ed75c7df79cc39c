package dev.sgw.core.access;

import java.util.Arrays;

import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.UserMapping;
import dev.sgw.core.volume.Caller;
import dev.sgw.core.volume.FileVolume;

/**
 * A share's user mapping (squash), applied to the ids a protocol received from its client:
 *
 * <pre>
 * mapping       | root (uid or gid 0)          | any other id        | ownership changes
 * NONE          | kept                         | kept                | checked
 * ROOT_SQUASH   | the anonymous uid / gid      | kept                | checked
 * ALL_SQUASH    | the anonymous user           | the anonymous user  | checked
 * ALL_ANONYMOUS | the anonymous user           | the anonymous user  | ignored: new files belong to the
 *               |                              |                     | anonymous user, chown/chgrp do nothing
 * </pre>
 *
 * A caller without credentials (NFS AUTH_NONE) is {@link #anonymous()} whatever the mapping.
 *
 * @param mapping the share's user mapping
 * @param anonUid the anonymous user
 * @param anonGid the anonymous user's group
 */
public record CallerMapping(UserMapping mapping, int anonUid, int anonGid) {

    /** The mapping of an NFS share. */
    public static CallerMapping of(NfsShare share) {
        return new CallerMapping(share.userMapping(), share.anonUid(), share.anonGid());
    }

    /** The anonymous user, with no supplementary groups. */
    public Caller anonymous() {
        return new Caller(anonUid, anonGid, new int[0]);
    }

    /** The caller a client's {@code uid}, {@code gid} and supplementary {@code gids} become. */
    public Caller map(int uid, int gid, int[] gids) {
        return switch (mapping) {
            case NONE -> new Caller(uid, gid, gids);
            case ROOT_SQUASH ->
                new Caller(
                        uid == 0 ? anonUid : uid,
                        gid == 0 ? anonGid : gid,
                        Arrays.stream(gids).map(g -> g == 0 ? anonGid : g).toArray());
            case ALL_SQUASH, ALL_ANONYMOUS -> anonymous();
        };
    }

    /** Whether changes of ownership are ignored instead of checked (and refused). */
    public boolean ignoresOwnerChanges() {
        return mapping == UserMapping.ALL_ANONYMOUS;
    }

    /**
     * {@code volume} as {@code caller} (a caller this mapping made) may use it; {@code writable} is whether
     * the share's rule for the client allows changes.
     */
    public CheckedFileVolume checked(FileVolume volume, Caller caller, boolean writable) {
        return new CheckedFileVolume(volume, caller, writable, ignoresOwnerChanges());
    }
}
