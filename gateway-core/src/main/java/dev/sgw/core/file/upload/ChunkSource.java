package dev.sgw.core.file.upload;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes of one version of a file, chunk by chunk. Chunk {@code i} covers bytes
 * {@code [i * chunkSize, min((i + 1) * chunkSize, size))} of the file.
 *
 * <p>Every chunk of the version must be readable, changed or not: unchanged chunks are needed when the
 * object cannot be copied from (a conflict copy, a part that is not entirely unchanged). Chunks are read
 * from the writer's part executor, several at a time: implementations are thread-safe.
 */
@FunctionalInterface
public interface ChunkSource {

    /**
     * The bytes of chunk {@code index}: exactly {@code min(chunkSize, size - index * chunkSize)} bytes
     * between the buffer's position and limit, zeros for holes. The caller reads the buffer and does not
     * keep it.
     */
    ByteBuffer read(long index) throws IOException;
}
