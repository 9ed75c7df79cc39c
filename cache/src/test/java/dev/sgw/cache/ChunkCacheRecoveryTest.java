package dev.sgw.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.sgw.cache.ChunkCacheTest.CHUNK;
import static dev.sgw.cache.ChunkCacheTest.bytes;
import static dev.sgw.cache.ChunkCacheTest.id;
import static dev.sgw.cache.ChunkCacheTest.read;
import static dev.sgw.cache.ChunkCacheTest.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reopening a cache directory: states found again, leftovers cleaned, doubtful chunks kept as dirty. */
class ChunkCacheRecoveryTest {

    @TempDir
    Path dir;

    ChunkCache open(CacheMode mode) throws IOException {
        return open(mode, 8L * CHUNK);
    }

    ChunkCache open(CacheMode mode, long capacity) throws IOException {
        return ChunkCache.open(
                new CacheConfig(dir, capacity, mode, CHUNK, CacheConfig.DEFAULT_SPACE_WAIT), DirtyChunkListener.NONE);
    }

    Path chunkFile(ChunkId id, String suffix) {
        return dir.resolve("chunks")
                .resolve(String.format("%02x", id.directoryBucket()))
                .resolve(id.fileName() + suffix);
    }

    @Test
    void statesAndBytesSurviveReopening() throws IOException {
        try (ChunkCache cache = open(CacheMode.EVICTING)) {
            write(cache, id(1), 0, bytes(1000, 1));
            cache.fill(id(2), ByteBuffer.wrap(bytes(2000, 2)));
            write(cache, id(3), 0, bytes(3000, 3));
            cache.beginUpload(id(3)).orElseThrow();
            write(cache, id(4), 0, bytes(4000, 4));
            cache.completeUpload(cache.beginUpload(id(4)).orElseThrow());
            write(cache, id(4), 10, bytes(10, 5));
        }
        try (ChunkCache cache = open(CacheMode.EVICTING)) {
            assertThat(cache.state(id(1))).isEqualTo(ChunkState.DIRTY);
            assertThat(cache.state(id(2))).isEqualTo(ChunkState.CLEAN);
            assertThat(cache.state(id(3))).as("an interrupted upload").isEqualTo(ChunkState.DIRTY);
            assertThat(cache.state(id(4))).isEqualTo(ChunkState.DIRTY);
            assertThat(read(cache, id(1))).isEqualTo(bytes(1000, 1));
            assertThat(read(cache, id(2))).isEqualTo(bytes(2000, 2));
            assertThat(read(cache, id(3))).isEqualTo(bytes(3000, 3));
            byte[] four = bytes(4000, 4);
            System.arraycopy(bytes(10, 5), 0, four, 10, 10);
            assertThat(read(cache, id(4))).isEqualTo(four);
            assertThat(cache.dirtyChunks()).containsExactlyInAnyOrder(id(1), id(3), id(4));
            CacheStats s = cache.stats();
            assertThat(s.usedBytes()).isEqualTo(10_000);
            assertThat(s.dirtyBytes()).isEqualTo(8000);
            assertThat(s.cleanBytes()).isEqualTo(2000);
            // the clean chunk found at open is evictable, the dirty ones are not
            for (int i = 10; i < 20; i++) {
                cache.fill(id(i), ByteBuffer.wrap(bytes(CHUNK, i)));
            }
            assertThat(cache.state(id(2))).isEqualTo(ChunkState.ABSENT);
            assertThat(cache.dirtyChunks()).containsExactlyInAnyOrder(id(1), id(3), id(4));
        }
    }

    @Test
    void reopeningWithASmallerCapacityEvictsCleanChunksOnly() throws IOException {
        try (ChunkCache cache = open(CacheMode.EVICTING)) {
            write(cache, id(0), 0, bytes(CHUNK, 0));
            write(cache, id(1), 0, bytes(CHUNK, 1));
            for (int i = 2; i < 8; i++) {
                cache.fill(id(i), ByteBuffer.wrap(bytes(CHUNK, i)));
            }
        }
        // Caffeine itself drops the clean chunks over its new maximum at open; they are evicted by the
        // same checked path as the others once room is needed
        try (ChunkCache cache = open(CacheMode.EVICTING, 4L * CHUNK)) {
            assertThat(cache.stats().usedBytes()).isEqualTo(8L * CHUNK);
            write(cache, id(9), 0, bytes(CHUNK, 9));
            CacheStats s = cache.stats();
            assertThat(s.evictions()).isEqualTo(5);
            assertThat(s.usedBytes()).isEqualTo(4L * CHUNK);
            assertThat(s.cleanChunks()).isEqualTo(1);
            assertThat(read(cache, id(0))).isEqualTo(bytes(CHUNK, 0));
            assertThat(read(cache, id(1))).isEqualTo(bytes(CHUNK, 1));
            assertThat(cache.dirtyChunks()).containsExactlyInAnyOrder(id(0), id(1), id(9));
        }
    }

    @Test
    void leftoversAreCleanedAndDoubtsResolvedAsDirty() throws IOException {
        try (ChunkCache cache = open(CacheMode.EVICTING)) {
            write(cache, id(1), 0, bytes(100, 1));
            cache.fill(id(2), ByteBuffer.wrap(bytes(200, 2)));
        }
        // a fill killed halfway, a chunk under both names, a stray file, an oversize clean chunk
        Files.write(chunkFile(id(5), ".tmp"), bytes(50, 5));
        Files.write(chunkFile(id(1), ".c"), bytes(100, 9));
        Files.write(dir.resolve("chunks").resolve("00").resolve("notes.txt"), new byte[3]);
        Files.write(chunkFile(id(6), ".c"), new byte[CHUNK + 1]);
        try (ChunkCache cache = open(CacheMode.EVICTING)) {
            assertThat(Files.exists(chunkFile(id(5), ".tmp"))).isFalse();
            assertThat(cache.state(id(5))).isEqualTo(ChunkState.ABSENT);
            assertThat(cache.state(id(1))).isEqualTo(ChunkState.DIRTY);
            assertThat(read(cache, id(1))).isEqualTo(bytes(100, 1));
            assertThat(Files.exists(chunkFile(id(1), ".c"))).isFalse();
            assertThat(cache.state(id(2))).isEqualTo(ChunkState.CLEAN);
            assertThat(cache.state(id(6))).as("untrusted chunk kept as dirty").isEqualTo(ChunkState.DIRTY);
            assertThat(Files.exists(dir.resolve("chunks").resolve("00").resolve("notes.txt")))
                    .isTrue();
        }
    }

    @Test
    void misplacedChunkFileIsMovedNotLost() throws IOException {
        ChunkId id = id(3);
        Path other = dir.resolve("chunks").resolve(String.format("%02x", (id.directoryBucket() + 1) % 256));
        Files.createDirectories(other);
        try (ChunkCache cache = open(CacheMode.EVICTING)) {
            assertThat(cache.state(id)).isEqualTo(ChunkState.ABSENT);
        }
        Files.write(other.resolve(id.fileName() + ".d"), bytes(10, 3));
        try (ChunkCache cache = open(CacheMode.EVICTING)) {
            assertThat(cache.state(id)).isEqualTo(ChunkState.DIRTY);
            assertThat(read(cache, id)).isEqualTo(bytes(10, 3));
        }
    }

    @Test
    void aDirectoryIsOpenedByOneCacheAtATime() throws IOException {
        ChunkCache first = open(CacheMode.EVICTING);
        assertThatThrownBy(() -> open(CacheMode.EVICTING))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("in use");
        first.close();
        open(CacheMode.RETAINING).close();
    }

    @Test
    void chunkSizeIsFixedPerDirectory() throws IOException {
        open(CacheMode.EVICTING).close();
        assertThatThrownBy(() -> ChunkCache.open(
                        new CacheConfig(
                                dir, 16L * CHUNK, CacheMode.EVICTING, 2 * CHUNK, CacheConfig.DEFAULT_SPACE_WAIT),
                        DirtyChunkListener.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("chunk size");
        open(CacheMode.EVICTING).close();
    }

    @Test
    void removeDeletesTheFileAndFsyncOfTheAbsentChunkSucceeds() throws IOException {
        try (ChunkCache cache = open(CacheMode.EVICTING)) {
            write(cache, id(1), 0, bytes(10, 1));
            cache.fsync(id(1));
            assertThat(Files.exists(chunkFile(id(1), ".d"))).isTrue();
            cache.remove(id(1));
            cache.fsync(id(1));
            assertThat(Files.exists(chunkFile(id(1), ".d"))).isFalse();
        }
    }

    @Test
    void chunkIdsMapToFileNamesAndBack() {
        ChunkId a = ChunkId.of("share-A9", -1L, 0x1234L);
        assertThat(a.fileName()).isEqualTo("share-A9_ffffffffffffffff_0000000000001234");
        assertThat(ChunkId.parseFileName(a.fileName())).isEqualTo(a);
        assertThat(ChunkId.parseFileName("x_00_01")).isNull();
        assertThat(ChunkId.parseFileName("share_FFFFFFFFFFFFFFFF_0000000000001234"))
                .isNull();
        assertThat(ChunkId.parseFileName("a.b_ffffffffffffffff_0000000000001234"))
                .isNull();
        assertThatThrownBy(() -> ChunkId.of("a/b", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkId.of("", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        int[] perBucket = new int[256];
        for (int i = 0; i < 25_600; i++) {
            perBucket[ChunkId.of("v", 1, i).directoryBucket()]++;
        }
        assertThat(Arrays.stream(perBucket).min().orElseThrow())
                .as("sequential chunks spread")
                .isGreaterThan(50);
    }
}
