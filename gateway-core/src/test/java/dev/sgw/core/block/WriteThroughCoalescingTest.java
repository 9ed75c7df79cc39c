package dev.sgw.core.block;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.ObjectContent;
import dev.sgw.core.store.StoreOperation;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Write-through mode: every write is in the bucket when it returns, and writers of one chunk share PUTs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WriteThroughCoalescingTest {
    private static final int CHUNK = 64 << 10;
    private static final int BLOCK = 512;

    private final ScriptedObjectStore store = new ScriptedObjectStore(new MemoryObjectStore());

    private ChunkedBlockVolume create() throws Exception {
        BlockVolumeConfig config = new BlockVolumeConfig(
                "wt",
                null,
                8L * CHUNK,
                BLOCK,
                CHUNK,
                VolumeMode.WRITE_THROUGH,
                Duration.ZERO,
                1,
                Duration.ofSeconds(1));
        return ChunkedBlockVolume.create(config, store, null, Clock.systemUTC());
    }

    private byte[] rawChunk(long index) throws Exception {
        try (ObjectContent c = store.get(BucketLayout.blockChunkKey("wt", index), null)) {
            return c.readAllBytes();
        }
    }

    private static byte[] block(int writer, int i) {
        byte[] b = new byte[BLOCK];
        Arrays.fill(b, (byte) (writer * 16 + i + 1));
        return b;
    }

    @Test
    void concurrentWritersOfOneChunkEachSeeTheirChangeInTheBucketAndSharePuts() throws Exception {
        int writers = 8;
        int writesEach = 8;
        String key = BucketLayout.blockChunkKey("wt", 1);
        // a slow bucket, so that writers arriving during a PUT pile up for the next one
        store.onWrite((op, k) -> {
            if (k.equals(key)) {
                sleep(25);
            }
        });
        try (ChunkedBlockVolume v = create()) {
            CyclicBarrier start = new CyclicBarrier(writers);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<?>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                results.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < writesEach; i++) {
                        int blockInChunk = writer * writesEach + i;
                        byte[] data = block(writer, i);
                        v.write(CHUNK + (long) blockInChunk * BLOCK, ByteBuffer.wrap(data), false);
                        byte[] inBucket = rawChunk(1);
                        assertThat(Arrays.copyOfRange(inBucket, blockInChunk * BLOCK, (blockInChunk + 1) * BLOCK))
                                .as("writer %d, write %d: in the bucket when the write returned", writer, i)
                                .isEqualTo(data);
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get();
            }
            pool.shutdown();
            int writes = writers * writesEach;
            int puts = store.puts(key);
            System.out.printf("write-through: %d writes of one chunk in %d PUTs%n", writes, puts);
            assertThat(puts).as("PUTs carrying %d writes", writes).isPositive().isLessThanOrEqualTo(writes / 2);
            byte[] all = rawChunk(1);
            for (int w = 0; w < writers; w++) {
                for (int i = 0; i < writesEach; i++) {
                    int b = w * writesEach + i;
                    assertThat(Arrays.copyOfRange(all, b * BLOCK, (b + 1) * BLOCK))
                            .isEqualTo(block(w, i));
                }
            }
        }
    }

    @Test
    void aWriteThatCannotReachTheBucketFailsAndReadsAreServedFromTheBucket() throws Exception {
        try (ChunkedBlockVolume v = create()) {
            byte[] first = block(1, 1);
            v.write(2L * CHUNK, ByteBuffer.wrap(first), false);
            store.setDown(true);
            assertThatThrownBy(() -> v.write(2L * CHUNK, ByteBuffer.wrap(block(2, 2)), false))
                    .isInstanceOfSatisfying(
                            VolumeException.class, e -> assertThat(e.error()).isEqualTo(VolumeError.IO));
            store.setDown(false);
            assertThat(Arrays.copyOf(rawChunk(2), BLOCK)).isEqualTo(first);
            int getsBefore = store.calls(StoreOperation.GET);
            byte[] back = new byte[BLOCK];
            v.read(5L * CHUNK, ByteBuffer.wrap(back));
            assertThat(back).isEqualTo(new byte[BLOCK]);
            assertThat(store.calls(StoreOperation.GET))
                    .as("a chunk never read is fetched from the bucket")
                    .isEqualTo(getsBefore + 1);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
