package dev.sgw.core.volume;

/** The kinds of file a {@link FileVolume} holds. */
public enum FileType {
    REGULAR,
    DIRECTORY,
    SYMLINK
}
