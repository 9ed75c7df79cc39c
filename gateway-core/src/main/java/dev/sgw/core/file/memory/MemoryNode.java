package dev.sgw.core.file.memory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.NodeId;

/**
 * One inode of a {@link MemoryFileVolume}: its POSIX attributes, its birth time and DOS attributes, its
 * links (where it is named) and what it holds: entries for a directory, bytes for a regular file, a target
 * for a symbolic link. Not thread-safe: the volume's lock guards it.
 *
 * <p>{@code createVerifier} is the verifier of the exclusive create that made a regular file (when
 * {@code hasCreateVerifier}); no time holds it, so a later setattr of the times keeps it.
 *
 * <p>Links: a directory has one (its parent and name; the root none), a file one per hard link, in the
 * order they were made (a rename moves the renamed link to the end, as {@code ShareVolume} does).
 *
 * <p>Entries: a directory numbers its entries with slots that only grow ({@code nextSlot}); a slot is an
 * entry's readdir cookie, valid for the directory's whole life, and slot order is listing order.
 */
final class MemoryNode {
    /** One name of an inode: entry {@code name} of directory {@code parent}. */
    record Link(long parent, String name) {}

    /** A directory entry: the child's inode number and the entry's slot. */
    record Entry(long child, long slot) {}

    final long inode;
    final long generation;
    final FileType type;
    /** A symbolic link's target; null for other kinds. */
    final String symlink;
    /** A regular file's bytes; null for other kinds. */
    final SparseContent content;

    int mode;
    int uid;
    int gid;
    long size;
    int nlink;
    long atime;
    long mtime;
    long ctime;
    long btime;
    long change = 1;
    /** The {@link DosAttributes} bits. */
    int dos;

    boolean hasCreateVerifier;
    long createVerifier;
    final List<Link> links = new ArrayList<>();
    /** The named attributes, sorted by name (values owned by the node). */
    final NavigableMap<String, byte[]> named = new TreeMap<>();

    private final Map<String, Entry> entries = new HashMap<>();
    private final NavigableMap<Long, String> slots = new TreeMap<>();
    private long nextSlot = 1;

    MemoryNode(long inode, long generation, FileType type, String symlink) {
        this.inode = inode;
        this.generation = generation;
        this.type = type;
        this.symlink = symlink;
        this.content = type == FileType.REGULAR ? new SparseContent() : null;
        this.nlink = type == FileType.DIRECTORY ? 2 : 1;
        this.dos = DosAttributes.defaultFor(type).bits();
        if (type == FileType.SYMLINK) {
            this.size = symlink.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** Now, in nanoseconds since the epoch. */
    static long now() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    NodeId id() {
        return new NodeId(inode, generation);
    }

    boolean isDirectory() {
        return type == FileType.DIRECTORY;
    }

    FileAttributes attributes() {
        long used = isDirectory() ? 4096 : size;
        return new FileAttributes(
                id(),
                type,
                mode,
                nlink,
                uid,
                gid,
                size,
                used,
                atime,
                mtime,
                ctime,
                btime,
                change,
                new DosAttributes(dos));
    }

    /** Marks a change of attributes at {@code now} (ctime and the change counter). */
    void touchAttributes(long now) {
        ctime = Math.max(ctime, now);
        change++;
    }

    /** Marks a change of content at {@code now} (mtime, ctime, change counter). */
    void touchContent(long now) {
        mtime = now;
        touchAttributes(now);
    }

    // ---- directory entries -----------------------------------------------------------------------

    Optional<Entry> entry(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** Adds entry {@code name} for inode {@code child} in the next slot. */
    void addEntry(String name, long child) {
        long slot = nextSlot++;
        entries.put(name, new Entry(child, slot));
        slots.put(slot, name);
    }

    void removeEntry(String name) {
        Entry e = entries.remove(name);
        if (e != null) {
            slots.remove(e.slot());
        }
    }

    boolean hasEntries() {
        return !entries.isEmpty();
    }

    /** The names after cookie {@code slot} (0: all of them), by slot. */
    NavigableMap<Long, String> entriesAfter(long slot) {
        return slots.tailMap(slot, false);
    }

    /** The cookie verifier: cookies are slots, valid for the directory's life, so it only names the directory. */
    long verifier() {
        return ((inode * 0x9E3779B97F4A7C15L) ^ generation) | 1;
    }
}
