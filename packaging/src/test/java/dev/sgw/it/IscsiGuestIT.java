package dev.sgw.it;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Linux kernel's iSCSI initiator (open-iscsi, in the test guest) on an external target given by
 * {@code -Dsgw.it.iscsi.url=iscsi://127.0.0.1:PORT/IQN/LUN}: {@code vm/guest/iscsi.sh} formats the LUN with
 * ext4, runs the file system checks and keeps files, then a second boot logs in again and finds the file
 * system clean and the kept files intact. Skipped without a target. DESTROYS the LUN's data.
 */
class IscsiGuestIT {

    @Test
    void theKernelInitiatorFormatsTheLunAndFindsItsFilesAgainInANewSession() throws Exception {
        Optional<IscsiUrl> target = IscsiUrl.external();
        assumeTrue(target.isPresent(), "no target: set -Dsgw.it.iscsi.url=iscsi://127.0.0.1:PORT/IQN/LUN");
        IscsiUrl url = target.get();
        Map<String, String> env = new HashMap<>(Map.of(
                "ISCSI_IQN",
                url.iqn(),
                "ISCSI_PORT",
                Integer.toString(url.port()),
                "ISCSI_LUN",
                Integer.toString(url.lun())));
        if (url.hasChap()) {
            env.put("CHAP_USER", url.user());
            env.put("CHAP_PASS", url.password());
        }

        env.put("ISCSI_PHASE", "format");
        GuestVm.Result format = GuestVm.run(TestTools.script("vm/guest/iscsi.sh"), env, url.port());
        env.put("ISCSI_PHASE", "verify");
        GuestVm.Result verify = GuestVm.run(TestTools.script("vm/guest/iscsi.sh"), env, url.port());

        assertThat(format.failures()).as("format run").isEmpty();
        assertThat(format.exitStatus()).as("format run:\n%s", format.console()).isZero();
        assertThat(format.tally())
                .as("format run")
                .hasValueSatisfying(t -> assertThat(t.passed()).isGreaterThanOrEqualTo(20));
        assertThat(format.console())
                .contains(
                        "PASS iscsi-ext4: 64 MiB round trip",
                        "PASS fstrim (UNMAP)",
                        "PASS fsck.ext4 -fn finds the file system clean");
        assertThat(verify.failures()).as("verify run").isEmpty();
        assertThat(verify.exitStatus()).as("verify run:\n%s", verify.console()).isZero();
        assertThat(verify.console()).contains("PASS the kept file and tree are intact");
    }
}
