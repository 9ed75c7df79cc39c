package dev.sgw.core.layout;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import dev.sgw.core.volume.NamedAttributes;

/**
 * The one place that decides how files and blocks map to object keys and user metadata. This is a public
 * contract: other applications read a share's objects, and recovery rebuilds shares and volumes from the
 * bucket alone. Keys here are relative to the store, which already applies the cloud resource's prefix.
 *
 * <pre>
 * what                         key                                       user metadata
 * ---------------------------  ----------------------------------------  -------------------------------
 * file /a/b.txt of a share     &lt;share&gt;a/b.txt                            sgw-mode sgw-uid sgw-gid sgw-mtime
 *                                                                        sgw-btime sgw-dosattr, and
 *                                                                        sgw-named when it has named
 *                                                                        attributes that fit (below)
 * directory /a                 &lt;share&gt;a/   (zero bytes)                  as a file
 * symbolic link /a/l           &lt;share&gt;a/l  (zero bytes)                  ... and sgw-symlink (the target)
 * conflict copy of /a/b.txt    &lt;share&gt;a/b.sgw-conflict-&lt;utc&gt;.txt           as the file
 * block volume descriptor      &lt;volume&gt;/volume.json                       -
 * block chunk i                &lt;volume&gt;/data/&lt;hh&gt;/&lt;i, 16 hex digits&gt;       -
 * </pre>
 *
 * <p>{@code <share>} is the share's prefix inside the resource (empty, or ending in {@code /}). {@code hh}
 * is a two-hex-digit hash of the chunk index, so that consecutive chunks land in different key ranges
 * (OSS partitions keys by their order, and one hot partition serves about 2,000 requests a second).
 * Metadata values: mode in octal, uid and gid in decimal, mtime and btime (birth, i.e. creation time) in
 * decimal nanoseconds since the epoch, dosattr the DOS attributes as {@code 0x} and the hexadecimal OR of
 * MS-FSCC {@code FILE_ATTRIBUTE_*} bits (read-only 0x1, hidden 0x2, system 0x4, archive 0x20; Samba's
 * {@code user.DOSATTRIB} notation). An object without sgw-btime is born at its mtime; one without
 * sgw-dosattr has the default DOS attributes (archive on files and links, none on directories).
 *
 * <p>Named attributes ({@link NamedAttributes}: SMB security descriptors, extended attributes, named
 * streams) travel as {@code sgw-named}: the base64 (RFC 4648, no padding) of their compact form
 * ({@link NamedAttributesFormat}: a format byte, then the entries, deflated when that is shorter). It is
 * written only when the node has named attributes and only when the value (plus a symbolic link's target)
 * is at most {@link #NAMED_BUDGET} bytes, so that an object's whole user metadata stays within S3's 2 KB
 * (OSS allows 8 KB; the S3 limit applies to both). <b>Limit:</b> a node whose named attributes do not fit
 * keeps them in the gateway's metadata only: its object carries no {@code sgw-named}, so recovery from the
 * bucket and other gateways importing it do not get them back (the upload logs a warning with the path and
 * the size). A typical security descriptor with a few small extended attributes or streams fits; a large
 * named stream does not. An object without {@code sgw-named} (or with a malformed one, which readers log
 * and ignore) has no named attributes in the bucket.
 */
public final class BucketLayout {

    public static final String MODE = "sgw-mode";
    public static final String UID = "sgw-uid";
    public static final String GID = "sgw-gid";
    public static final String MTIME = "sgw-mtime";
    public static final String BTIME = "sgw-btime";
    public static final String DOS_ATTRIBUTES = "sgw-dosattr";
    public static final String SYMLINK = "sgw-symlink";
    public static final String NAMED = "sgw-named";
    /**
     * The most bytes of {@code sgw-named}'s value and a symbolic link's target together. The other entries
     * take at most about 270 bytes (mode 12, uid and gid 18 each, mtime and btime 29 each, dosattr 21, the
     * uploader's sgw-share with a 64-character share name 73 and sgw-inode 29, the store's sgw-crc64 29,
     * this name 9), leaving room for about 240 more within S3's 2,048.
     */
    public static final int NAMED_BUDGET = 1536;

    public static final String VOLUME_DESCRIPTOR = "volume.json";
    private static final String CONFLICT_MARK = ".sgw-conflict-";
    private static final DateTimeFormatter CONFLICT_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private BucketLayout() {}

    // ---- file shares ---------------------------------------------------------------------------

    /** Checks a share prefix: empty, or not starting with {@code /} and ending with {@code /}. */
    public static String sharePrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.isEmpty() && (prefix.startsWith("/") || !prefix.endsWith("/") || prefix.contains("//"))) {
            throw new IllegalArgumentException("a share prefix is empty or like 'dir/' or 'a/b/': '" + prefix + "'");
        }
        return prefix;
    }

    /** The key of the file at {@code path} ("a/b.txt", no leading slash) of a share at {@code prefix}. */
    public static String fileKey(String prefix, String path) {
        return prefix + checkPath(path);
    }

    /** The marker object of the directory at {@code path} ("a/b", no leading or trailing slash). */
    public static String directoryKey(String prefix, String path) {
        return prefix + checkPath(path) + "/";
    }

    /**
     * The share path of a key listed under {@code prefix}: "a/b.txt" for a file, "a/b/" (trailing slash
     * kept) for a directory marker; {@code null} for a key outside the prefix or the prefix itself.
     */
    public static String pathOf(String prefix, String key) {
        if (!key.startsWith(prefix) || key.length() == prefix.length()) {
            return null;
        }
        return key.substring(prefix.length());
    }

    /**
     * The name a local version of {@code path} is uploaded under when another writer changed the object:
     * {@code report.sgw-conflict-20261128T101500Z.txt} beside {@code report.txt}.
     */
    public static String conflictPath(String path, Instant when) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        String stamp = CONFLICT_MARK + CONFLICT_TIME.format(when);
        if (dot > slash + 1) {
            return path.substring(0, dot) + stamp + path.substring(dot);
        }
        return path + stamp;
    }

    /**
     * The user metadata recording POSIX attributes (and a symlink's target when not {@code null}) without
     * a birth time or DOS attributes, as objects written before those were recorded.
     */
    public static Map<String, String> attributesMetadata(
            int mode, int uid, int gid, long mtimeNanos, String symlinkTarget) {
        Map<String, String> m = new HashMap<>();
        m.put(MODE, Integer.toOctalString(mode & 07777));
        m.put(UID, Integer.toString(uid));
        m.put(GID, Integer.toString(gid));
        m.put(MTIME, Long.toString(mtimeNanos));
        if (symlinkTarget != null) {
            m.put(SYMLINK, symlinkTarget);
        }
        return m;
    }

    /**
     * The user metadata recording a file's attributes: POSIX ones, birth time, DOS attribute bits and a
     * symlink's target when not {@code null}.
     */
    public static Map<String, String> attributesMetadata(
            int mode, int uid, int gid, long mtimeNanos, long btimeNanos, int dosBits, String symlinkTarget) {
        Map<String, String> m = attributesMetadata(mode, uid, gid, mtimeNanos, symlinkTarget);
        m.put(BTIME, Long.toString(btimeNanos));
        m.put(DOS_ATTRIBUTES, "0x" + Integer.toHexString(dosBits));
        return m;
    }

    /**
     * The {@value #NAMED} value of {@code attributes} (names within {@link NamedAttributes}' rules), whatever
     * its length; {@link #namedAttributesFit} tells whether it may be written.
     */
    public static String namedAttributesValue(Map<String, byte[]> attributes) {
        return Base64.getEncoder().withoutPadding().encodeToString(NamedAttributesFormat.compact(attributes));
    }

    /** Whether {@code value} may be written as {@value #NAMED} beside a symlink target (null: none). */
    public static boolean namedAttributesFit(String value, String symlinkTarget) {
        int target = symlinkTarget == null ? 0 : symlinkTarget.getBytes(StandardCharsets.UTF_8).length;
        return value.length() + target <= NAMED_BUDGET;
    }

    /**
     * The named attributes recorded in {@code metadata}, sorted by name; empty if it has no {@value #NAMED}.
     *
     * @throws IllegalArgumentException if {@value #NAMED} is malformed (to be logged and ignored)
     */
    public static Optional<NavigableMap<String, byte[]>> namedAttributes(Map<String, String> metadata) {
        String v = metadata.get(NAMED);
        if (v == null) {
            return Optional.empty();
        }
        if (v.length() > NAMED_BUDGET * 8) {
            throw new IllegalArgumentException(NAMED + " of " + v.length() + " characters");
        }
        return Optional.of(NamedAttributesFormat.decode(Base64.getDecoder().decode(v.strip())));
    }

    /** The permission bits recorded in {@code metadata}, if present and valid. */
    public static OptionalInt mode(Map<String, String> metadata) {
        try {
            String v = metadata.get(MODE);
            return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v, 8) & 07777);
        } catch (NumberFormatException bad) {
            return OptionalInt.empty();
        }
    }

    public static OptionalInt uid(Map<String, String> metadata) {
        return decimalInt(metadata.get(UID));
    }

    public static OptionalInt gid(Map<String, String> metadata) {
        return decimalInt(metadata.get(GID));
    }

    /** The mtime in nanoseconds recorded in {@code metadata}, if present and valid. */
    public static OptionalLong mtime(Map<String, String> metadata) {
        try {
            String v = metadata.get(MTIME);
            return v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v));
        } catch (NumberFormatException bad) {
            return OptionalLong.empty();
        }
    }

    /** The birth (creation) time in nanoseconds recorded in {@code metadata}, if present and valid. */
    public static OptionalLong btime(Map<String, String> metadata) {
        try {
            String v = metadata.get(BTIME);
            return v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v));
        } catch (NumberFormatException bad) {
            return OptionalLong.empty();
        }
    }

    /** The DOS attribute bits recorded in {@code metadata} ({@code 0x21}, or without {@code 0x}), if valid. */
    public static OptionalInt dosAttributes(Map<String, String> metadata) {
        String v = metadata.get(DOS_ATTRIBUTES);
        if (v == null) {
            return OptionalInt.empty();
        }
        String digits = v.startsWith("0x") || v.startsWith("0X") ? v.substring(2) : v;
        try {
            int bits = Integer.parseUnsignedInt(digits, 16);
            return bits < 0 ? OptionalInt.empty() : OptionalInt.of(bits);
        } catch (NumberFormatException bad) {
            return OptionalInt.empty();
        }
    }

    /** The symlink target recorded in {@code metadata}, or {@code null} for a regular object. */
    public static String symlinkTarget(Map<String, String> metadata) {
        return metadata.get(SYMLINK);
    }

    // ---- block volumes -------------------------------------------------------------------------

    /** The descriptor of block volume {@code volume}. */
    public static String volumeDescriptorKey(String volume) {
        return checkVolumeName(volume) + "/" + VOLUME_DESCRIPTOR;
    }

    /** The prefix of all data chunks of block volume {@code volume}. */
    public static String volumeDataPrefix(String volume) {
        return checkVolumeName(volume) + "/data/";
    }

    /** The key of chunk {@code index} of block volume {@code volume}. */
    public static String blockChunkKey(String volume, long index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative chunk index " + index);
        }
        return volumeDataPrefix(volume) + String.format("%02x/%016x", chunkHash(index), index);
    }

    /** The chunk index of a key made by {@link #blockChunkKey}, or -1 if it is not one of this volume's. */
    public static long blockChunkIndex(String volume, String key) {
        String prefix = volumeDataPrefix(volume);
        if (!key.startsWith(prefix)
                || key.length() != prefix.length() + 3 + 16
                || key.charAt(prefix.length() + 2) != '/') {
            return -1;
        }
        try {
            long index = Long.parseUnsignedLong(key.substring(prefix.length() + 3), 16);
            return index >= 0 && blockChunkKey(volume, index).equals(key) ? index : -1;
        } catch (NumberFormatException bad) {
            return -1;
        }
    }

    /** A well-spread hash of a chunk index in [0, 256), fixed forever (it is part of every chunk's key). */
    static int chunkHash(long index) {
        long h = index * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return (int) (h >>> 56);
    }

    /** Volume names: 1..64 characters of {@code [A-Za-z0-9._-]}, not starting with a dot. */
    public static String checkVolumeName(String volume) {
        if (volume == null || !volume.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException(
                    "a volume name is 1-64 characters of A-Z a-z 0-9 . _ - (not starting with a dot): '" + volume
                            + "'");
        }
        return volume;
    }

    private static String checkPath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("a share path is like 'a/b.txt': '" + path + "'");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > 1023) {
            throw new IllegalArgumentException(
                    "path longer than an object key allows: " + path.length() + " characters");
        }
        return path;
    }

    private static OptionalInt decimalInt(String v) {
        try {
            return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
        } catch (NumberFormatException bad) {
            return OptionalInt.empty();
        }
    }
}
