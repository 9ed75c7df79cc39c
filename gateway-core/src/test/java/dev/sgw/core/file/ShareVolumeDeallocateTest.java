package dev.sgw.core.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

import dev.sgw.cache.ChunkCache;
import dev.sgw.cache.ChunkId;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.sgw.core.file.ShareFixture.CHUNK;
import static org.assertj.core.api.Assertions.assertThat;

/** What a deallocate gives back to the cache disk: a deallocated range takes no cache space where it can. */
class ShareVolumeDeallocateTest {
    @TempDir
    Path dir;

    private ShareFixture share;
    private ShareVolume v;

    @BeforeEach
    void open() throws IOException {
        share = new ShareFixture(dir, VolumeMode.CACHE);
        v = share.volume;
    }

    @AfterEach
    void close() throws IOException {
        share.close();
    }

    private long used() {
        return share.disk.cache().stats().usedBytes();
    }

    private int cachedLength(NodeId f, long index) {
        return share.disk.cache().length(new ChunkId(share.config.chunkSpace(), f.inode(), index));
    }

    private byte[] readAll(NodeId f, int length) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(length);
        v.read(f, 0, dst);
        return Arrays.copyOf(dst.array(), dst.position());
    }

    @Test
    void wholeChunksAreDroppedAndARangeReachingAChunksEndCutsIt() throws IOException {
        byte[] data = FileVolumeContract.random(4 * CHUNK, 1);
        NodeId f =
                v.create(v.root(), "f", CreateMode.GUARDED, SetAttributes.NONE).id();
        v.write(f, 0, ByteBuffer.wrap(data), Stability.FILE_SYNC);
        long before = used();

        v.deallocate(f, CHUNK / 2, 3L * CHUNK); // half of chunk 0, chunks 1 and 2, half of chunk 3

        assertThat(before - used())
                .as("the cut half and the two whole chunks are given back")
                .isGreaterThanOrEqualTo(CHUNK / 2 + 2L * CHUNK);
        assertThat(cachedLength(f, 1)).isEqualTo(ChunkCache.NOT_CACHED);
        assertThat(cachedLength(f, 2)).isEqualTo(ChunkCache.NOT_CACHED);
        assertThat(cachedLength(f, 0)).isEqualTo(CHUNK / 2);
        byte[] expected = data.clone();
        Arrays.fill(expected, CHUNK / 2, CHUNK / 2 + 3 * CHUNK, (byte) 0);
        assertThat(readAll(f, data.length)).isEqualTo(expected);
        assertThat(v.getattr(f).size()).isEqualTo(data.length);
    }

    @Test
    void aChunkLeftWithNothingButZerosTakesNoSpace() throws IOException {
        NodeId f =
                v.create(v.root(), "f", CreateMode.GUARDED, SetAttributes.NONE).id();
        byte[] data = FileVolumeContract.random(100, 2);
        v.write(f, CHUNK + 1000L, ByteBuffer.wrap(data), Stability.FILE_SYNC); // chunk 1: zeros, then data
        v.setattr(f, SetAttributes.size(3L * CHUNK));
        long before = used();

        v.deallocate(f, CHUNK + 900L, 300); // inside chunk 1, covering all of its data

        assertThat(cachedLength(f, 1)).isEqualTo(ChunkCache.NOT_CACHED);
        assertThat(before - used()).isGreaterThanOrEqualTo(1100);
        assertThat(readAll(f, 3 * CHUNK)).isEqualTo(new byte[3 * CHUNK]);
    }

    @Test
    void aRangeInsideAChunkWithDataAroundItIsZeroedAndTheRestStays() throws IOException {
        byte[] data = FileVolumeContract.random(CHUNK, 3);
        NodeId f =
                v.create(v.root(), "f", CreateMode.GUARDED, SetAttributes.NONE).id();
        v.write(f, 0, ByteBuffer.wrap(data), Stability.FILE_SYNC);

        v.deallocate(f, 100, 200);

        byte[] expected = data.clone();
        Arrays.fill(expected, 100, 300, (byte) 0);
        assertThat(readAll(f, CHUNK)).isEqualTo(expected);
        assertThat(cachedLength(f, 0)).isEqualTo(CHUNK);
    }
}
