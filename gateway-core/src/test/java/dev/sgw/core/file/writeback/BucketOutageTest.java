package dev.sgw.core.file.writeback;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.sgw.core.file.writeback.UploaderFixture.random;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Promise 2 for file shares: the bucket (S3Proxy) stops for {@link #OUTAGE} while clients keep writing
 * through the share; no error reaches them (the cache has room), and once the server is back on the same
 * port the uploads resume and everything written arrives, byte for byte.
 */
class BucketOutageTest {
    /** How long the bucket is down: the gateway must ride out at least 30 s. */
    static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 75, unit = TimeUnit.SECONDS)
    void writesGoOnThroughAnOutageAndReachTheBucketAfterIt() throws Exception {
        try (BucketServer server = new BucketServer(dir.resolve("s3"));
                ObjectStore bucket = server.store("out/")) {
            UploaderFixture share =
                    new UploaderFixture(dir.resolve("share"), bucket, VolumeMode.CACHE, Duration.ZERO).open();
            try {
                Map<String, byte[]> written = new LinkedHashMap<>();
                share.mkdirs("logs");
                for (int i = 0; i < 5; i++) {
                    written.put("logs/before" + i, random(20_000, i));
                    share.write("logs/before" + i, written.get("logs/before" + i));
                }
                assertThat(share.awaitUploaded()).isTrue();

                server.stop();
                long down = System.nanoTime();
                int i = 0;
                while (System.nanoTime() - down < OUTAGE.toNanos()) {
                    String path = "logs/during" + i;
                    written.put(path, random(20_000 + i, 100 + i));
                    share.write(path, written.get(path)); // never fails: the cache has room
                    i++;
                    Thread.sleep(100);
                }
                assertThat(share.uploader.backlog().pendingItems()).isEqualTo(i);
                assertThat(share.uploader.backlog().failedAttempts()).isPositive();
                server.start();
                assertThat(share.uploader.awaitUploaded(Duration.ofSeconds(30))).isTrue();
                assertThat(share.objects().keySet()).hasSize(written.size() + 1); // and "logs/"
                for (Map.Entry<String, byte[]> e : written.entrySet()) {
                    assertThat(share.object(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
                }
            } finally {
                share.close();
            }
        }
    }
}
