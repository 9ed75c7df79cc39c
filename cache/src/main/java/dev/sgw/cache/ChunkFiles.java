package dev.sgw.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk layout of a chunk cache, and all of its file I/O.
 *
 * <pre>
 * &lt;dir&gt;/cache.properties            format and chunk size (written once, atomically)
 * &lt;dir&gt;/cache.lock                  held (OS file lock) while a process has the cache open
 * &lt;dir&gt;/chunks/&lt;hh&gt;/&lt;name&gt;.c       a CLEAN chunk: its bytes were made durable before it got this name
 * &lt;dir&gt;/chunks/&lt;hh&gt;/&lt;name&gt;.d       a DIRTY chunk (also while uploading): the name is the dirty marker
 * &lt;dir&gt;/chunks/&lt;hh&gt;/&lt;name&gt;.tmp     a fill being written; deleted by the scan at open
 * </pre>
 *
 * {@code <name>} is {@link ChunkId#fileName()}, {@code <hh>} its {@link ChunkId#directoryBucket()} in hex.
 * A chunk's state is its file name, changed only by atomic renames. Name changes are made durable per
 * subdirectory with a generation count, so an fsync of a directory is done once for all the changes
 * made before it started.
 */
final class ChunkFiles implements AutoCloseable {

    static final String CLEAN_SUFFIX = ".c";
    static final String DIRTY_SUFFIX = ".d";
    static final String TEMP_SUFFIX = ".tmp";
    private static final String FORMAT = "1";
    private static final int BUCKETS = 256;
    private static final Logger LOG = LoggerFactory.getLogger(ChunkFiles.class);

    /** A chunk file found by {@link #scan()}. */
    record FoundChunk(ChunkId id, boolean dirty, long length) {}

    /** Pending name changes of one subdirectory. */
    private static final class Subdirectory {
        final Path path;
        final AtomicLong changes = new AtomicLong();
        final ReentrantLock syncLock = new ReentrantLock();
        volatile long synced;

        Subdirectory(Path path) {
            this.path = path;
        }
    }

    private final Path root;
    private final Subdirectory[] subdirectories = new Subdirectory[BUCKETS];
    private final FileChannel lockChannel;
    private final FileLock lock;

    private ChunkFiles(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
        for (int i = 0; i < BUCKETS; i++) {
            subdirectories[i] = new Subdirectory(root.resolve("chunks").resolve(String.format("%02x", i)));
        }
    }

    /** Creates or checks the layout and locks the directory against a second process. */
    static ChunkFiles open(Path root, int chunkSize) throws IOException {
        Files.createDirectories(root);
        FileChannel lockChannel =
                FileChannel.open(root.resolve("cache.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("cache directory " + root + " is in use by another cache");
        }
        try {
            checkProperties(root, chunkSize);
            ChunkFiles files = new ChunkFiles(root, lockChannel, lock);
            for (Subdirectory s : files.subdirectories) {
                Files.createDirectories(s.path);
            }
            syncDirectory(root.resolve("chunks"));
            syncDirectory(root);
            return files;
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    private static void checkProperties(Path root, int chunkSize) throws IOException {
        Path file = root.resolve("cache.properties");
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
            if (!FORMAT.equals(p.getProperty("format"))
                    || !String.valueOf(chunkSize).equals(p.getProperty("chunkSize"))) {
                throw new IOException("cache directory " + root + " has format " + p.getProperty("format")
                        + " and chunk size " + p.getProperty("chunkSize") + "; this cache wants format " + FORMAT
                        + " and chunk size " + chunkSize);
            }
            return;
        }
        p.setProperty("format", FORMAT);
        p.setProperty("chunkSize", String.valueOf(chunkSize));
        Path tmp = root.resolve("cache.properties" + TEMP_SUFFIX);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "sgw chunk cache");
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(root);
    }

    Path path(ChunkId id, boolean dirty) {
        return subdirectory(id).path.resolve(id.fileName() + (dirty ? DIRTY_SUFFIX : CLEAN_SUFFIX));
    }

    private Subdirectory subdirectory(ChunkId id) {
        return subdirectories[id.directoryBucket()];
    }

    /**
     * Finds every chunk file, deletes temporary files, and resolves a chunk found under both names in
     * favour of its dirty file (the clean one is deleted): data is never dropped on a doubt.
     */
    List<FoundChunk> scan() throws IOException {
        Map<ChunkId, FoundChunk> found = new HashMap<>();
        for (Subdirectory s : subdirectories) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(s.path)) {
                for (Path p : entries) {
                    scanOne(s, p, found);
                }
            }
        }
        for (Subdirectory s : subdirectories) {
            if (s.changes.get() != 0) {
                syncName(s);
            }
        }
        return new ArrayList<>(found.values());
    }

    private void scanOne(Subdirectory s, Path p, Map<ChunkId, FoundChunk> found) throws IOException {
        String name = p.getFileName().toString();
        if (name.endsWith(TEMP_SUFFIX)) {
            Files.deleteIfExists(p);
            s.changes.incrementAndGet();
            return;
        }
        boolean dirty = name.endsWith(DIRTY_SUFFIX);
        ChunkId id = dirty || name.endsWith(CLEAN_SUFFIX)
                ? ChunkId.parseFileName(name.substring(0, name.length() - 2))
                : null;
        if (id == null) {
            LOG.warn("ignoring unexpected file in chunk cache: {}", p);
            return;
        }
        if (subdirectory(id) != s) {
            Path right = path(id, dirty);
            LOG.warn("moving misplaced chunk file {} to {}", p, right);
            Files.move(p, right, StandardCopyOption.ATOMIC_MOVE);
            subdirectory(id).changes.incrementAndGet();
            s.changes.incrementAndGet();
            p = right;
        }
        FoundChunk chunk = new FoundChunk(id, dirty, Files.size(p));
        FoundChunk other = found.get(id);
        if (other != null) {
            LOG.warn("chunk {} found both clean and dirty; keeping the dirty file", id);
            Files.deleteIfExists(path(id, false));
            s.changes.incrementAndGet();
            if (!dirty) { // the clean file just found is the one that lost
                return;
            }
        }
        found.put(id, chunk);
    }

    /** Creates a new dirty chunk file and writes {@code src} at {@code position} (the name change is not yet durable). */
    void create(ChunkId id, long position, ByteBuffer src) throws IOException {
        Path p = path(id, true);
        boolean done = false;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            nameChanged(id);
            writeAndExtend(ch, src, position);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Writes a whole clean chunk: a temporary file made durable, then renamed to its clean name. */
    void createClean(ChunkId id, ByteBuffer data) throws IOException {
        Path tmp = subdirectory(id).path.resolve(id.fileName() + TEMP_SUFFIX);
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                writeFully(ch, data, 0);
                ch.force(false);
            }
            Files.move(tmp, path(id, false), StandardCopyOption.ATOMIC_MOVE);
            nameChanged(id);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Writes into an existing chunk file. */
    void write(ChunkId id, boolean dirty, long position, ByteBuffer src) throws IOException {
        try (FileChannel ch = FileChannel.open(path(id, dirty), StandardOpenOption.WRITE)) {
            writeAndExtend(ch, src, position);
        }
    }

    /** Writes {@code src} at {@code position}; an empty write past the end still extends the file to it. */
    private static void writeAndExtend(FileChannel ch, ByteBuffer src, long position) throws IOException {
        long end = position + src.remaining();
        writeFully(ch, src, position);
        if (ch.size() < end) {
            writeFully(ch, ByteBuffer.allocate(1), end - 1);
        }
    }

    /** Reads {@code dst.remaining()} bytes at {@code position}; bytes past the end of the file read as zeros. */
    void read(ChunkId id, boolean dirty, long position, ByteBuffer dst) throws IOException {
        try (FileChannel ch = FileChannel.open(path(id, dirty), StandardOpenOption.READ)) {
            while (dst.hasRemaining()) {
                int n = ch.read(dst, position);
                if (n < 0) {
                    while (dst.hasRemaining()) {
                        dst.put((byte) 0);
                    }
                    return;
                }
                position += n;
            }
        }
    }

    /** Sets the length of a chunk file: truncates, or extends with a hole that reads as zeros. */
    void setLength(ChunkId id, boolean dirty, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(path(id, dirty), StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (length < size) {
                ch.truncate(length);
            } else if (length > size) {
                writeFully(ch, ByteBuffer.allocate(1), length - 1);
            }
        }
    }

    /** Makes the chunk file's bytes durable. */
    void force(ChunkId id, boolean dirty) throws IOException {
        try (FileChannel ch = FileChannel.open(path(id, dirty), StandardOpenOption.READ)) {
            ch.force(false);
        }
    }

    /** Renames a chunk between its clean and dirty names; the rename is not yet durable. */
    void rename(ChunkId id, boolean toDirty) throws IOException {
        Files.move(path(id, !toDirty), path(id, toDirty), StandardCopyOption.ATOMIC_MOVE);
        nameChanged(id);
    }

    void delete(ChunkId id, boolean dirty) throws IOException {
        try {
            Files.delete(path(id, dirty));
        } catch (NoSuchFileException alreadyGone) {
            LOG.warn("chunk file of {} was already gone", id);
        }
        nameChanged(id);
    }

    private void nameChanged(ChunkId id) {
        subdirectory(id).changes.incrementAndGet();
    }

    /** Makes every name change in the chunk's subdirectory that happened before this call durable. */
    void syncName(ChunkId id) throws IOException {
        syncName(subdirectory(id));
    }

    /** Makes every name change that happened before this call durable. */
    void syncAllNames() throws IOException {
        for (Subdirectory s : subdirectories) {
            syncName(s);
        }
    }

    private static void syncName(Subdirectory s) throws IOException {
        long target = s.changes.get();
        if (s.synced >= target) {
            return;
        }
        s.syncLock.lock();
        try {
            target = s.changes.get();
            if (s.synced >= target) {
                return;
            }
            syncDirectory(s.path);
            s.synced = target;
        } finally {
            s.syncLock.unlock();
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
        while (src.hasRemaining()) {
            position += ch.write(src, position);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    @Override
    public String toString() {
        return "ChunkFiles[" + root + "]";
    }
}
