package dev.sgw.core.file.writeback;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.BucketSync;
import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.sgw.core.file.writeback.UploaderFixture.CHUNK;
import static dev.sgw.core.file.writeback.UploaderFixture.MIB;
import static dev.sgw.core.file.writeback.UploaderFixture.changed;
import static dev.sgw.core.file.writeback.UploaderFixture.random;
import static org.assertj.core.api.Assertions.assertThat;

/** The uploader over the in-memory bucket: what reaches the bucket, when, and through failures and restarts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShareUploaderTest {
    @TempDir
    Path dir;

    final MemoryObjectStore memory = new MemoryObjectStore();
    final CountingObjectStore bucket = new CountingObjectStore(memory);
    UploaderFixture share;

    @AfterEach
    void close() throws IOException {
        if (share != null) {
            share.close();
        }
    }

    private UploaderFixture open(Duration delay) throws IOException {
        share = new UploaderFixture(dir, bucket, VolumeMode.SYNC, delay).open();
        return share;
    }

    @Test
    void filesLinksDirectoriesRenamesAndRemovalsEndUpExactlyInTheBucket() throws Exception {
        open(Duration.ZERO);
        var v = share.volume;
        share.mkdirs("docs/sub");
        byte[] a = random(3 * CHUNK + 17, 1);
        byte[] big = random(12 * MIB + 100, 2);
        byte[] x = random(1000, 3);
        NodeId af = share.write("docs/a.txt", a);
        v.setattr(af, new SetAttributes(0640, 1000, 100, null, null, 1_700_000_000_123_456_789L));
        share.write("big.bin", big);
        share.write("docs/sub/x.txt", x);
        share.write("empty", new byte[0]);
        v.link(af, share.node("docs"), "a-link.txt");
        v.symlink(share.node("docs"), "l", "a.txt", SetAttributes.NONE);
        assertThat(share.awaitUploaded()).isTrue();
        assertThat(share.objects().keySet())
                .containsExactlyInAnyOrder(
                        "docs/",
                        "docs/sub/",
                        "docs/a.txt",
                        "docs/a-link.txt",
                        "docs/l",
                        "docs/sub/x.txt",
                        "big.bin",
                        "empty");

        v.rename(share.node("docs"), "a.txt", share.node("docs"), "b.txt");
        v.rename(share.node("docs"), "sub", v.root(), "moved");
        v.remove(v.root(), "empty");
        assertThat(share.awaitUploaded()).isTrue();

        Map<String, ObjectInfo> objects = share.objects();
        assertThat(objects.keySet())
                .containsExactlyInAnyOrder(
                        "docs/", "moved/", "docs/b.txt", "docs/a-link.txt", "docs/l", "moved/x.txt", "big.bin");
        assertThat(share.object("docs/b.txt")).isEqualTo(a);
        assertThat(share.object("docs/a-link.txt")).isEqualTo(a);
        assertThat(share.object("moved/x.txt")).isEqualTo(x);
        assertThat(share.object("big.bin")).isEqualTo(big);
        assertThat(objects.get("big.bin").etag()).as("a multipart object").endsWith("-3");
        Map<String, String> meta = bucket.head("docs/b.txt").userMetadata();
        assertThat(BucketLayout.mode(meta)).hasValue(0640);
        assertThat(BucketLayout.uid(meta)).hasValue(1000);
        assertThat(BucketLayout.gid(meta)).hasValue(100);
        assertThat(BucketLayout.mtime(meta)).hasValue(1_700_000_000_123_456_789L);
        assertThat(BucketLayout.symlinkTarget(bucket.head("docs/l").userMetadata()))
                .isEqualTo("a.txt");
        assertThat(BucketLayout.mode(bucket.head("moved/").userMetadata())).hasValue(0755);
        assertThat(share.objects().get("docs/l").size()).isZero();

        // one chunk of the large file changes: one part is sent, the other two are copied in the bucket
        bucket.reset();
        byte[] big2 = changed(big, 6 * MIB + 5, 10, (byte) 7);
        share.write("big.bin", 6 * MIB + 5, java.util.Arrays.copyOfRange(big2, 6 * MIB + 5, 6 * MIB + 15));
        assertThat(share.awaitUploaded()).isTrue();
        assertThat(share.object("big.bin")).isEqualTo(big2);
        assertThat(bucket.calls("uploadPart")).isEqualTo(1);
        assertThat(bucket.calls("uploadPartCopy")).isEqualTo(2);
        BucketSync.Backlog backlog = v.bucketSync().backlog();
        assertThat(backlog.pendingItems()).isZero();
        assertThat(backlog.uploadedBytes()).isGreaterThan(big.length + big2.length - 1);
        assertThat(backlog.conflicts()).isZero();
    }

    @Test
    void renamesRemovalsAndNewFilesOnTheSamePathsApplyInJournalOrder() throws Exception {
        open(Duration.ZERO);
        var v = share.volume;
        for (int round = 0; round < 5; round++) {
            String x = "x" + round;
            String y = "y" + round;
            byte[] a1 = random(3000, round);
            byte[] c1 = random(4000, 100 + round);
            share.mkdirs(x);
            share.mkdirs(y);
            share.write(x + "/a", a1);
            share.write(y + "/c", c1);
            assertThat(share.awaitUploaded()).isTrue();

            byte[] a2 = random(3100, 200 + round);
            byte[] c2 = random(4100, 300 + round);
            v.rename(share.node(x), "a", share.node(x), "b");
            share.write(x + "/a", a2);
            v.rename(v.root(), y, v.root(), "z" + round);
            share.mkdirs(y);
            share.write(y + "/c", c2);
            v.remove(share.node(x), "b");
            share.write(x + "/b", a1);
            assertThat(share.awaitUploaded()).isTrue();

            assertThat(share.object(x + "/a")).as("round %d", round).isEqualTo(a2);
            assertThat(share.object(x + "/b")).isEqualTo(a1);
            assertThat(share.object(y + "/c")).isEqualTo(c2);
            assertThat(share.object("z" + round + "/c")).isEqualTo(c1);
        }
        assertThat(share.objects().keySet()).hasSize(5 * 7);
        assertThat(share.uploader.backlog().conflicts()).isZero();
    }

    @Test
    void aFileIsUploadedOnlyOnceQuietForTheDelayUnlessUploadNowIsCalled() throws Exception {
        Duration delay = Duration.ofMillis(1500);
        open(delay);
        long start = System.nanoTime();
        int version = 0;
        while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(3000)) {
            share.write("hot.txt", random(5000, version++));
            assertThat(share.objects())
                    .as("written %d ms ago", delay.toMillis())
                    .doesNotContainKey("hot.txt");
            Thread.sleep(100);
        }
        byte[] last = random(5000, version - 1);
        long quietFrom = System.nanoTime();
        while (!share.objects().containsKey("hot.txt")) {
            assertThat(System.nanoTime() - quietFrom).isLessThan(TimeUnit.SECONDS.toNanos(5));
            Thread.sleep(20);
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - quietFrom);
        assertThat(waited).as("uploaded after the delay").isBetween(delay.toMillis() - 200, delay.toMillis() + 2000);
        assertThat(share.object("hot.txt")).isEqualTo(last);

        share.write("now.txt", random(10, 1));
        share.uploader.uploadNow();
        long asked = System.nanoTime();
        while (!share.objects().containsKey("now.txt")) {
            assertThat(System.nanoTime() - asked)
                    .as("uploadNow does not wait for the delay")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(delay.toMillis() - 300));
            Thread.sleep(10);
        }
    }

    @Test
    void aChangeRightAfterAnUploadWaitsForTheDelayAgain() throws Exception {
        open(Duration.ofSeconds(60));
        for (int i = 0; i < 20; i++) {
            byte[] first = random(500, i);
            share.write("f", first);
            assertThat(share.awaitUploaded()).isTrue();
            share.write("f", random(500, 1000 + i)); // journaled before its ctime changes
            Thread.sleep(30);
            assertThat(share.object("f")).as("round %d", i).isEqualTo(first);
        }
    }

    @Test
    void anOutageIsRetriedWithBackoffAndNothingIsLost() throws Exception {
        open(Duration.ZERO);
        bucket.down = true;
        for (int i = 0; i < 20; i++) {
            share.write("f" + i, random(100 + i, i));
        }
        assertThat(share.uploader.awaitUploaded(Duration.ofSeconds(2))).isFalse();
        // the backlog counts every file while the bucket is down, and the bytes of those attempted so far (on a
        // busy machine the growing backoff may leave some unattempted for long: the count never goes beyond them)
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        BucketSync.Backlog during = share.uploader.backlog();
        while ((during.failedAttempts() == 0 || during.pendingBytes() != 20 * 100 + 190)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
            during = share.uploader.backlog();
        }
        assertThat(during.failedAttempts()).isPositive();
        assertThat(during.pendingItems()).isEqualTo(20);
        assertThat(during.pendingBytes()).isPositive().isLessThanOrEqualTo(20 * 100 + 190);
        bucket.down = false;
        assertThat(share.awaitUploaded()).isTrue();
        for (int i = 0; i < 20; i++) {
            assertThat(share.object("f" + i)).isEqualTo(random(100 + i, i));
        }
    }

    @Test
    void closeLeavesWhatIsNotUploadedInTheJournalAndTheNextStartResumesIt() throws Exception {
        open(Duration.ofSeconds(60)); // nothing is due before the close
        share.mkdirs("d");
        for (int i = 0; i < 5; i++) {
            share.write("d/f" + i, random(2 * CHUNK, i));
        }
        assertThat(share.volume.bucketSync().backlog().pendingItems()).isEqualTo(6);
        share.close();
        assertThat(share.objects()).isEmpty();
        share.config = share.config.withUploadDelay(Duration.ZERO);
        share.open();
        assertThat(share.awaitUploaded()).isTrue();
        assertThat(share.objects()).hasSize(6);
        for (int i = 0; i < 5; i++) {
            assertThat(share.object("d/f" + i)).isEqualTo(random(2 * CHUNK, i));
        }
    }

    @Test
    void anotherWritersChangeMeetsALocalChangeAsAConflictCopy() throws Exception {
        open(Duration.ZERO);
        share.write("report.txt", random(3000, 1));
        assertThat(share.awaitUploaded()).isTrue();
        share.uploader.close(); // hold the local change back while the other writer writes
        byte[] mine = random(3000, 2);
        share.write("report.txt", mine);
        memory.put("report.txt", ObjectBody.of(new byte[] {1, 2, 3}), PutOptions.withMetadata(Map.of()));
        share.uploader = ShareUploader.start(share.volume, bucket, share.settings, null);
        assertThat(share.awaitUploaded()).isTrue();

        assertThat(share.object("report.txt")).containsExactly(1, 2, 3);
        String conflictKey = share.objects().keySet().stream()
                .filter(k -> k.startsWith("report.sgw-conflict-"))
                .findFirst()
                .orElseThrow();
        assertThat(conflictKey).endsWith(".txt");
        assertThat(share.object(conflictKey)).isEqualTo(mine);
        assertThat(share.uploader.backlog().conflicts()).isEqualTo(1);
        assertThat(share.read(conflictKey)).isEqualTo(mine);
        assertThat(share.read("report.txt")).containsExactly(1, 2, 3);
    }

    @Test
    void birthTimeAndDosAttributesTravelInTheObjectAndComeBackInAShareRebuiltFromTheBucket() throws Exception {
        open(Duration.ZERO);
        var v = share.volume;
        share.mkdirs("docs");
        NodeId f = share.write("docs/a.txt", random(1000, 4));
        long btime = 1_600_000_000_123_456_700L;
        DosAttributes hiddenArchive = new DosAttributes(DosAttributes.HIDDEN | DosAttributes.ARCHIVE);
        v.setattr(f, SetAttributes.NONE.withTimes(null, null, null, btime).withDosAttributes(hiddenArchive));
        v.setattr(share.node("docs"), SetAttributes.dos(new DosAttributes(DosAttributes.SYSTEM)));
        assertThat(share.awaitUploaded()).isTrue();

        Map<String, String> meta = bucket.head("docs/a.txt").userMetadata();
        assertThat(meta).containsEntry(BucketLayout.BTIME, "1600000000123456700");
        assertThat(meta).containsEntry(BucketLayout.DOS_ATTRIBUTES, "0x22");
        assertThat(BucketLayout.dosAttributes(bucket.head("docs/").userMetadata()))
                .hasValue(DosAttributes.SYSTEM);

        // a share rebuilt from the bucket alone, as reverse sync imports it
        try (UploaderFixture rebuilt =
                new UploaderFixture(dir.resolve("rebuilt"), bucket, VolumeMode.CACHE, Duration.ZERO)) {
            rebuilt.openShare();
            ObjectInfo file = bucket.head("docs/a.txt");
            rebuilt.volume.remoteChanges().objectSeen("docs/a.txt", file.etag(), file.size(), 1L);
            FileAttributes a = rebuilt.volume.lookup(rebuilt.node("docs"), "a.txt");
            assertThat(a.btime()).isEqualTo(btime);
            assertThat(a.dosAttributes()).isEqualTo(hiddenArchive);
            assertThat(a.mtime()).isEqualTo(v.getattr(f).mtime());
        }
    }

    @Test
    void aDeallocatedRangeReachesTheBucketAsZeros() throws Exception {
        open(Duration.ZERO);
        byte[] data = random(3 * CHUNK + 10, 5);
        NodeId f = share.write("z.bin", data);
        assertThat(share.awaitUploaded()).isTrue();
        FileAttributes a = share.volume.deallocate(f, CHUNK - 5, CHUNK + 10);
        assertThat(a.size()).isEqualTo(data.length);
        assertThat(share.awaitUploaded()).isTrue();
        byte[] expected = data.clone();
        java.util.Arrays.fill(expected, CHUNK - 5, 2 * CHUNK + 5, (byte) 0);
        assertThat(share.object("z.bin")).isEqualTo(expected);
    }
}
