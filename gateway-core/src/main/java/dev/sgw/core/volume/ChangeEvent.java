package dev.sgw.core.volume;

/**
 * One change of a file volume's namespace or of a file in it, as the volume reports it to its
 * {@link VolumeChanges} listener after it happened.
 *
 * @param action      what happened
 * @param directory   the inode of the directory holding the name
 * @param name        the name in that directory
 * @param inode       the file's inode
 * @param isDirectory whether the file is a directory
 * @param fromBucket  whether reverse sync made it (the bucket changed), not a client of the gateway
 */
public record ChangeEvent(
        ChangeAction action, long directory, String name, long inode, boolean isDirectory, boolean fromBucket) {}
