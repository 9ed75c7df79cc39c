package dev.sgw.core.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.sgw.core.layout.NamedAttributesFormat;
import dev.sgw.core.meta.IdAllocator;
import dev.sgw.core.meta.MetaBatch;
import dev.sgw.core.meta.MetaKeys;
import dev.sgw.core.meta.MetaReader;
import dev.sgw.core.meta.MetaScan;
import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.meta.MetadataStoreException;
import dev.sgw.core.volume.FileNames;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;

/**
 * A share's records in the metadata store: inode records, directory entries and slots, journal entries,
 * read and written only through here. Holds the share's striped inode locks and the id allocators for
 * inode numbers (never reused, so a generation stays 1) and journal sequence numbers.
 *
 * <p>Directory entry value: child inode (u64), type (u8), slot (u64), then, only for an entry whose bucket
 * key has another name (a {@link MangledName}), that name (UTF-8, to the end). Slot value: the entry's name.
 *
 * <p>Names: {@link #entry} finds the exact name; {@link #find} finds a name as clients see it (on a
 * case-insensitive share through the folded-name index, {@code MetaKeys.dirFolded}, which {@link #link}
 * and {@link #unlink} keep in the entry's batch); {@link #bucketEntry} finds the entry of a bucket key's
 * name. Paths ({@link #dirPath}, {@link #childPath}, {@link #resolve}) are bucket paths.
 */
final class InodeTable {
    /** A directory entry as stored; {@code bucketName} is the name in the bucket key (usually {@code name}). */
    record Entry(String name, long child, FileType type, long slot, String bucketName) {}

    /** Length of an entry value without a bucket name: child, type, slot. */
    private static final int ENTRY_BYTES = 17;

    final MetadataStore store;
    final int vol;
    final FileShareConfig config;
    final InodeLocks locks = new InodeLocks();
    private final IdAllocator inodeIds;
    private final IdAllocator journalIds;
    /** Journal entries not yet done. */
    final AtomicLong journalLength = new AtomicLong();
    /** Files (inodes) of the share, and the bytes of their sizes, for statfs. */
    final AtomicLong files = new AtomicLong();

    final AtomicLong bytes = new AtomicLong();
    /** Raised whenever a directory is renamed or removed: paths resolved before may now be wrong. */
    final AtomicLong directoryEpoch = new AtomicLong();

    InodeTable(MetadataStore store, FileShareConfig config) throws MetadataStoreException {
        this.store = store;
        this.vol = config.volumeId();
        this.config = config;
        this.inodeIds = store.idAllocator(vol, "inode");
        this.journalIds = store.idAllocator(vol, "journal");
    }

    static long now() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    long newInode() throws MetadataStoreException {
        return inodeIds.next();
    }

    /** Creates the root directory if the share is new; counts files and bytes. */
    void openOrCreateRoot() throws MetadataStoreException {
        if (load(FileVolume.ROOT_INODE).isEmpty()) {
            long ino = newInode();
            if (ino != FileVolume.ROOT_INODE) {
                throw new MetadataStoreException("share " + config.name() + " has no root but inode numbers were "
                        + "already given out (next " + ino + "); the metadata store is damaged");
            }
            long now = now();
            InodeRecord root = new InodeRecord();
            root.inode = ino;
            root.type = FileType.DIRECTORY;
            root.mode = config.defaultDirMode();
            root.uid = config.defaultUid();
            root.gid = config.defaultGid();
            root.nlink = 2;
            root.atime = root.mtime = root.ctime = root.btime = now;
            root.change = 1;
            root.etag = ""; // the share's prefix always exists
            store.update(b -> put(b, root), dev.sgw.core.meta.Durability.DURABLE);
        }
        long n = 0;
        long total = 0;
        try (var scan = store.scan(MetaKeys.inodes(vol))) {
            while (scan.next()) {
                n++;
                long ino = ((MetaKeys.Inode) MetaKeys.parse(scan.key())).inode();
                InodeRecord r = InodeRecord.decode(ino, scan.value());
                total += r.type == FileType.REGULAR ? r.size : 0;
            }
        }
        files.set(n);
        bytes.set(total);
        long j = 0;
        try (var scan = store.scan(MetaKeys.journal(vol))) {
            while (scan.next()) {
                j++;
            }
        }
        journalLength.set(j);
    }

    // ---- inodes ----------------------------------------------------------------------------------

    Optional<InodeRecord> load(long inode) throws MetadataStoreException {
        return load(store, inode);
    }

    Optional<InodeRecord> load(MetaReader reader, long inode) throws MetadataStoreException {
        return reader.get(MetaKeys.inode(vol, inode)).map(v -> InodeRecord.decode(inode, v));
    }

    /** The inode of a handle: STALE if it is gone or its generation differs. */
    InodeRecord require(NodeId id) throws VolumeException, MetadataStoreException {
        return require(store, id);
    }

    /** The inode of a handle as {@code reader} sees it: STALE if it is gone or its generation differs. */
    InodeRecord require(MetaReader reader, NodeId id) throws VolumeException, MetadataStoreException {
        Optional<InodeRecord> r = load(reader, id.inode());
        if (r.isEmpty() || r.get().generation != id.generation()) {
            throw new VolumeException(
                    VolumeError.STALE,
                    "inode " + id.inode() + " (generation " + id.generation() + ") no longer exists in share "
                            + config.name());
        }
        return r.get();
    }

    InodeRecord requireDir(NodeId id) throws VolumeException, MetadataStoreException {
        InodeRecord r = require(id);
        if (!r.isDirectory()) {
            throw new VolumeException(VolumeError.NOTDIR, "inode " + id.inode() + " is not a directory");
        }
        return r;
    }

    void put(MetaBatch b, InodeRecord r) throws MetadataStoreException {
        b.put(MetaKeys.inode(vol, r.inode), r.encode());
    }

    /** Deletes the record of {@code r} and its named attributes: every inode ends here. */
    void delete(MetaBatch b, InodeRecord r) throws MetadataStoreException {
        b.delete(MetaKeys.inode(vol, r.inode));
        if (r.hasNamedAttributes) {
            b.delete(MetaKeys.namedAttributes(vol, r.inode));
        }
    }

    // ---- named attributes: beside the record, changed in its batch -------------------------------

    /** The named attributes of {@code r} as {@code reader} sees them (empty if it has none). */
    NavigableMap<String, byte[]> namedAttributes(MetaReader reader, InodeRecord r) throws MetadataStoreException {
        if (!r.hasNamedAttributes) {
            return new TreeMap<>();
        }
        Optional<byte[]> stored = reader.get(MetaKeys.namedAttributes(vol, r.inode));
        if (stored.isEmpty()) {
            return new TreeMap<>();
        }
        try {
            return NamedAttributesFormat.decode(stored.get());
        } catch (IllegalArgumentException e) {
            throw new MetadataStoreException("inode " + r.inode + ": corrupt named attributes: " + e.getMessage(), e);
        }
    }

    /**
     * Stores {@code attributes} as the named attributes of {@code r} in batch {@code b} (none: deletes them)
     * and sets its flag; the caller writes {@code r} in the same batch.
     */
    void putNamedAttributes(MetaBatch b, InodeRecord r, Map<String, byte[]> attributes) throws MetadataStoreException {
        if (attributes.isEmpty()) {
            if (r.hasNamedAttributes) {
                b.delete(MetaKeys.namedAttributes(vol, r.inode));
            }
            r.hasNamedAttributes = false;
        } else {
            b.put(MetaKeys.namedAttributes(vol, r.inode), NamedAttributesFormat.encode(attributes));
            r.hasNamedAttributes = true;
        }
    }

    // ---- orphans: open files without names -------------------------------------------------------

    void markOrphan(MetaBatch b, long inode) throws MetadataStoreException {
        b.put(MetaKeys.orphan(vol, inode), new byte[0]);
    }

    void unmarkOrphan(MetaBatch b, long inode) throws MetadataStoreException {
        b.delete(MetaKeys.orphan(vol, inode));
    }

    boolean isOrphan(long inode) throws MetadataStoreException {
        return store.get(MetaKeys.orphan(vol, inode)).isPresent();
    }

    /** The orphans left by an earlier run (nobody holds them open after a restart). */
    List<Long> orphans() throws MetadataStoreException {
        List<Long> found = new ArrayList<>();
        try (MetaScan scan = store.scan(MetaKeys.orphans(vol))) {
            while (scan.next()) {
                found.add(((MetaKeys.Orphan) MetaKeys.parse(scan.key())).inode());
            }
        }
        return found;
    }

    // ---- directory entries -----------------------------------------------------------------------

    Optional<Entry> entry(long dir, String name) throws MetadataStoreException {
        return entry(store, dir, name);
    }

    // the enum's declaration order is its stored code: new constants go last, none is reordered
    @SuppressWarnings("EnumOrdinal")
    Optional<Entry> entry(MetaReader reader, long dir, String name) throws MetadataStoreException {
        return reader.get(MetaKeys.dirEntry(vol, dir, name)).map(v -> {
            ByteBuffer b = ByteBuffer.wrap(v);
            long child = b.getLong();
            FileType type = FileType.values()[b.get()];
            long slot = b.getLong();
            return new Entry(name, child, type, slot, bucketNameOf(name, v));
        });
    }

    /** The bucket name an entry {@code name} whose stored value is {@code value} keeps. */
    static String bucketNameOf(String name, byte[] value) {
        return value.length > ENTRY_BYTES
                ? new String(value, ENTRY_BYTES, value.length - ENTRY_BYTES, StandardCharsets.UTF_8)
                : name;
    }

    /**
     * The entry a client means by {@code name}: the exact name, else, on a case-insensitive share, the
     * entry whose name folds alike (one read of the folded-name index, then of the entry).
     */
    Optional<Entry> find(long dir, String name) throws MetadataStoreException {
        Optional<Entry> exact = entry(dir, name);
        if (exact.isPresent() || !config.caseInsensitive()) {
            return exact;
        }
        Optional<byte[]> stored = store.get(MetaKeys.dirFolded(vol, dir, FileNames.fold(name)));
        return stored.isEmpty() ? Optional.empty() : entry(dir, new String(stored.get(), StandardCharsets.UTF_8));
    }

    /** The name as stored of the entry a client means by {@code name} (itself if there is none). */
    String storedName(long dir, String name) throws MetadataStoreException {
        return find(dir, name).map(Entry::name).orElse(name);
    }

    /** The entry of the bucket key named {@code bucketName} in {@code dir}: its own name, or its mangled one. */
    Optional<Entry> bucketEntry(long dir, String bucketName) throws MetadataStoreException {
        Optional<Entry> exact = entry(dir, bucketName);
        if (exact.isPresent() && exact.get().bucketName().equals(bucketName)) {
            return exact;
        }
        return entry(dir, MangledName.of(bucketName)).filter(e -> e.bucketName().equals(bucketName));
    }

    /**
     * The local name for a new entry of bucket key {@code bucketName} in {@code dir} that
     * {@link #bucketEntry} did not find: the key's name if no entry has it (on a case-insensitive share:
     * in any case), else its {@link MangledName}; null when that is taken too.
     */
    String localNameFor(long dir, String bucketName) throws MetadataStoreException {
        if (find(dir, bucketName).isEmpty()) {
            return bucketName;
        }
        if (!config.caseInsensitive()) {
            return null;
        }
        String mangled = MangledName.of(bucketName);
        return find(dir, mangled).isEmpty() ? mangled : null;
    }

    /** Adds entry {@code name} -> {@code child} to {@code dir} (whose record the caller writes too). */
    Entry link(MetaBatch b, InodeRecord dir, String name, InodeRecord child) throws MetadataStoreException {
        return link(b, dir, name, child, name);
    }

    /**
     * Adds entry {@code name} -> {@code child} to {@code dir} for the bucket key named {@code bucketName}
     * (whose record the caller writes too); indexes its folded name on a case-insensitive share.
     */
    Entry link(MetaBatch b, InodeRecord dir, String name, InodeRecord child, String bucketName)
            throws MetadataStoreException {
        long slot = dir.nextSlot++;
        Entry e = new Entry(name, child.inode, child.type, slot, bucketName);
        b.put(MetaKeys.dirEntry(vol, dir.inode, name), entryValue(e));
        b.put(MetaKeys.dirSlot(vol, dir.inode, slot), name.getBytes(StandardCharsets.UTF_8));
        if (config.caseInsensitive()) {
            b.put(MetaKeys.dirFolded(vol, dir.inode, FileNames.fold(name)), name.getBytes(StandardCharsets.UTF_8));
        }
        return e;
    }

    // the enum's declaration order is its stored code: new constants go last, none is reordered
    @SuppressWarnings("EnumOrdinal")
    private static byte[] entryValue(Entry e) {
        byte[] bucket =
                e.bucketName().equals(e.name()) ? new byte[0] : e.bucketName().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(ENTRY_BYTES + bucket.length)
                .putLong(e.child())
                .put((byte) e.type().ordinal())
                .putLong(e.slot())
                .put(bucket)
                .array();
    }

    /** Rewrites an entry after its child's type changed (keeping its slot and bucket name). */
    void relink(MetaBatch b, long dir, Entry e, InodeRecord child) throws MetadataStoreException {
        Entry changed = new Entry(e.name(), child.inode, child.type, e.slot(), e.bucketName());
        b.put(MetaKeys.dirEntry(vol, dir, e.name()), entryValue(changed));
    }

    /**
     * Removes entry {@code e} of {@code dir}, and its folded name if that names it (an entry made while the
     * share was case-sensitive may share its folded name with another, see {@link FoldedNameIndex}). A
     * {@link #link} later in the same batch may index the folded name again (a rename that changes case).
     */
    void unlink(MetaBatch b, long dir, Entry e) throws MetadataStoreException {
        b.delete(MetaKeys.dirEntry(vol, dir, e.name()));
        b.delete(MetaKeys.dirSlot(vol, dir, e.slot()));
        if (config.caseInsensitive()) {
            var folded = MetaKeys.dirFolded(vol, dir, FileNames.fold(e.name()));
            Optional<byte[]> indexed = store.get(folded);
            if (indexed.isPresent() && new String(indexed.get(), StandardCharsets.UTF_8).equals(e.name())) {
                b.delete(folded);
            }
        }
    }

    boolean isEmptyDir(long dir) throws MetadataStoreException {
        try (var scan = store.scan(MetaKeys.dirEntries(vol, dir))) {
            return !scan.next();
        }
    }

    // ---- paths -----------------------------------------------------------------------------------

    /** The path of directory {@code dir} ("" for the root), walking up its parents. */
    String dirPath(long dir) throws MetadataStoreException {
        StringBuilder path = new StringBuilder();
        long at = dir;
        int depth = 0;
        while (at != FileVolume.ROOT_INODE) {
            InodeRecord r = load(at).orElseThrow(
                            () -> new MetadataStoreException("directory " + dir + " has a missing ancestor"));
            InodeRecord.Link l = r.links.getFirst();
            String name = bucketName(l.parent(), l.name());
            path.insert(0, path.isEmpty() ? name : name + "/");
            at = l.parent();
            if (++depth > 4096) {
                throw new MetadataStoreException("directory " + dir + " is in a cycle of parents");
            }
        }
        return path.toString();
    }

    /** The bucket path of entry {@code name} of {@code dir}. */
    String childPath(long dir, String name) throws MetadataStoreException {
        return newChildPath(dir, bucketName(dir, name));
    }

    /** The bucket path a new entry {@code name} of {@code dir} gets (a new entry keeps its own name). */
    String newChildPath(long dir, String name) throws MetadataStoreException {
        String parent = dirPath(dir);
        return parent.isEmpty() ? name : parent + "/" + name;
    }

    /** The name in the bucket key of entry {@code name} of {@code dir}: its own unless it is mangled. */
    private String bucketName(long dir, String name) throws MetadataStoreException {
        if (!MangledName.possible(name)) {
            return name;
        }
        return entry(dir, name).map(Entry::bucketName).orElse(name);
    }

    /** Every path of an inode (one per hard link; "" for the root). */
    List<String> paths(InodeRecord r) throws MetadataStoreException {
        if (r.inode == FileVolume.ROOT_INODE) {
            return List.of("");
        }
        List<String> paths = new ArrayList<>();
        for (InodeRecord.Link l : r.links) {
            paths.add(childPath(l.parent(), l.name()));
        }
        return paths;
    }

    /** The inode at bucket path {@code path} ("" the root), or empty. */
    // split drops trailing empty names, so 'a/b/' resolves as 'a/b'; an empty name inside fails the lookup
    @SuppressWarnings("StringSplitter")
    Optional<InodeRecord> resolve(String path) throws MetadataStoreException {
        InodeRecord at = load(FileVolume.ROOT_INODE).orElseThrow();
        if (path.isEmpty()) {
            return Optional.of(at);
        }
        for (String name : path.split("/")) {
            if (!at.isDirectory() || name.isEmpty()) {
                return Optional.empty();
            }
            Optional<Entry> e = bucketEntry(at.inode, name);
            if (e.isEmpty()) {
                return Optional.empty();
            }
            Optional<InodeRecord> next = load(e.get().child());
            if (next.isEmpty()) {
                return Optional.empty();
            }
            at = next.get();
        }
        return Optional.of(at);
    }

    // ---- journal ---------------------------------------------------------------------------------

    /** Appends {@code entry} to the journal in batch {@code b}; returns its sequence number. */
    long journal(MetaBatch b, WritebackEntry entry) throws MetadataStoreException {
        long seq = journalIds.next();
        b.put(MetaKeys.journalEntry(vol, seq), entry.withSequence(seq).encode());
        journalLength.incrementAndGet(); // counted when staged; a failed batch is rare and only skews the backlog
        return seq;
    }

    /** Appends a CONTENT entry if the inode is not already pending, and marks it pending. */
    void markPending(MetaBatch b, InodeRecord r) throws MetadataStoreException {
        if (!r.pendingUpload) {
            r.pendingUpload = true;
            journal(b, WritebackEntry.content(r.inode, r.type));
        }
    }
}
