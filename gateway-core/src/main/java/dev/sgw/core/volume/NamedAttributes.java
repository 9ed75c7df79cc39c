package dev.sgw.core.volume;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The rules of a node's named attributes ({@link FileVolume#namedAttributes}): small values kept with a file
 * or directory beside its data and POSIX attributes, for what a protocol keeps there (SMB security
 * descriptors, extended attributes and named streams). They belong to the inode: a rename or a hard link
 * keeps them, the inode's end removes them.
 *
 * <pre>
 * what                   limit                          beyond it
 * ---------------------  -----------------------------  ------------
 * a name                 1 to 255 UTF-8 bytes, no NUL   INVAL, NAMETOOLONG
 * a value                0 to 64 KiB                    FBIG
 * all of a node's        256 KiB (names and values)     FBIG
 * </pre>
 *
 * <p>Names are exact (case-sensitive); a protocol gives its own a prefix ({@code smb.sd},
 * {@code smb.ea.NAME}, {@code smb.stream.NAME}) so that protocols do not meet in one namespace.
 */
public final class NamedAttributes {
    public static final int MAX_NAME_BYTES = 255;
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    public static final int MAX_TOTAL_BYTES = 256 * 1024;

    private NamedAttributes() {}

    /**
     * Checks that setting {@code name} to {@code value} ({@code null}: removing it) keeps {@code current}, a
     * node's attributes, within the limits.
     */
    public static void checkChange(Map<String, byte[]> current, String name, byte[] value) throws VolumeException {
        Objects.requireNonNull(name, "name");
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes == 0 || name.indexOf('\0') >= 0) {
            throw new VolumeException(
                    VolumeError.INVAL, "a named attribute's name must be 1 or more bytes without NUL");
        }
        if (nameBytes > MAX_NAME_BYTES) {
            throw new VolumeException(
                    VolumeError.NAMETOOLONG,
                    "a named attribute's name is at most " + MAX_NAME_BYTES + " bytes (" + nameBytes + " given)");
        }
        if (value == null) {
            return;
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new VolumeException(
                    VolumeError.FBIG,
                    "named attribute " + name + " holds at most " + MAX_VALUE_BYTES + " bytes (" + value.length
                            + " given)");
        }
        long total = (long) nameBytes + value.length;
        for (Map.Entry<String, byte[]> e : current.entrySet()) {
            if (!e.getKey().equals(name)) {
                total += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().length;
            }
        }
        if (total > MAX_TOTAL_BYTES) {
            throw new VolumeException(
                    VolumeError.FBIG,
                    "a file's named attributes hold at most " + MAX_TOTAL_BYTES + " bytes (" + total + " with " + name
                            + ")");
        }
    }
}
