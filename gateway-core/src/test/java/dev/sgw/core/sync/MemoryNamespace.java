package dev.sgw.core.sync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import dev.sgw.core.file.RemoteChanges;
import dev.sgw.core.volume.FileType;

/**
 * A share's namespace in memory for reverse-sync tests: directories of entries in name order, following
 * the {@link RemoteChanges} contract (parents created on demand, pending uploads and never-uploaded files
 * left alone, directories removed only when empty). Every call is recorded as a line: {@code "seen a/b"},
 * {@code "changed a/b"}, {@code "dir a"}, {@code "gone a/b"}. A fault hook fails chosen calls.
 */
public final class MemoryNamespace implements RemoteChanges {

    private record Node(FileType type, String etag, long size, boolean pending) {}

    private final Map<String, TreeMap<String, Node>> directories = new HashMap<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile Predicate<String> failing = call -> false;

    public MemoryNamespace() {
        directories.put("", new TreeMap<>(KeyNames.UTF8_ORDER));
    }

    // ---- set-up and inspection -------------------------------------------------------------------

    /** Puts a file (parents too) with this ETag (null: never uploaded) and pending-upload flag. */
    public synchronized MemoryNamespace file(String path, String etag, long size, boolean pending) {
        put(path, new Node(FileType.REGULAR, etag, size, pending));
        return this;
    }

    /** Puts a directory (parents too). */
    public synchronized MemoryNamespace directory(String path, String etag, boolean pending) {
        put(path, new Node(FileType.DIRECTORY, etag, 0, pending));
        directories.computeIfAbsent(path, d -> new TreeMap<>(KeyNames.UTF8_ORDER));
        return this;
    }

    /** Every entry as {@code path -> "f etag size"} or {@code path -> "d"}, with a {@code "*"} when pending. */
    public synchronized TreeMap<String, String> snapshot() {
        TreeMap<String, String> all = new TreeMap<>();
        directories.forEach((dir, entries) -> entries.forEach((name, node) -> all.put(
                dir.isEmpty() ? name : dir + "/" + name,
                (node.type == FileType.DIRECTORY ? "d" : "f " + node.etag + " " + node.size)
                        + (node.pending ? "*" : ""))));
        return all;
    }

    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public void clearCalls() {
        calls.clear();
    }

    /** Calls whose line matches {@code failing} throw an IOException (the line is not recorded). */
    public void failWhen(Predicate<String> predicate) {
        failing = predicate;
    }

    // ---- RemoteChanges ---------------------------------------------------------------------------

    @Override
    public synchronized List<LocalEntry> list(String dirPath) throws IOException {
        TreeMap<String, Node> entries = directories.get(dirPath);
        if (entries == null) {
            return List.of();
        }
        List<LocalEntry> result = new ArrayList<>(entries.size());
        entries.forEach(
                (name, node) -> result.add(new LocalEntry(name, node.type, node.etag, node.size, node.pending)));
        return result;
    }

    @Override
    public synchronized void objectSeen(String path, String etag, long size, long lastModifiedNanos)
            throws IOException {
        Node existing = get(path);
        if (existing != null && existing.type == FileType.DIRECTORY) {
            throw new IOException("objectSeen of a directory: " + path);
        }
        record((existing == null ? "seen " : "changed ") + path);
        if (existing != null && existing.pending) {
            return;
        }
        put(path, new Node(FileType.REGULAR, etag, size, false));
    }

    @Override
    public synchronized void directorySeen(String dirPath) throws IOException {
        Node existing = get(dirPath);
        if (existing != null && existing.type != FileType.DIRECTORY) {
            throw new IOException("directorySeen of a file: " + dirPath);
        }
        record("dir " + dirPath);
        if (existing == null) {
            directory(dirPath, null, false);
        }
    }

    @Override
    public synchronized void objectGone(String path, LocalEntry local) throws IOException {
        record("gone " + path);
        Node node = get(path);
        if (node == null || node.pending || (node.type != FileType.DIRECTORY && node.etag == null)) {
            return;
        }
        if (node.type == FileType.DIRECTORY) {
            TreeMap<String, Node> entries = directories.get(path);
            if (entries != null && !entries.isEmpty()) {
                return;
            }
            directories.remove(path);
        }
        directories.get(parentOf(path)).remove(nameOf(path));
    }

    // ---- private -------------------------------------------------------------------------------

    private void record(String call) throws IOException {
        if (failing.test(call)) {
            throw new IOException("injected failure of " + call);
        }
        calls.add(call);
    }

    private Node get(String path) {
        TreeMap<String, Node> entries = directories.get(parentOf(path));
        return entries == null ? null : entries.get(nameOf(path));
    }

    private void put(String path, Node node) {
        String parent = parentOf(path);
        if (!parent.isEmpty() && get(parent) == null) {
            directory(parent, null, false);
        }
        directories
                .computeIfAbsent(parent, d -> new TreeMap<>(KeyNames.UTF8_ORDER))
                .put(nameOf(path), node);
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
