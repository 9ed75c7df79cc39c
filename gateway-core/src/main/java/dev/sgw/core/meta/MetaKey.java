package dev.sgw.core.meta;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One key of the metadata store: the column family it lives in and its bytes. Keys are made only by
 * {@link MetaKeys} (the single place that knows the key schema) and by the store when it returns
 * scanned keys; read their fields back with {@link MetaKeys#parse(MetaKey)}.
 *
 * <p>Immutable. Ordered as RocksDB orders them (family, then unsigned bytewise), so sorting keys in
 * Java gives the same order as a scan.
 */
public final class MetaKey implements Comparable<MetaKey> {
    private final MetaFamily family;
    private final byte[] bytes;

    /** Takes ownership of {@code bytes}: callers pass a fresh array and never touch it again. */
    MetaKey(MetaFamily family, byte[] bytes) {
        this.family = family;
        this.bytes = bytes;
    }

    public MetaFamily family() {
        return family;
    }

    /** The key bytes, not copied: only the store reads them and nobody writes them. */
    byte[] bytes() {
        return bytes;
    }

    @Override
    public int compareTo(MetaKey other) {
        int byFamily = family.compareTo(other.family);
        return byFamily != 0 ? byFamily : Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetaKey k && family == k.family && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * family.hashCode() + Arrays.hashCode(bytes);
    }

    /** The key's fields, for example {@code DirEntry[volume=1, parent=2, name=a]}; hex if it has none. */
    @Override
    public String toString() {
        try {
            return MetaKeys.parse(this).toString();
        } catch (IllegalArgumentException e) {
            return family.rocksName() + ":" + HexFormat.of().formatHex(bytes);
        }
    }
}
