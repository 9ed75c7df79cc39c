package dev.sgw.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkCacheTest {

    static final int CHUNK = CacheConfig.MIN_CHUNK_SIZE;
    static final Duration SHORT_WAIT = Duration.ofMillis(200);

    @TempDir
    Path dir;

    final List<ChunkId> announced = new CopyOnWriteArrayList<>();
    final List<ChunkCache> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (ChunkCache c : opened) {
            c.close();
        }
    }

    ChunkCache open(long capacity, CacheMode mode) throws IOException {
        return open(capacity, mode, SHORT_WAIT);
    }

    ChunkCache open(long capacity, CacheMode mode, Duration spaceWait) throws IOException {
        ChunkCache cache = ChunkCache.open(new CacheConfig(dir, capacity, mode, CHUNK, spaceWait), announced::add);
        opened.add(cache);
        return cache;
    }

    static ChunkId id(long index) {
        return ChunkId.of("vol-1", 7, index);
    }

    static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    static byte[] read(ChunkCache cache, ChunkId id) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(CHUNK);
        int n = cache.read(id, 0, dst);
        assertThat(n).as("read of %s", id).isNotEqualTo(ChunkCache.NOT_CACHED);
        return Arrays.copyOf(dst.array(), n);
    }

    static void write(ChunkCache cache, ChunkId id, int offset, byte[] data) throws IOException {
        assertThat(cache.write(id, offset, ByteBuffer.wrap(data), IfAbsent.CREATE))
                .isTrue();
    }

    static UploadSnapshot begin(ChunkCache cache, ChunkId id) throws IOException {
        Optional<UploadSnapshot> s = cache.beginUpload(id);
        assertThat(s).as("upload of %s", id).isPresent();
        return s.get();
    }

    static byte[] array(UploadSnapshot s) {
        ByteBuffer b = s.data();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void absentChunkIsNotCached() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        assertThat(cache.read(id(1), 0, ByteBuffer.allocate(10))).isEqualTo(ChunkCache.NOT_CACHED);
        assertThat(cache.length(id(1))).isEqualTo(ChunkCache.NOT_CACHED);
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.ABSENT);
        assertThat(cache.stats().misses()).isEqualTo(1);
    }

    @Test
    void writeCreatesDirtyChunkAndReadsBack() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        write(cache, id(1), 100, bytes(50, 1));
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.DIRTY);
        assertThat(cache.length(id(1))).isEqualTo(150);
        byte[] expected = new byte[150];
        System.arraycopy(bytes(50, 1), 0, expected, 100, 50);
        assertThat(read(cache, id(1))).isEqualTo(expected);

        ByteBuffer part = ByteBuffer.allocate(30);
        assertThat(cache.read(id(1), 130, part)).isEqualTo(20);
        assertThat(part.position()).isEqualTo(20);
        assertThat(cache.read(id(1), 150, ByteBuffer.allocate(10))).isZero();
        assertThat(cache.read(id(1), CHUNK, ByteBuffer.allocate(10))).isZero();
        assertThat(announced).containsExactly(id(1));
        assertThat(cache.dirtyChunks()).containsExactly(id(1));
        CacheStats s = cache.stats();
        assertThat(s.dirtyBytes()).isEqualTo(150);
        assertThat(s.usedBytes()).isEqualTo(150);
        assertThat(s.dirtyChunks()).isEqualTo(1);
    }

    @Test
    void writeRefusesAbsentChunkAndChangesNothing() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        ByteBuffer src = ByteBuffer.wrap(bytes(10, 1));
        assertThat(cache.write(id(1), 0, src, IfAbsent.REFUSE)).isFalse();
        assertThat(src.remaining()).isEqualTo(10);
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.ABSENT);
        assertThat(cache.truncate(id(1), 5, IfAbsent.REFUSE)).isFalse();
        assertThat(cache.stats().usedBytes()).isZero();
    }

    @Test
    void emptyWritePastTheEndExtendsWithZeros() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        write(cache, id(1), 1000, new byte[0]);
        assertThat(cache.length(id(1))).isEqualTo(1000);
        assertThat(read(cache, id(1))).isEqualTo(new byte[1000]);
        assertThat(cache.stats().usedBytes()).isEqualTo(1000);
    }

    @Test
    void rangesOutsideTheChunkAreRejected() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        assertThatThrownBy(() -> cache.write(id(1), CHUNK - 1, ByteBuffer.allocate(2), IfAbsent.CREATE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.fill(id(1), ByteBuffer.allocate(CHUNK + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.truncate(id(1), -1, IfAbsent.CREATE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fillStoresCleanDataAndNeverClobbers() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        ByteBuffer data = ByteBuffer.wrap(bytes(CHUNK, 2));
        assertThat(cache.fill(id(1), data)).isTrue();
        assertThat(data.hasRemaining()).isFalse();
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.CLEAN);
        assertThat(read(cache, id(1))).isEqualTo(bytes(CHUNK, 2));
        assertThat(announced).isEmpty();

        assertThat(cache.fill(id(1), ByteBuffer.wrap(bytes(CHUNK, 3)))).isFalse();
        assertThat(read(cache, id(1))).isEqualTo(bytes(CHUNK, 2));

        write(cache, id(2), 0, bytes(100, 4));
        assertThat(cache.fill(id(2), ByteBuffer.wrap(bytes(CHUNK, 5)))).isFalse();
        assertThat(cache.state(id(2))).isEqualTo(ChunkState.DIRTY);
        assertThat(read(cache, id(2))).isEqualTo(bytes(100, 4));
        assertThat(cache.stats().cleanBytes()).isEqualTo(CHUNK);
    }

    @Test
    void writeOnCleanChunkMakesItDirtyKeepingTheRest() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        cache.fill(id(1), ByteBuffer.wrap(bytes(1000, 2)));
        write(cache, id(1), 10, bytes(5, 9));
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.DIRTY);
        byte[] expected = bytes(1000, 2);
        System.arraycopy(bytes(5, 9), 0, expected, 10, 5);
        assertThat(read(cache, id(1))).isEqualTo(expected);
        assertThat(announced).containsExactly(id(1));
        assertThat(cache.stats().cleanBytes()).isZero();
        assertThat(cache.stats().dirtyBytes()).isEqualTo(1000);
    }

    @Test
    void truncateShrinksAndGrowsWithZeros() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        cache.fill(id(1), ByteBuffer.wrap(bytes(1000, 2)));
        assertThat(cache.truncate(id(1), 400, IfAbsent.REFUSE)).isTrue();
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.DIRTY);
        assertThat(read(cache, id(1))).isEqualTo(Arrays.copyOf(bytes(1000, 2), 400));
        assertThat(cache.stats().usedBytes()).isEqualTo(400);

        assertThat(cache.truncate(id(1), 600, IfAbsent.REFUSE)).isTrue();
        assertThat(read(cache, id(1))).isEqualTo(Arrays.copyOf(Arrays.copyOf(bytes(1000, 2), 400), 600));
        assertThat(cache.stats().usedBytes()).isEqualTo(600);

        assertThat(cache.truncate(id(2), 300, IfAbsent.CREATE)).isTrue();
        assertThat(read(cache, id(2))).isEqualTo(new byte[300]);
        assertThat(cache.state(id(2))).isEqualTo(ChunkState.DIRTY);
    }

    @Test
    void removeDropsAnyStateAndFreesSpace() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        write(cache, id(1), 0, bytes(100, 1));
        cache.fill(id(2), ByteBuffer.wrap(bytes(200, 2)));
        write(cache, id(3), 0, bytes(300, 3));
        UploadSnapshot s = begin(cache, id(3));

        assertThat(cache.remove(id(1))).isTrue();
        assertThat(cache.remove(id(2))).isTrue();
        assertThat(cache.remove(id(3))).isTrue();
        assertThat(cache.remove(id(3))).isFalse();
        for (long i = 1; i <= 3; i++) {
            assertThat(cache.state(id(i))).isEqualTo(ChunkState.ABSENT);
        }
        assertThat(cache.completeUpload(s))
                .as("stale snapshot of a removed chunk")
                .isFalse();
        assertThat(cache.state(id(3))).isEqualTo(ChunkState.ABSENT);
        CacheStats st = cache.stats();
        assertThat(st.usedBytes()).isZero();
        assertThat(st.dirtyBytes() + st.cleanBytes() + st.dirtyChunks() + st.cleanChunks())
                .isZero();
        try (Stream<Path> files = Files.walk(dir.resolve("chunks"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void uploadWithoutWritesMakesTheChunkClean() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        write(cache, id(1), 0, bytes(500, 1));
        UploadSnapshot s = begin(cache, id(1));
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.UPLOADING);
        assertThat(array(s)).isEqualTo(bytes(500, 1));
        assertThat(s.length()).isEqualTo(500);
        assertThat(cache.beginUpload(id(1))).as("one upload at a time").isEmpty();
        assertThat(cache.stats().uploadingChunks()).isEqualTo(1);

        assertThat(cache.completeUpload(s)).isTrue();
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.CLEAN);
        assertThat(cache.dirtyChunks()).isEmpty();
        assertThat(cache.beginUpload(id(1))).isEmpty();
        assertThat(cache.completeUpload(s)).as("completing twice").isFalse();
        assertThat(read(cache, id(1))).isEqualTo(bytes(500, 1));
        assertThat(cache.stats().cleanBytes()).isEqualTo(500);
        assertThat(cache.stats().dirtyBytes()).isZero();
    }

    @Test
    void writeDuringUploadKeepsTheChunkDirty() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        write(cache, id(1), 0, bytes(500, 1));
        UploadSnapshot s = begin(cache, id(1));
        announced.clear();

        write(cache, id(1), 490, bytes(20, 2));
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.UPLOADING_REDIRTIED);
        assertThat(array(s)).as("the snapshot is immutable").isEqualTo(bytes(500, 1));

        assertThat(cache.completeUpload(s)).isFalse();
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.DIRTY);
        assertThat(announced).containsExactly(id(1));

        UploadSnapshot again = begin(cache, id(1));
        byte[] expected = Arrays.copyOf(bytes(500, 1), 510);
        System.arraycopy(bytes(20, 2), 0, expected, 490, 20);
        assertThat(array(again)).isEqualTo(expected);
        assertThat(again.version()).isGreaterThan(s.version());
        assertThat(cache.completeUpload(s)).as("the old snapshot is stale").isFalse();
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.UPLOADING);
        assertThat(cache.completeUpload(again)).isTrue();
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.CLEAN);
    }

    @Test
    void truncateDuringUploadKeepsTheChunkDirty() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        write(cache, id(1), 0, bytes(500, 1));
        UploadSnapshot s = begin(cache, id(1));
        cache.truncate(id(1), 100, IfAbsent.REFUSE);
        assertThat(cache.completeUpload(s)).isFalse();
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.DIRTY);
        assertThat(cache.length(id(1))).isEqualTo(100);
    }

    @Test
    void failedUploadReturnsToDirty() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        write(cache, id(1), 0, bytes(500, 1));
        UploadSnapshot s = begin(cache, id(1));
        announced.clear();
        cache.failUpload(s);
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.DIRTY);
        assertThat(announced).containsExactly(id(1));
        assertThat(cache.completeUpload(s)).as("a failed snapshot is stale").isFalse();
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.DIRTY);

        UploadSnapshot redirtied = begin(cache, id(1));
        write(cache, id(1), 0, bytes(10, 3));
        cache.failUpload(redirtied);
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.DIRTY);
        assertThat(cache.completeUpload(begin(cache, id(1)))).isTrue();
    }

    @Test
    void evictingModeEvictsCleanChunksOnly() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        write(cache, id(100), 0, bytes(CHUNK, 100));
        write(cache, id(101), 0, bytes(CHUNK, 101));
        for (int i = 0; i < 20; i++) {
            assertThat(cache.fill(id(i), ByteBuffer.wrap(bytes(CHUNK, i))))
                    .as("fill %d", i)
                    .isTrue();
            assertThat(cache.stats().usedBytes()).isLessThanOrEqualTo(4L * CHUNK);
        }
        CacheStats s = cache.stats();
        assertThat(s.evictions()).isEqualTo(18);
        assertThat(s.evictedBytes()).isEqualTo(18L * CHUNK);
        assertThat(s.cleanChunks()).isEqualTo(2);
        assertThat(read(cache, id(100))).isEqualTo(bytes(CHUNK, 100));
        assertThat(read(cache, id(101))).isEqualTo(bytes(CHUNK, 101));
        assertThat(cache.state(id(19))).isEqualTo(ChunkState.CLEAN);
        assertThat(read(cache, id(19))).isEqualTo(bytes(CHUNK, 19));

        // a dirty write evicts clean chunks too, never dirty ones
        write(cache, id(102), 0, bytes(CHUNK, 102));
        write(cache, id(103), 0, bytes(CHUNK, 103));
        assertThat(cache.stats().cleanChunks()).isZero();
        assertThat(cache.dirtyChunks()).containsExactlyInAnyOrder(id(100), id(101), id(102), id(103));
    }

    @Test
    void aCleanChunkThatIsWrittenIsNeverEvicted() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        cache.fill(id(50), ByteBuffer.wrap(bytes(CHUNK, 50)));
        write(cache, id(50), 0, bytes(10, 51));
        for (int i = 0; i < 10; i++) {
            assertThat(cache.fill(id(i), ByteBuffer.wrap(bytes(CHUNK, i)))).isTrue();
        }
        assertThat(cache.state(id(50))).isEqualTo(ChunkState.DIRTY);
        byte[] expected = bytes(CHUNK, 50);
        System.arraycopy(bytes(10, 51), 0, expected, 0, 10);
        assertThat(read(cache, id(50))).isEqualTo(expected);
        assertThat(cache.stats().evictions()).isEqualTo(7);
    }

    @Test
    void evictionPrefersColdChunks() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        for (int i = 0; i < 4; i++) {
            cache.fill(id(i), ByteBuffer.wrap(bytes(CHUNK, i)));
        }
        for (int round = 0; round < 5; round++) {
            read(cache, id(0));
        }
        cache.fill(id(10), ByteBuffer.wrap(bytes(CHUNK, 10)));
        assertThat(cache.state(id(0))).as("the hot chunk stays").isEqualTo(ChunkState.CLEAN);
        assertThat(cache.stats().evictions()).isEqualTo(1);
    }

    @Test
    void retainingModeNeverEvicts() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.RETAINING);
        for (int i = 0; i < 4; i++) {
            assertThat(cache.fill(id(i), ByteBuffer.wrap(bytes(CHUNK, i)))).isTrue();
        }
        assertThat(cache.fill(id(4), ByteBuffer.wrap(bytes(CHUNK, 4))))
                .as("full: not stored")
                .isFalse();
        assertThatThrownBy(() -> write(cache, id(5), 0, bytes(10, 5))).isInstanceOf(CacheFullException.class);
        for (int i = 0; i < 4; i++) {
            assertThat(read(cache, id(i))).isEqualTo(bytes(CHUNK, i));
        }
        assertThat(cache.stats().evictions()).isZero();
        assertThat(cache.state(id(5))).isEqualTo(ChunkState.ABSENT);

        write(cache, id(0), 0, bytes(10, 6));
        assertThat(cache.completeUpload(begin(cache, id(0)))).isTrue();
        assertThat(cache.awaitSpace(1, Duration.ofMillis(50)))
                .as("a clean chunk is not evictable")
                .isFalse();
        assertThat(cache.stats().cleanChunks()).isEqualTo(4);
    }

    @Test
    void aRetainedNamespaceIsNeverEvictedInAnEvictingCache() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        ChunkId kept = ChunkId.of("kept", 0, 0);
        cache.fill(kept, ByteBuffer.wrap(bytes(CHUNK, 70)));
        cache.retain("kept");
        ChunkId uploaded = ChunkId.of("kept", 0, 1);
        write(cache, uploaded, 0, bytes(CHUNK, 71));
        assertThat(cache.completeUpload(begin(cache, uploaded))).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(cache.fill(id(i), ByteBuffer.wrap(bytes(CHUNK, i))))
                    .as("fill %d", i)
                    .isTrue();
        }
        assertThat(cache.state(kept)).isEqualTo(ChunkState.CLEAN);
        assertThat(cache.state(uploaded)).isEqualTo(ChunkState.CLEAN);
        assertThat(read(cache, kept)).isEqualTo(bytes(CHUNK, 70));
        assertThat(cache.stats().evictions())
                .as("only the other namespace's chunks")
                .isEqualTo(8);
        assertThat(cache.awaitSpace(3L * CHUNK, Duration.ofMillis(50)))
                .as("retained chunks do not make room")
                .isFalse();
    }

    @Test
    void fullOfDirtyWriterFailsAfterTheTimeoutChangingNothing() throws IOException {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING);
        for (int i = 0; i < 4; i++) {
            write(cache, id(i), 0, bytes(CHUNK, i));
        }
        long start = System.nanoTime();
        ByteBuffer src = ByteBuffer.wrap(bytes(10, 9));
        assertThatThrownBy(() -> cache.write(id(9), 0, src, IfAbsent.CREATE))
                .isInstanceOf(CacheFullException.class)
                .hasMessageContaining("cache full");
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waitedMs).isBetween(180L, 2000L);
        assertThat(cache.state(id(9))).isEqualTo(ChunkState.ABSENT);
        assertThat(src.remaining()).isEqualTo(10);
        // overwriting needs no space, so it does not wait
        write(cache, id(0), 0, bytes(CHUNK, 10));
        assertThat(cache.stats().spaceWaits()).isEqualTo(1);
        assertThat(cache.stats().spaceTimeouts()).isEqualTo(1);
        assertThat(cache.stats().usedBytes()).isEqualTo(4L * CHUNK);
        for (int i = 1; i < 4; i++) {
            assertThat(read(cache, id(i))).isEqualTo(bytes(CHUNK, i));
        }
    }

    @Test
    void fullOfDirtyWriterWaitsAndSucceedsWhenAnUploadCompletes() throws Exception {
        ChunkCache cache = open(4L * CHUNK, CacheMode.EVICTING, Duration.ofSeconds(10));
        for (int i = 0; i < 4; i++) {
            write(cache, id(i), 0, bytes(CHUNK, i));
        }
        CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(() -> {
            try {
                return cache.write(id(9), 0, ByteBuffer.wrap(bytes(100, 9)), IfAbsent.CREATE);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(100);
        assertThat(writer).as("the writer waits").isNotDone();
        assertThat(cache.completeUpload(begin(cache, id(2)))).isTrue();
        assertThat(writer.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(read(cache, id(9))).isEqualTo(bytes(100, 9));
        assertThat(cache.state(id(2)))
                .as("the uploaded chunk was evicted for it")
                .isEqualTo(ChunkState.ABSENT);
        assertThat(cache.stats().spaceWaits()).isEqualTo(1);
        assertThat(cache.stats().spaceTimeouts()).isZero();
    }

    @Test
    void retainingWriterWaitsAndSucceedsWhenAChunkIsRemoved() throws Exception {
        ChunkCache cache = open(4L * CHUNK, CacheMode.RETAINING, Duration.ofSeconds(10));
        for (int i = 0; i < 4; i++) {
            write(cache, id(i), 0, bytes(CHUNK, i));
        }
        CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(() -> {
            try {
                return cache.write(id(9), 0, ByteBuffer.wrap(bytes(100, 9)), IfAbsent.CREATE);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(50);
        assertThat(cache.completeUpload(begin(cache, id(1)))).isTrue();
        cache.remove(id(3));
        assertThat(writer.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(cache.state(id(1))).as("retained").isEqualTo(ChunkState.CLEAN);
    }

    @Test
    void awaitSpaceEvictsCleanChunksInEvictingMode() throws IOException {
        ChunkCache cache = open(2L * CHUNK, CacheMode.EVICTING);
        write(cache, id(0), 0, bytes(CHUNK, 0));
        cache.fill(id(1), ByteBuffer.wrap(bytes(CHUNK, 1)));
        assertThat(cache.awaitSpace(CHUNK, Duration.ofMillis(50))).isTrue();
        assertThat(cache.state(id(1))).isEqualTo(ChunkState.ABSENT);
        assertThat(cache.awaitSpace(2L * CHUNK, Duration.ofMillis(50))).isFalse();
    }

    @Test
    void fillYieldsWhenItWouldNeedToEvictNothing() throws IOException {
        ChunkCache cache = open(2L * CHUNK, CacheMode.EVICTING);
        write(cache, id(0), 0, bytes(CHUNK, 0));
        write(cache, id(1), 0, bytes(CHUNK, 1));
        assertThat(cache.fill(id(2), ByteBuffer.wrap(bytes(10, 2)))).isFalse();
        assertThat(cache.state(id(2))).isEqualTo(ChunkState.ABSENT);
    }

    @Test
    void closedCacheRefusesCalls() throws IOException {
        ChunkCache cache = open(2L * CHUNK, CacheMode.EVICTING);
        cache.close();
        assertThatThrownBy(() -> cache.read(id(0), 0, ByteBuffer.allocate(1)))
                .isInstanceOf(IllegalStateException.class);
        cache.close();
    }
}
