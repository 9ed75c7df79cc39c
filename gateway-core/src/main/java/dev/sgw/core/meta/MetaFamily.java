package dev.sgw.core.meta;

import java.nio.charset.StandardCharsets;

/**
 * The RocksDB column families of the metadata store, one per role. Every {@link MetaKey} belongs to
 * exactly one family; {@link MetaKeys} decides which. RocksDB's mandatory {@code default} family is
 * opened too but holds nothing of sgw's.
 *
 * <p>Families keep roles apart so each can be scanned, compacted and (later) tuned on its own: the
 * namespace is read-mostly point lookups, the journal is an append-then-delete queue.
 */
public enum MetaFamily {
    /** Inodes and directory entries of file shares. */
    NAMESPACE("namespace"),
    /**
     * Holds no keys: the chunk map, object ETag and block chunk keys once planned for it were never built.
     * Kept because stores already made have this column family, and RocksDB opens a database only with
     * all of its families.
     */
    CHUNKS("chunks"),
    /** The write-back journal (what must be uploaded, in order) and reverse-sync checkpoints. */
    JOURNAL("journal"),
    /** Counters and id high-water marks, per-volume records, the store format version. */
    SYSTEM("system");

    private final String rocksName;

    MetaFamily(String rocksName) {
        this.rocksName = rocksName;
    }

    /** The column family name on disk; part of the store format, never rename. */
    public String rocksName() {
        return rocksName;
    }

    byte[] rocksNameBytes() {
        return rocksName.getBytes(StandardCharsets.UTF_8);
    }
}
