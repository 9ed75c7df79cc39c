package dev.sgw.core.meta;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The key schema of the metadata store: the only place that builds or parses keys.
 *
 * <pre>
 * family     key (big-endian, fixed width unless noted)        value (encoded by its owner)
 * ---------  ------------------------------------------------  ----------------------------------------
 * namespace  vol:u32 'I' inode:u64                             inode record (attributes, generation)
 * namespace  vol:u32 'D' parent:u64 name:utf8 (to end of key)  directory entry: child inode and type
 * namespace  vol:u32 'S' parent:u64 slot:u64                   directory slot: the entry's name (utf8);
 *                                                              readdir order and cookies
 * namespace  vol:u32 'X' inode:u64                             the inode's named attributes
 *                                                              (NamedAttributesFormat, plain); written and
 *                                                              deleted in the inode record's batch
 * namespace  vol:u32 'O' inode:u64                             (empty) a file whose last name went while it
 *                                                              was open: freed at its last close, or at the
 *                                                              next start
 * namespace  vol:u32 'C' parent:u64 folded:utf8 (to end of key) case-folded name -> the entry's name
 *                                                              (utf8), on case-insensitive shares;
 *                                                              written in the entry's batch
 * journal    vol:u32 'J' seq:u64                               write-back journal entry (upload order)
 * journal    vol:u32 'R'                                       reverse-sync checkpoint
 * system     vol:u32 'N' name:utf8 (to end of key)             counter (vol 0: store-wide); id
 *                                                              allocators keep their mark here (u64)
 * system     0:u32   'V' vol:u32                               volume record
 * system     0:u32   'F'                                       store format version (u32)
 * </pre>
 *
 * <p>Rules the table relies on:
 * <ul>
 *   <li>Integers are big-endian and fixed width, so bytewise order is numeric order (u64 values are
 *       unsigned: a negative {@code long} sorts after every positive one). Names are UTF-8, so the
 *       entries of one directory scan in bytewise name order, and a name can run to the end of the key
 *       because everything before it has a fixed width.</li>
 *   <li>Every key starts with a volume id. Volume ids are 1 to 2^31-1; {@code 0} ({@link #STORE}) is
 *       the pseudo-volume of store-wide records. Because the volume comes first, the keys of two
 *       volumes never interleave and everything of one volume is one range per family
 *       ({@link #volumeRanges}); the volume record is the exception, kept under {@link #STORE} so
 *       that all volumes list in one scan ({@link #volumeRecords()}), and deleted by its own key.</li>
 *   <li>The tag byte after the volume id is unique across all families, so a key's kind is known from
 *       its tag alone; tags are ASCII letters, never {@code 0xFF}, so every prefix has a successor.</li>
 *   <li>Changing a layout is a format change: bump {@link #FORMAT_VERSION}.</li>
 * </ul>
 */
public final class MetaKeys {
    /** The format of the keys above; stored under {@link #formatVersion()}. */
    public static final int FORMAT_VERSION = 1;
    /** The pseudo-volume of store-wide records (format version, store-wide counters). */
    public static final int STORE = 0;
    /** Longest name (directory entry or counter) a key holds, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 1024;

    private static final int VOL = 4;
    private static final int U64 = 8;
    private static final byte INODE = 'I';
    private static final byte DIR_ENTRY = 'D';
    private static final byte DIR_SLOT = 'S';
    private static final byte ORPHAN = 'O';
    private static final byte NAMED_ATTRIBUTES = 'X';
    private static final byte DIR_FOLDED = 'C';
    private static final byte JOURNAL_ENTRY = 'J';
    private static final byte SYNC_CHECKPOINT = 'R';
    private static final byte COUNTER = 'N';
    private static final byte VOLUME_RECORD = 'V';
    private static final byte FORMAT = 'F';

    private MetaKeys() {}

    // ---- keys ----------------------------------------------------------------------------------

    /** The inode record of {@code inode} (unsigned) in {@code volume}. */
    public static MetaKey inode(int volume, long inode) {
        return new MetaKey(
                MetaFamily.NAMESPACE, head(volume, INODE, U64).putLong(inode).array());
    }

    /** The named attributes of {@code inode} (unsigned) in {@code volume}. */
    public static MetaKey namedAttributes(int volume, long inode) {
        return new MetaKey(
                MetaFamily.NAMESPACE,
                head(volume, NAMED_ATTRIBUTES, U64).putLong(inode).array());
    }

    /** The mark of an open file without names (see the table). */
    public static MetaKey orphan(int volume, long inode) {
        return new MetaKey(
                MetaFamily.NAMESPACE, head(volume, ORPHAN, U64).putLong(inode).array());
    }

    /** The entry {@code name} in directory {@code parent}. */
    public static MetaKey dirEntry(int volume, long parent, String name) {
        byte[] utf8 = encodeName(name);
        return new MetaKey(
                MetaFamily.NAMESPACE,
                head(volume, DIR_ENTRY, U64 + utf8.length)
                        .putLong(parent)
                        .put(utf8)
                        .array());
    }

    /**
     * Slot {@code slot} (unsigned) of directory {@code parent}: a number given to each entry when it is
     * made, never reused in that directory, so a listing ordered by slot resumes after a slot however
     * other entries come and go.
     */
    public static MetaKey dirSlot(int volume, long parent, long slot) {
        return new MetaKey(
                MetaFamily.NAMESPACE,
                head(volume, DIR_SLOT, 2 * U64).putLong(parent).putLong(slot).array());
    }

    /**
     * The case-folded name {@code folded} in directory {@code parent}: the index a case-insensitive share
     * looks a name up in (one read instead of a scan of the directory); its value is the entry's name.
     */
    public static MetaKey dirFolded(int volume, long parent, String folded) {
        byte[] utf8 = encodeName(folded);
        return new MetaKey(
                MetaFamily.NAMESPACE,
                head(volume, DIR_FOLDED, U64 + utf8.length)
                        .putLong(parent)
                        .put(utf8)
                        .array());
    }

    /** Write-back journal entry number {@code sequence} (unsigned; scanned in upload order). */
    public static MetaKey journalEntry(int volume, long sequence) {
        return new MetaKey(
                MetaFamily.JOURNAL,
                head(volume, JOURNAL_ENTRY, U64).putLong(sequence).array());
    }

    /** Where reverse sync of {@code volume} got to. */
    public static MetaKey syncCheckpoint(int volume) {
        return new MetaKey(MetaFamily.JOURNAL, head(volume, SYNC_CHECKPOINT, 0).array());
    }

    /**
     * Counter {@code name} of {@code volume}, or a store-wide counter when {@code volume} is
     * {@link #STORE}. {@link IdAllocator}s keep their high-water mark in a counter.
     */
    public static MetaKey counter(int volume, String name) {
        checkVolumeOrStore(volume);
        byte[] utf8 = encodeName(name);
        return new MetaKey(
                MetaFamily.SYSTEM,
                headOf(volume, COUNTER, utf8.length).put(utf8).array());
    }

    /** The record describing {@code volume} (kept under {@link #STORE}, see the table). */
    public static MetaKey volumeRecord(int volume) {
        checkVolume(volume);
        return new MetaKey(
                MetaFamily.SYSTEM, storeHead(VOLUME_RECORD, VOL).putInt(volume).array());
    }

    /** The store's format version. */
    public static MetaKey formatVersion() {
        return new MetaKey(MetaFamily.SYSTEM, storeHead(FORMAT, 0).array());
    }

    // ---- ranges --------------------------------------------------------------------------------

    /** All inode records of {@code volume}, in inode order. */
    public static KeyRange inodes(int volume) {
        return prefixRange(MetaFamily.NAMESPACE, head(volume, INODE, 0).array());
    }

    /** All entries of directory {@code parent}, in bytewise UTF-8 name order. */
    public static KeyRange dirEntries(int volume, long parent) {
        return prefixRange(
                MetaFamily.NAMESPACE,
                head(volume, DIR_ENTRY, U64).putLong(parent).array());
    }

    /** The entries of every directory of {@code volume}, by parent, then name. */
    public static KeyRange dirEntries(int volume) {
        return prefixRange(MetaFamily.NAMESPACE, head(volume, DIR_ENTRY, 0).array());
    }

    /** The case-folded names of every directory of {@code volume}. */
    public static KeyRange dirFoldedNames(int volume) {
        return prefixRange(MetaFamily.NAMESPACE, head(volume, DIR_FOLDED, 0).array());
    }

    /** All slots of directory {@code parent}, in slot order. */
    public static KeyRange dirSlots(int volume, long parent) {
        return prefixRange(
                MetaFamily.NAMESPACE,
                head(volume, DIR_SLOT, U64).putLong(parent).array());
    }

    /** The write-back journal of {@code volume}, oldest sequence first. */
    public static KeyRange orphans(int volume) {
        return prefixRange(MetaFamily.NAMESPACE, head(volume, ORPHAN, 0).array());
    }

    public static KeyRange journal(int volume) {
        return prefixRange(MetaFamily.JOURNAL, head(volume, JOURNAL_ENTRY, 0).array());
    }

    /** All counters of {@code volume} (or of the store, for {@link #STORE}), in name order. */
    public static KeyRange counters(int volume) {
        checkVolumeOrStore(volume);
        return prefixRange(MetaFamily.SYSTEM, headOf(volume, COUNTER, 0).array());
    }

    /** The records of all volumes, in volume id order. */
    public static KeyRange volumeRecords() {
        return prefixRange(MetaFamily.SYSTEM, storeHead(VOLUME_RECORD, 0).array());
    }

    /**
     * Everything {@code volume} owns except its {@link #volumeRecord}: one range per family, in
     * {@link MetaFamily} order.
     */
    public static List<KeyRange> volumeRanges(int volume) {
        checkVolume(volume);
        byte[] start = ByteBuffer.allocate(VOL).putInt(volume).array();
        // for 2^31-1, volume + 1 wraps to 0x80000000, which is still the next id as unsigned bytes
        byte[] end = ByteBuffer.allocate(VOL).putInt(volume + 1).array();
        List<KeyRange> ranges = new ArrayList<>();
        for (MetaFamily family : MetaFamily.values()) {
            ranges.add(new KeyRange(family, start.clone(), end.clone()));
        }
        return ranges;
    }

    // ---- parsing -------------------------------------------------------------------------------

    /** The fields of a key, as returned by {@link #parse(MetaKey)}. */
    public sealed interface Fields {
        /** The volume the key belongs to ({@link #STORE} for store-wide records). */
        int volume();

        /** The key these fields describe. */
        MetaKey key();
    }

    /** Fields of {@link #inode}. */
    public record Inode(int volume, long inode) implements Fields {
        @Override
        public MetaKey key() {
            return MetaKeys.inode(volume, inode);
        }
    }

    /** Fields of {@link #namedAttributes}. */
    public record NamedAttributes(int volume, long inode) implements Fields {
        @Override
        public MetaKey key() {
            return MetaKeys.namedAttributes(volume, inode);
        }
    }

    /** Fields of {@link #dirEntry}. */
    public record DirEntry(int volume, long parent, String name) implements Fields {
        @Override
        public MetaKey key() {
            return MetaKeys.dirEntry(volume, parent, name);
        }
    }

    /** Fields of {@link #dirSlot}. */
    public record DirSlot(int volume, long parent, long slot) implements Fields {
        @Override
        public MetaKey key() {
            return MetaKeys.dirSlot(volume, parent, slot);
        }
    }

    /** Fields of {@link #dirFolded}. */
    public record DirFolded(int volume, long parent, String folded) implements Fields {
        @Override
        public MetaKey key() {
            return MetaKeys.dirFolded(volume, parent, folded);
        }
    }

    /** Fields of {@link #journalEntry}. */
    public record JournalEntry(int volume, long sequence) implements Fields {
        @Override
        public MetaKey key() {
            return MetaKeys.journalEntry(volume, sequence);
        }
    }

    /** Fields of {@link #orphan}. */
    public record Orphan(int volume, long inode) implements Fields {
        @Override
        public MetaKey key() {
            return MetaKeys.orphan(volume, inode);
        }
    }

    /** Fields of {@link #syncCheckpoint}. */
    public record SyncCheckpoint(int volume) implements Fields {
        @Override
        public MetaKey key() {
            return MetaKeys.syncCheckpoint(volume);
        }
    }

    /** Fields of {@link #counter}. */
    public record Counter(int volume, String name) implements Fields {
        @Override
        public MetaKey key() {
            return MetaKeys.counter(volume, name);
        }
    }

    /** Fields of {@link #volumeRecord}. */
    public record VolumeRecord(int volume) implements Fields {
        @Override
        public MetaKey key() {
            return MetaKeys.volumeRecord(volume);
        }
    }

    /** Fields of {@link #formatVersion}. */
    public record FormatVersion() implements Fields {
        @Override
        public int volume() {
            return STORE;
        }

        @Override
        public MetaKey key() {
            return MetaKeys.formatVersion();
        }
    }

    /**
     * The fields of {@code key}; {@code parse(k).key().equals(k)} for every key this class builds.
     *
     * @throws IllegalArgumentException if {@code key} does not follow the schema (a corrupt store)
     */
    public static Fields parse(MetaKey key) {
        ByteBuffer b = ByteBuffer.wrap(key.bytes());
        if (b.remaining() < VOL + 1) {
            throw malformed(key);
        }
        int volume = b.getInt();
        byte tag = b.get();
        Fields fields = switch (tag) {
            case INODE -> fixed(b, U64) ? new Inode(volume, b.getLong()) : null;
            case DIR_ENTRY -> b.remaining() > U64 ? new DirEntry(volume, b.getLong(), decodeName(b, key)) : null;
            case DIR_FOLDED -> b.remaining() > U64 ? new DirFolded(volume, b.getLong(), decodeName(b, key)) : null;
            case DIR_SLOT -> fixed(b, 2 * U64) ? new DirSlot(volume, b.getLong(), b.getLong()) : null;
            case JOURNAL_ENTRY -> fixed(b, U64) ? new JournalEntry(volume, b.getLong()) : null;
            case ORPHAN -> fixed(b, U64) ? new Orphan(volume, b.getLong()) : null;
            case NAMED_ATTRIBUTES -> fixed(b, U64) ? new NamedAttributes(volume, b.getLong()) : null;
            case SYNC_CHECKPOINT -> fixed(b, 0) ? new SyncCheckpoint(volume) : null;
            case COUNTER -> b.hasRemaining() ? new Counter(volume, decodeName(b, key)) : null;
            case VOLUME_RECORD -> fixed(b, VOL) && volume == STORE ? new VolumeRecord(b.getInt()) : null;
            case FORMAT -> fixed(b, 0) && volume == STORE ? new FormatVersion() : null;
            default -> null;
        };
        if (fields == null || !rebuildsTo(fields, key)) {
            throw malformed(key);
        }
        return fields;
    }

    // ---- encoding ------------------------------------------------------------------------------

    /** A buffer holding volume {@code volume} (1..2^31-1) and {@code tag}, room for {@code rest} more. */
    private static ByteBuffer head(int volume, byte tag, int rest) {
        checkVolume(volume);
        return headOf(volume, tag, rest);
    }

    /** Like {@link #head} for keys of the {@link #STORE} pseudo-volume. */
    private static ByteBuffer storeHead(byte tag, int rest) {
        return headOf(STORE, tag, rest);
    }

    private static ByteBuffer headOf(int volume, byte tag, int rest) {
        return ByteBuffer.allocate(VOL + 1 + rest).putInt(volume).put(tag);
    }

    private static KeyRange prefixRange(MetaFamily family, byte[] prefix) {
        byte[] end = prefix.clone();
        int i = end.length - 1;
        while (end[i] == (byte) 0xFF) { // cannot run past the tag byte, which is never 0xFF
            i--;
        }
        end[i]++;
        return new KeyRange(family, prefix, Arrays.copyOf(end, i + 1));
    }

    private static void checkVolume(int volume) {
        if (volume <= 0) {
            throw new IllegalArgumentException("volume id must be 1.." + Integer.MAX_VALUE + ": " + volume);
        }
    }

    private static void checkVolumeOrStore(int volume) {
        if (volume < 0) {
            throw new IllegalArgumentException("volume id must be 0.." + Integer.MAX_VALUE + ": " + volume);
        }
    }

    private static byte[] encodeName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty name");
        }
        ByteBuffer utf8;
        try {
            utf8 = StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(name));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("name is not valid Unicode (unpaired surrogate?)", e);
        }
        if (utf8.remaining() > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("name longer than " + MAX_NAME_BYTES + " UTF-8 bytes");
        }
        byte[] encoded = new byte[utf8.remaining()];
        utf8.get(encoded);
        return encoded;
    }

    private static String decodeName(ByteBuffer b, MetaKey key) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(b)
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed(key);
        }
    }

    /** Whether {@code fields} build {@code key} again (same family, valid volume, same bytes). */
    private static boolean rebuildsTo(Fields fields, MetaKey key) {
        try {
            return fields.key().equals(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean fixed(ByteBuffer b, int rest) {
        return b.remaining() == rest;
    }

    private static IllegalArgumentException malformed(MetaKey key) {
        return new IllegalArgumentException("not a metadata key of format " + FORMAT_VERSION + ": "
                + key.family().rocksName() + ":" + HexFormat.of().formatHex(key.bytes()));
    }
}
