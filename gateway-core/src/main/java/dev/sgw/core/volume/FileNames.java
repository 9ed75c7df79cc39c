package dev.sgw.core.volume;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The rules every {@link FileVolume} applies to the names of its entries and the targets of its symbolic
 * links, so that all implementations refuse the same input with the same error.
 */
public final class FileNames {
    /** The longest name, in UTF-8 bytes ({@link FsStats#maxNameBytes()}). */
    public static final int MAX_NAME_BYTES = 255;
    /** The longest symbolic link target, in UTF-8 bytes. */
    public static final int MAX_SYMLINK_BYTES = 4095;

    private FileNames() {}

    /**
     * Checks an entry's name: 1 to {@value #MAX_NAME_BYTES} UTF-8 bytes of valid Unicode, no {@code /} or
     * NUL, not {@code .} or {@code ..} ({@link VolumeError#INVAL}, {@link VolumeError#NAMETOOLONG}).
     */
    public static void check(String name) throws VolumeException {
        if (name == null
                || name.isEmpty()
                || name.equals(".")
                || name.equals("..")
                || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new VolumeException(VolumeError.INVAL, "invalid name '" + name + "'");
        }
        int bytes;
        try {
            bytes = StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(name))
                    .remaining();
        } catch (CharacterCodingException e) {
            throw new VolumeException(VolumeError.INVAL, "name is not valid Unicode");
        }
        if (bytes > MAX_NAME_BYTES) {
            throw new VolumeException(
                    VolumeError.NAMETOOLONG, "name of " + bytes + " UTF-8 bytes (at most " + MAX_NAME_BYTES + ")");
        }
    }

    /**
     * The case-folded form of {@code name}, under which a case-insensitive volume finds it: each code point
     * upper-cased, then lower-cased ({@link Character#toUpperCase(int)}, {@link Character#toLowerCase(int)},
     * locale-independent). That is the comparison {@link String#equalsIgnoreCase} makes and, for names, the
     * Unicode simple case folding (one code point to one: "Straße" and "STRASSE" stay different, as in
     * NTFS's upcase table); no normalization ("é" composed and decomposed stay different).
     */
    public static String fold(String name) {
        StringBuilder folded = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return folded.toString();
    }

    /** Checks a symbolic link's target: 1 to {@value #MAX_SYMLINK_BYTES} UTF-8 bytes without NUL. */
    public static void checkSymlinkTarget(String target) throws VolumeException {
        if (target == null
                || target.isEmpty()
                || target.indexOf('\0') >= 0
                || target.getBytes(StandardCharsets.UTF_8).length > MAX_SYMLINK_BYTES) {
            throw new VolumeException(
                    VolumeError.INVAL,
                    "a symbolic link target is 1.." + MAX_SYMLINK_BYTES + " UTF-8 bytes without NUL");
        }
    }
}
