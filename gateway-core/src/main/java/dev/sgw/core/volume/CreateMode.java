package dev.sgw.core.volume;

/** What {@link FileVolume#create} does when the name exists (NFSv3 createmode3). */
public enum CreateMode {
    /** An existing regular file is opened as it is (its attributes are applied, e.g. a size of 0). */
    UNCHECKED,
    /** An existing name fails with {@link VolumeError#EXIST}. */
    GUARDED
}
