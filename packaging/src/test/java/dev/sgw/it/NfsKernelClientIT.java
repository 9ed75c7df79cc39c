package dev.sgw.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Linux kernel's NFS client (in the test guest, {@code vm/guest/nfs.sh}) on the demo share of
 * {@code sgw demo}: every check over NFSv3 and NFSv4.1; and over NFSv3, a mount that outlives the gateway:
 * the gateway is killed with SIGKILL and started again on the same port while the guest keeps the share
 * mounted and a file open, the guest then reads that file through the handle it had; and an object put into
 * the bucket with an S3 client after the restart shows up in the mount (the demo share's reverse sync looks
 * at the bucket every {@code DemoSetup.REVERSE_SYNC_SECONDS}).
 */
class NfsKernelClientIT {

    private static final String SYNCED = "put-through-s3.bin";

    @Test
    void theKernelClientPassesItsChecksOverNfs3AndNfs41(@TempDir Path dir) throws Exception {
        TestTools.requireGuest();
        try (DemoGateway demo = DemoGateway.start(dir.resolve("demo"))) {
            NfsChecks.kernelClientChecks(NfsUrl.demo(demo.port("NFS_PORT")), "3 4.1");
        }
    }

    @Test
    void fileHandlesOutliveAGatewayRestartAndAnObjectPutIntoTheBucketAppears(@TempDir Path dir) throws Exception {
        TestTools.requireGuest();
        TestTools.require("nfs-ls");
        TestTools.require("nfs-cp");
        Path data = dir.resolve("demo");
        byte[] synced = new byte[(1 << 20) + 123];
        new Random(7).nextBytes(synced);
        Path marker = Files.writeString(dir.resolve("marker"), "restarted\n");
        GuestVm.Result result;
        try (ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<GuestVm.Result> guest = null;
            try {
                int port;
                try (DemoGateway demo = DemoGateway.start(data)) {
                    port = demo.port("NFS_PORT");
                    NfsUrl share = NfsUrl.demo(port);
                    Map<String, String> env = new HashMap<>(share.guestEnv());
                    env.putAll(Map.of(
                            "NFS_PHASE",
                            "restart",
                            "NFS_VERS",
                            "3",
                            "NFS_WAIT",
                            "300",
                            "NFS_SYNCED_NAME",
                            SYNCED,
                            "NFS_SYNCED_SHA256",
                            NfsChecks.sha256(synced)));
                    guest = background.submit(() -> GuestVm.run(
                            NfsChecks.GUEST_TIMEOUT, TestTools.script("vm/guest/nfs.sh"), env, share.ports()));
                    awaitGuestReady(share, guest);
                    demo.kill();
                }
                try (DemoGateway demo = DemoGateway.start(data, "--nfs-port", Integer.toString(port))) {
                    assertThat(demo.port("NFS_PORT")).isEqualTo(port);
                    try (S3Client s3 = demo.s3()) {
                        s3.putObject(
                                b -> b.bucket(demo.env("S3_BUCKET")).key("demo/" + SYNCED),
                                RequestBody.fromBytes(synced));
                    }
                    LibNfs.copy(marker.toString(), NfsUrl.demo(port).file("host-restarted"));
                    result = guest.get(NfsChecks.GUEST_TIMEOUT.plusMinutes(1).toMillis(), TimeUnit.MILLISECONDS);
                }
            } finally {
                if (guest != null) {
                    guest.cancel(true); // stops the guest when the test failed before it finished
                }
            }
        }

        assertThat(result.failures()).as(result.console()).isEmpty();
        assertThat(result.exitStatus()).as(result.console()).isZero();
        assertThat(result.console())
                .contains(
                        "PASS the host restarted the server",
                        "PASS read the kept file through the descriptor opened before the restart",
                        "PASS read the kept file by its path after the restart",
                        "PASS " + SYNCED + ", put into the bucket by the host, appears with its bytes");
    }

    /** Waits until the guest created guest-ready in the share's root (it mounted, wrote and opened its file). */
    private static void awaitGuestReady(NfsUrl share, Future<GuestVm.Result> guest) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (guest.isDone()) {
                GuestVm.Result early = guest.get();
                throw new AssertionError("the guest ended before it was ready:\n" + early.console());
            }
            if (LibNfs.list(share).stream().anyMatch(e -> e.name().equals("guest-ready"))) {
                return;
            }
            Thread.sleep(Duration.ofSeconds(1));
        }
        throw new AssertionError("the guest did not create guest-ready in " + share + " within 5 minutes");
    }
}
