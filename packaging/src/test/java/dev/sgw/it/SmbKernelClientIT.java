package dev.sgw.it;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Linux kernel's SMB client (cifs, in the test guest, {@code vm/guest/smb.sh}) on the demo share of
 * {@code sgw demo}: the file system checks and a tarball round trip over SMB 2.0, 2.1, 3.0 and 3.1.1, and a
 * 3.1.1 mount with encryption (seal). Skipped when the gateway has no SMB listener; runs against another
 * server when {@link SmbTarget#external()} names one.
 */
class SmbKernelClientIT {

    /** Four dialects and a sealed mount take about three minutes against Samba under TCG. */
    private static final Duration GUEST_TIMEOUT = Duration.ofMinutes(15);

    @Test
    void theKernelClientPassesItsChecksOverEveryDialectAndSealed(@TempDir Path dir) throws Exception {
        TestTools.requireGuest();
        TestTools.require("mount.cifs");
        var external = SmbTarget.external();
        if (external.isPresent()) {
            check(external.get());
            return;
        }
        try (DemoGateway demo = DemoGateway.start(dir.resolve("demo"))) {
            check(SmbTarget.demo(demo));
        }
    }

    private static void check(SmbTarget share) throws Exception {
        GuestVm.Result result =
                GuestVm.run(GUEST_TIMEOUT, TestTools.script("vm/guest/smb.sh"), share.guestEnv(), share.port());

        assertThat(result.failures()).as(result.console()).isEmpty();
        assertThat(result.exitStatus()).as(result.console()).isZero();
        assertThat(result.console())
                .as("every dialect and the sealed mount ran their checks")
                .contains(
                        "PASS smb2.0: tar copy compared with diff -r",
                        "PASS smb2.1: tar copy compared with diff -r",
                        "PASS smb3.0: tar copy compared with diff -r",
                        "PASS smb3.1.1: unpack a tarball, equal to the originals",
                        "PASS smb3.1.1 seal: 64 MiB round trip by sha256 after dropping caches",
                        "PASS smb3.1.1-seal: unpack a tarball, equal to the originals");
    }
}
