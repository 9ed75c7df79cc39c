package dev.sgw.core.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.core.volume.BucketSync;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.Stability;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract on the in-memory volume, and what it adds: no bucket, many threads at once. */
class MemoryFileVolumeContractTest extends FileVolumeContract {

    @Override
    protected FileVolume open(Path dir) {
        return new MemoryFileVolume("test");
    }

    @Override
    protected int chunkSize() {
        return MemoryFileVolume.CHUNK_BYTES;
    }

    @Test
    void nothingIsEverPendingForTheBucket() throws Exception {
        NodeId f = file(root, "f");
        write(f, 0, new byte[100], Stability.UNSTABLE);
        assertThat(v.bucketSync().backlog()).isEqualTo(new BucketSync.Backlog(0, 0, 0, 0, 0, 0));
        assertThat(v.bucketSync().awaitUploaded(Duration.ZERO)).isTrue();
    }

    @Test
    void threadsCreatingWritingAndMovingFilesAtOnceLoseNothing() throws Exception {
        NodeId a = mkdir(root, "a");
        NodeId b = mkdir(root, "b");
        int threads = 8;
        int perThread = 100;
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String name = thread + "-" + i;
                        NodeId f = file(a, name);
                        v.write(f, 0, ByteBuffer.wrap(new byte[] {(byte) thread, (byte) i}), Stability.UNSTABLE);
                        mkdir(a, "dir-" + name);
                        if (i % 2 == 0) {
                            v.rename(a, name, b, name);
                            v.rename(a, "dir-" + name, b, "dir-" + name);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        int all = threads * perThread;
        assertThat(names(a)).hasSize(all).doesNotHaveDuplicates();
        assertThat(names(b)).hasSize(all).doesNotHaveDuplicates();
        assertThat(v.getattr(a).nlink()).isEqualTo(2 + all / 2);
        assertThat(v.getattr(b).nlink()).isEqualTo(2 + all / 2);
        assertThat(read(v.lookup(b, "3-42").id(), 0, 10)).containsExactly(3, 42);
        assertThat(v.statfs().freeBytes()).isEqualTo(v.statfs().totalBytes() - 2L * all);
    }

    @Test
    void closingTwiceIsHarmless() throws IOException {
        v.close();
        v.close();
        v = open(dir);
    }
}
