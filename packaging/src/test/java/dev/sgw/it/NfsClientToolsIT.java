package dev.sgw.it;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sgw's NFSv3 server through user-space clients, on the demo share of {@code sgw demo} (MOUNT on the NFS
 * port): a 64 MiB file copied in and out with libnfs's nfs-cp comes back intact, nfs-ls lists it, and it
 * reaches the embedded bucket as one object of the same bytes under the share's prefix ({@code demo/NAME});
 * fio's nfs engine verifies every block it wrote, and the benchmark's job file runs.
 */
class NfsClientToolsIT {

    private static final int SIXTY_FOUR_MIB = 64 << 20;

    @Test
    void aFileCopiedInComesBackIntactIsListedAndReachesTheBucketAsOneObject(@TempDir Path dir) throws Exception {
        TestTools.require("nfs-cp");
        TestTools.require("nfs-ls");
        try (DemoGateway demo = DemoGateway.start(dir.resolve("demo"))) {
            byte[] data =
                    NfsChecks.copyInAndOut(NfsUrl.demo(demo.port("NFS_PORT")), dir, "random-64m.bin", SIXTY_FOUR_MIB);

            try (S3Client s3 = demo.s3()) {
                String bucket = demo.env("S3_BUCKET");
                long deadline =
                        System.nanoTime() + TimeUnit.MINUTES.toNanos(2); // the share's upload delay, then the upload
                long uploaded = -1;
                while (uploaded != SIXTY_FOUR_MIB && System.nanoTime() < deadline) {
                    try {
                        uploaded = s3.headObject(b -> b.bucket(bucket).key("demo/random-64m.bin"))
                                .contentLength();
                    } catch (NoSuchKeyException notYet) {
                        uploaded = -1;
                    }
                    Thread.sleep(500);
                }
                assertThat(uploaded)
                        .as("size of the object demo/random-64m.bin")
                        .isEqualTo(SIXTY_FOUR_MIB);
                byte[] object = s3.getObjectAsBytes(b -> b.bucket(bucket).key("demo/random-64m.bin"))
                        .asByteArray();
                assertThat(NfsChecks.sha256(object)).as("sha256 of the object").isEqualTo(NfsChecks.sha256(data));
            }
        }
    }

    @Test
    void fioVerifiesWhatItWroteAndTheBenchmarkJobsRun(@TempDir Path dir) throws Exception {
        TestTools.requireFio();
        try (DemoGateway demo = DemoGateway.start(dir.resolve("demo"))) {
            NfsUrl share = NfsUrl.demo(demo.port("NFS_PORT"));

            NfsChecks.fioWritesAndVerifies(share, "fio-verify.dat");
            NfsChecks.benchmarkJobsRun(share, "nfs-compare.dat");
        }
    }
}
