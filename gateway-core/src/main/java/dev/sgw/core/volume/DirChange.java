package dev.sgw.core.volume;

import java.util.Objects;

/**
 * The attributes of one directory just before and just after a change of its entries, read by the volume
 * atomically with that change: no other change of the directory falls between them (what NFSv3 {@code wcc_data}
 * and an atomic NFSv4 {@code change_info4} promise). When the call changed nothing in the directory (an
 * existing file returned by a non-exclusive create), {@code before} and {@code after} are equal.
 *
 * @param before the directory's attributes just before the change
 * @param after  its attributes just after; {@code after.change() > before.change()} when it changed
 */
public record DirChange(FileAttributes before, FileAttributes after) {
    public DirChange {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        if (before.inode() != after.inode()) {
            throw new IllegalArgumentException(
                    "attributes of two directories: " + before.inode() + " and " + after.inode());
        }
    }
}
