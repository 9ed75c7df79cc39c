package dev.sgw.core.manage;

/** How an NFS share maps the uids and gids its clients send (AUTH_SYS). */
public enum UserMapping {
    /** Ids are used as sent, root included. */
    NONE,
    /** Root (uid 0) becomes the anonymous user; other ids are used as sent. */
    ROOT_SQUASH,
    /** Every user becomes the anonymous user. */
    ALL_SQUASH,
    /** Every user becomes the anonymous user, and new files belong to it (no ownership changes). */
    ALL_ANONYMOUS
}
