package dev.sgw.core.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one gateway that uses a data directory: an exclusive lock on {@code DIR/sgw.lock} (an OS file lock,
 * so it goes when the process dies, even by {@code kill -9}), holding the owner's PID for the message a
 * second gateway prints. Taken before anything in the directory is read or written; a second gateway on
 * the same directory refuses to start and changes nothing.
 */
public final class DataDirectoryLock implements AutoCloseable {
    /** The lock file's name inside the data directory. */
    public static final String FILE_NAME = "sgw.lock";

    /**
     * The lock files this process holds. A second channel on a held file must never be opened: closing it
     * would drop the process's lock (POSIX locks belong to the process, and any close releases them).
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code directory} (creating it if needed) for this process.
     *
     * @throws DataDirectoryInUseException when another gateway holds it, naming the directory and its PID
     */
    public static DataDirectoryLock acquire(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.toRealPath().resolve(FILE_NAME);
        if (!HELD.add(file)) {
            throw new DataDirectoryInUseException(
                    directory, Long.toString(ProcessHandle.current().pid()));
        }
        try {
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new DataDirectoryInUseException(directory, holder);
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new DataDirectoryLock(file, channel, lock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(file);
            throw e;
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        return pid.isEmpty() ? "unknown" : pid;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD.remove(file);
            }
        }
    }

    /** Another gateway uses the directory. */
    public static final class DataDirectoryInUseException extends IOException {
        private static final long serialVersionUID = 1L;

        DataDirectoryInUseException(Path directory, String pid) {
            super("data directory " + directory + " is in use by another sgw gateway (PID " + pid
                    + "); stop it first, or give this one another --data-dir");
        }
    }
}
