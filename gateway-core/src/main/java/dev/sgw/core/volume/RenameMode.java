package dev.sgw.core.volume;

/** What {@link FileVolume#rename(NodeId, String, NodeId, String, RenameMode)} does when the target exists. */
public enum RenameMode {
    /** An existing target of a compatible kind is replaced atomically (POSIX {@code rename}). */
    REPLACE,
    /**
     * An existing target, even another name of the same file or the source itself, fails with
     * {@link VolumeError#EXIST} (Linux {@code RENAME_NOREPLACE}, SMB's rename without ReplaceIfExists); the
     * check and the rename are one atomic step.
     */
    NO_REPLACE
}
