package dev.sgw.it;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Linux kernel's iSCSI initiator (open-iscsi in the test guest) on the demo volume of {@code sgw demo}:
 * log in, mkfs.ext4, mount, file checks, fstrim (UNMAP), fsck clean, logout; then the gateway is stopped
 * and started again and a second boot finds the file system clean and its files intact.
 */
class IscsiKernelInitiatorIT {

    @Test
    void ext4OnTheDemoVolumeSurvivesAGatewayRestart(@TempDir Path dir) throws Exception {
        TestTools.requireGuest();
        Path guestScript = TestTools.script("vm/guest/iscsi.sh");
        Path data = dir.resolve("demo");
        GuestVm.Result format;
        try (DemoGateway demo = DemoGateway.start(data)) {
            format = GuestVm.run(guestScript, env(demo, "format"), demo.port("ISCSI_PORT"));
        }
        assertThat(format.failures()).as("format run:\n%s", format.console()).isEmpty();
        assertThat(format.exitStatus()).as("format run:\n%s", format.console()).isZero();
        assertThat(format.console())
                .contains(
                        "PASS iscsi-ext4: 64 MiB round trip",
                        "PASS fstrim (UNMAP)",
                        "PASS fsck.ext4 -fn finds the file system clean");

        GuestVm.Result verify;
        try (DemoGateway demo = DemoGateway.start(data)) {
            verify = GuestVm.run(guestScript, env(demo, "verify"), demo.port("ISCSI_PORT"));
        }
        assertThat(verify.failures()).as("verify run:\n%s", verify.console()).isEmpty();
        assertThat(verify.exitStatus()).as("verify run:\n%s", verify.console()).isZero();
        assertThat(verify.console()).contains("PASS the kept file and tree are intact");
    }

    private static Map<String, String> env(DemoGateway demo, String phase) {
        Map<String, String> env = new HashMap<>();
        env.put("ISCSI_IQN", demo.env("ISCSI_TARGET"));
        env.put("ISCSI_PORT", demo.env("ISCSI_PORT"));
        env.put("ISCSI_LUN", "0");
        env.put("ISCSI_PHASE", phase);
        return env;
    }
}
