package dev.sgw.core.volume;

import java.util.Optional;

/** A file volume that reports its changes ({@link VolumeChanges}) and can name a directory's place. */
public interface ChangeSource {
    /** A directory's parent and its name there (for subtree watches); empty for the root or a gone inode. */
    record PathStep(long parent, String name) {}

    /** Sends every later change to {@code listener} (one listener; null: none). */
    void observe(VolumeChanges listener);

    /** Where directory {@code inode} is: its parent and its name in it; empty at the root. */
    Optional<PathStep> placeOf(long inode);

    /** The last open of {@code inode} closed: a file that lost all its names meanwhile is freed now. */
    default void lastClosed(long inode) {}
}
