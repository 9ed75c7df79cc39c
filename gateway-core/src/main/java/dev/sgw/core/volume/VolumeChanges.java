package dev.sgw.core.volume;

/**
 * Told of every change of a file volume: by its clients through any protocol, and by reverse sync. Called on
 * the changing thread without the volume's locks held; must not block, but {@link #beforeBucketChange},
 * which may wait for the file's lease holders.
 */
public interface VolumeChanges {
    /**
     * Reverse sync is about to replace or remove {@code inode} because the bucket changed: whoever caches it
     * must let go first (its leases are broken). May wait; the change is made afterwards, checked again.
     */
    default void beforeBucketChange(long inode) throws InterruptedException {}

    /** A change happened. */
    void changed(ChangeEvent event);

    /**
     * Whether a client holds {@code inode} open: a file losing its last name then lives on without names
     * until {@link ChangeSource#lastClosed} (POSIX semantics of an unlinked open file, SMB's delete pending).
     */
    default boolean heldOpen(long inode) {
        return false;
    }
}
