package dev.sgw.cache;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The opaque name of one chunk in a {@link ChunkCache}: a namespace plus two 64-bit numbers.
 *
 * <p>The cache gives the parts no meaning. A caller typically uses the namespace for a share or volume,
 * {@code object} for an inode or zero, and {@code index} for the chunk's index inside that object. The
 * namespace is 1 to 64 characters of {@code [A-Za-z0-9-]}, so every id maps to a safe, unique file name
 * ({@link #fileName()}) that the cache parses back when it reopens its directory.
 *
 * <p>Hashing is cheap: a {@code String}'s hash is cached and the two longs are mixed in.
 *
 * @param space  namespace, 1..64 characters of {@code [A-Za-z0-9-]}
 * @param object first number (any value)
 * @param index  second number (any value)
 */
public record ChunkId(String space, long object, long index) {

    private static final Pattern SPACE = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final HexFormat HEX = HexFormat.of();
    private static final char SEPARATOR = '_';

    public ChunkId {
        Objects.requireNonNull(space, "space");
        if (!SPACE.matcher(space).matches()) {
            throw new IllegalArgumentException(
                    "chunk namespace must be 1..64 characters of [A-Za-z0-9-]: '" + space + "'");
        }
    }

    /** A chunk id; same as the constructor. */
    public static ChunkId of(String space, long object, long index) {
        return new ChunkId(space, object, index);
    }

    /** The file name of this chunk, without directory or state suffix: {@code space_object_index} in hex. */
    public String fileName() {
        return space + SEPARATOR + HEX.toHexDigits(object) + SEPARATOR + HEX.toHexDigits(index);
    }

    /**
     * Parses a name made by {@link #fileName()}.
     *
     * @return the id, or {@code null} if {@code name} is not a chunk file name
     */
    static ChunkId parseFileName(String name) {
        int second = name.lastIndexOf(SEPARATOR);
        int first = second > 0 ? name.lastIndexOf(SEPARATOR, second - 1) : -1;
        if (first <= 0 || second - first != 17 || name.length() - second != 17) {
            return null;
        }
        String space = name.substring(0, first);
        if (!SPACE.matcher(space).matches()) {
            return null;
        }
        try {
            long object = HexFormat.fromHexDigitsToLong(name, first + 1, second);
            long index = HexFormat.fromHexDigitsToLong(name, second + 1, name.length());
            ChunkId id = new ChunkId(space, object, index);
            return id.fileName().equals(name) ? id : null;
        } catch (IllegalArgumentException notHex) {
            return null;
        }
    }

    /**
     * A well-spread bucket number in {@code [0, 256)}, stable across processes, used to spread chunk files
     * over subdirectories (sequential indexes land in different ones).
     */
    int directoryBucket() {
        long h = object * 0x9E3779B97F4A7C15L + index;
        h ^= space.hashCode();
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
        h *= 0x94D049BB133111EBL;
        return (int) (h >>> 56);
    }

    @Override
    public String toString() {
        return space + ":" + object + ":" + index;
    }
}
