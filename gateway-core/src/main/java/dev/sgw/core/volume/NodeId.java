package dev.sgw.core.volume;

/**
 * A file's identity in a {@link FileVolume}: its inode number and the generation of that number. Both
 * are stable across restarts, so a protocol may put them in a file handle; when an inode number is
 * reused for a new file, its generation differs and the old handle gets {@link VolumeError#STALE}.
 *
 * @param inode      64-bit inode number (the root is {@link FileVolume#ROOT_INODE})
 * @param generation how many times the number was given out before, plus one
 */
public record NodeId(long inode, long generation) {}
