package dev.sgw.core.file.writeback;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.sgw.core.file.RemoteChanges;
import dev.sgw.core.store.Crc64;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.sync.ReverseSync;
import dev.sgw.core.sync.ReverseSyncSettings;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import static dev.sgw.core.file.writeback.UploaderFixture.CHUNK;
import static dev.sgw.core.file.writeback.UploaderFixture.MIB;
import static dev.sgw.core.file.writeback.UploaderFixture.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The uploader on a real S3 server (S3Proxy), its share rooted at the prefix {@value #PREFIX}: objects are
 * never torn, another client's changes meet local ones as conflicts, reverse sync keeps local changes, and a
 * cache full of dirty data with the bucket down pushes back on writers without losing acknowledged data.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShareUploaderS3ProxyTest {
    static final String PREFIX = "s1/";

    @TempDir
    Path dir;

    BucketServer server;
    ObjectStore bucket;
    S3Client other;
    UploaderFixture share;

    @BeforeEach
    void start() throws Exception {
        server = new BucketServer(dir.resolve("s3"));
        bucket = server.store(PREFIX);
        other = server.client();
    }

    @AfterEach
    void stop() throws Exception {
        if (share != null) {
            share.close();
        }
        other.close();
        bucket.close();
        server.close();
    }

    private byte[] theirGet(String path) {
        return other.getObjectAsBytes(GetObjectRequest.builder()
                        .bucket(BucketServer.BUCKET)
                        .key(PREFIX + path)
                        .build())
                .asByteArray();
    }

    private void theirPut(String path, byte[] data) {
        other.putObject(
                PutObjectRequest.builder()
                        .bucket(BucketServer.BUCKET)
                        .key(PREFIX + path)
                        .build(),
                RequestBody.fromBytes(data));
    }

    @Test
    void aReaderOfTheBucketOnlyEverSeesCompleteVersionsOfAFileRewrittenInPlace() throws Exception {
        share = new UploaderFixture(dir.resolve("share"), bucket, VolumeMode.SYNC, Duration.ZERO).open();
        Random random = new Random(5);
        List<byte[]> versions = new ArrayList<>();
        versions.add(random(12 * MIB + 3, 1));
        List<Integer> regions = new ArrayList<>();
        for (int k = 1; k <= 8; k++) {
            byte[] next = versions.getLast().clone();
            int at = random.nextInt(12 * MIB / CHUNK) * CHUNK + 11;
            java.util.Arrays.fill(next, at, at + 100, (byte) k);
            versions.add(next);
            regions.add(at);
        }
        Map<Long, Integer> crcs = new HashMap<>();
        for (int k = 0; k < versions.size(); k++) {
            crcs.put(Crc64.of(versions.get(k)), k);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger gets = new AtomicInteger();
        Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicReference<String> torn = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                try {
                    byte[] got = theirGet("big.bin");
                    gets.incrementAndGet();
                    Integer k = crcs.get(Crc64.of(got));
                    if (k == null) {
                        torn.compareAndSet(null, "an object of " + got.length + " bytes that is no version written");
                    } else {
                        seen.add(k);
                    }
                } catch (NoSuchKeyException notYet) {
                    // before the first upload
                }
            }
        });
        try {
            NodeId f = share.write("big.bin", versions.getFirst());
            for (int k = 1; k < versions.size(); k++) {
                int at = regions.get(k - 1);
                share.volume.write(
                        f, at, ByteBuffer.wrap(versions.get(k), at, 100).slice(), Stability.FILE_SYNC);
                if (k % 3 == 0) { // now and then let the reader see a version in the bucket
                    assertThat(share.awaitUploaded()).isTrue();
                    int before = gets.get();
                    while (gets.get() < before + 2) {
                        Thread.sleep(10);
                    }
                } else {
                    Thread.sleep(random.nextInt(400));
                }
            }
            assertThat(share.awaitUploaded()).isTrue();
            Thread.sleep(300); // the reader sees the last version too
        } finally {
            stop.set(true);
            reader.join();
        }
        assertThat(torn.get()).isNull();
        assertThat(theirGet("big.bin")).isEqualTo(versions.getLast());
        assertThat(gets.get()).isGreaterThan(5);
        assertThat(seen).as("versions the reader saw").hasSizeGreaterThan(2).contains(versions.size() - 1);
    }

    @Test
    void anotherClientsOverwriteOfAnObjectWithALocalChangeEndsWithBothVersions() throws Exception {
        share = new UploaderFixture(dir.resolve("share"), bucket, VolumeMode.CACHE, Duration.ofSeconds(60)).open();
        share.mkdirs("team");
        share.write("team/plan.md", random(4000, 1));
        assertThat(share.awaitUploaded()).isTrue();
        byte[] mine = random(4500, 2);
        share.write("team/plan.md", mine); // waits for the 60 s delay
        byte[] theirs = random(700, 3);
        theirPut("team/plan.md", theirs);
        assertThat(share.awaitUploaded()).isTrue();

        assertThat(theirGet("team/plan.md")).isEqualTo(theirs);
        List<RemoteChanges.LocalEntry> local = share.volume.remoteChanges().list("team");
        assertThat(local)
                .extracting(RemoteChanges.LocalEntry::name)
                .hasSize(2)
                .contains("plan.md")
                .anyMatch(n -> n.startsWith("plan.sgw-conflict-") && n.endsWith(".md"));
        String conflict = "team/"
                + local.stream()
                        .map(RemoteChanges.LocalEntry::name)
                        .filter(n -> n.startsWith("plan.sgw-conflict-"))
                        .findFirst()
                        .orElseThrow();
        assertThat(theirGet(conflict)).isEqualTo(mine);
        assertThat(share.read(conflict)).isEqualTo(mine);
        assertThat(share.read("team/plan.md")).isEqualTo(theirs);
        assertThat(share.uploader.backlog().conflicts()).isEqualTo(1);
    }

    @Test
    void reverseSyncShowsAnotherClientsChangesAndKeepsAnUnuploadedLocalChange() throws Exception {
        share = new UploaderFixture(dir.resolve("share"), bucket, VolumeMode.CACHE, Duration.ofSeconds(60)).open();
        share.write("gone.txt", random(100, 1));
        share.write("keep.txt", random(100, 2));
        assertThat(share.awaitUploaded()).isTrue();
        byte[] local = random(300, 3);
        share.write("keep.txt", local); // not uploaded: the delay is 60 s

        theirPut("ext/new.txt", "from elsewhere".getBytes());
        theirPut("keep.txt", "theirs".getBytes());
        other.deleteObject(DeleteObjectRequest.builder()
                .bucket(BucketServer.BUCKET)
                .key(PREFIX + "gone.txt")
                .build());
        ReverseSync sync = new ReverseSync(
                "test",
                bucket,
                share.volume.remoteChanges(),
                share.store,
                share.config.volumeId(),
                ReverseSyncSettings.defaults(),
                null);
        sync.scan();

        assertThat(share.read("ext/new.txt")).isEqualTo("from elsewhere".getBytes());
        VolumeException gone = catchThrowableOfType(VolumeException.class, () -> share.node("gone.txt"));
        assertThat(gone.error()).isEqualTo(VolumeError.NOENT);
        assertThat(share.read("keep.txt")).isEqualTo(local);

        // the local change then reaches the bucket beside theirs
        assertThat(share.awaitUploaded()).isTrue();
        assertThat(theirGet("keep.txt")).isEqualTo("theirs".getBytes());
        String conflict = share.objects().keySet().stream()
                .filter(k -> k.startsWith("keep.sgw-conflict-"))
                .findFirst()
                .orElseThrow();
        assertThat(theirGet(conflict)).isEqualTo(local);
    }

    @Test
    void aCacheFullOfDirtyDataWithTheBucketDownMakesWritersWaitThenFailWithoutLosingAcknowledgedData()
            throws Exception {
        share = new UploaderFixture(dir.resolve("share"), bucket, VolumeMode.CACHE, Duration.ZERO);
        share.cacheBytes = 2L * MIB;
        share.spaceWait = Duration.ofMillis(400);
        share.open();
        server.stop();
        Map<String, byte[]> acknowledged = new HashMap<>();
        VolumeException full = null;
        long failedAfterNanos = 0;
        for (int i = 0; i < 64 && full == null; i++) {
            byte[] data = random(2 * CHUNK, i);
            long begin = System.nanoTime();
            try {
                share.write("f" + i, data);
                acknowledged.put("f" + i, data);
            } catch (VolumeException e) {
                full = e;
                failedAfterNanos = System.nanoTime() - begin;
            }
        }
        assertThat(full).as("a writer gets no-space").isNotNull();
        assertThat(full.error()).isEqualTo(VolumeError.NOSPC);
        assertThat(TimeUnit.NANOSECONDS.toMillis(failedAfterNanos))
                .as("it waited for space first")
                .isGreaterThanOrEqualTo(350);
        assertThat(acknowledged).hasSizeGreaterThan(8);
        // the uploader's first attempts may still be waiting on the dead server: give them time to fail
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (share.uploader.backlog().failedAttempts() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(share.uploader.backlog().failedAttempts())
                .as("uploads were tried and failed")
                .isPositive();

        server.start();
        assertThat(share.awaitUploaded()).isTrue();
        Set<String> keys = new HashSet<>(share.objects().keySet());
        for (Map.Entry<String, byte[]> e : acknowledged.entrySet()) {
            assertThat(keys).contains(e.getKey());
            assertThat(theirGet(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        share.write("after", random(CHUNK, 99)); // room again: uploaded chunks are clean and evictable
    }
}
