package dev.sgw.core.volume;

/** What happened to a name in a directory (the actions of SMB2 CHANGE_NOTIFY, inotify-like). */
public enum ChangeAction {
    ADDED,
    REMOVED,
    /** The file's data or size changed. */
    MODIFIED,
    /** Its attributes (mode, owner, times) changed. */
    ATTRIBUTES,
    /**
     * A rename within one directory took the name away (followed by {@link #RENAMED_NEW_NAME}); a move to
     * another directory is {@link #REMOVED} there and {@link #ADDED} in the other, as Windows reports it.
     */
    RENAMED_OLD_NAME,
    /** A rename gave the name. */
    RENAMED_NEW_NAME
}
