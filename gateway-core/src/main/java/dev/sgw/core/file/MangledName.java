package dev.sgw.core.file;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import dev.sgw.core.volume.FileNames;

/**
 * The local name a case-insensitive share gives a bucket key whose name differs only in case from an entry
 * it already has (possible in a bucket, written by other tools): {@code stem~XXXXXXXX.ext}, where
 * {@code XXXXXXXX} is the CRC-32 of the key's name in hex. It depends on nothing but the key's name, so the
 * file has the same name after a restart or a fresh import. The entry keeps the key's name
 * ({@link InodeTable.Entry#bucketName()}): uploads, renames and removals go to the original key.
 *
 * <p>A mangled name always holds a {@code '~'}, so a path walk asks for an entry's bucket name only then.
 */
final class MangledName {
    static final char MARK = '~';

    private MangledName() {}

    /** The mangled local name of a bucket key named {@code bucketName} (at most 255 UTF-8 bytes). */
    static String of(String bucketName) {
        CRC32 crc = new CRC32();
        crc.update(bucketName.getBytes(StandardCharsets.UTF_8));
        String tag = MARK + String.format("%08x", crc.getValue());
        int dot = bucketName.lastIndexOf('.');
        String stem = dot > 0 ? bucketName.substring(0, dot) : bucketName;
        String ext = dot > 0 ? bucketName.substring(dot) : "";
        while (utf8Length(stem + tag + ext) > FileNames.MAX_NAME_BYTES) {
            if (!stem.isEmpty()) {
                stem = stem.substring(0, stem.offsetByCodePoints(stem.length(), -1));
            } else {
                ext = ext.substring(0, ext.offsetByCodePoints(ext.length(), -1));
            }
        }
        return stem + tag + ext;
    }

    /** Whether {@code name} may be a mangled name (its entry may keep another bucket name). */
    static boolean possible(String name) {
        return name.indexOf(MARK) >= 0;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
