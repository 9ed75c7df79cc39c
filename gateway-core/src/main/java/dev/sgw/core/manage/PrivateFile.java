package dev.sgw.core.manage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files that hold secrets (the state and its key, passwords, bucket credentials, {@code demo.env}): readable
 * by their owner alone (mode 0600, from the moment they exist) and replaced atomically and durably, so a
 * crash leaves the old file or the new one, never a part.
 */
public final class PrivateFile {
    private PrivateFile() {}

    /** Replaces {@code file} by {@code content}: a 0600 temporary beside it, forced, renamed over it. */
    public static void write(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        writeNew(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        StateFile.syncDirectory(file.toAbsolutePath().getParent());
    }

    /** Writes {@code content} to a new 0600 file {@code tmp} (replacing a leftover one) and forces it to disk. */
    static void writeNew(Path tmp, byte[] content) throws IOException {
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }
}
