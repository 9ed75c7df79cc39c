package dev.sgw.it;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * fio's libiscsi engine on an external target given by {@code -Dsgw.it.iscsi.url=iscsi://127.0.0.1:PORT/IQN/LUN}:
 * random writes read back and verified block by block, a verify that must fail, and the benchmark's job
 * file. Skipped without a target, or with CHAP (which fio's engine does not do). Overwrites the start of the LUN.
 */
class FioIscsiIT {

    private static final long SIXTY_FOUR_MIB = 64L << 20;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private String url;

    @BeforeEach
    void target() {
        Optional<IscsiUrl> target = IscsiUrl.external();
        assumeTrue(target.isPresent(), "no target: set -Dsgw.it.iscsi.url=iscsi://127.0.0.1:PORT/IQN/LUN");
        assumeFalse(target.get().hasChap(), "fio's libiscsi engine does not log in with CHAP");
        url = target.get().toString();
    }

    @Test
    void randomWritesReadBackIntact() throws Exception {
        Fio.Report report = Fio.onIscsi(
                url,
                TIMEOUT,
                "--rw=randwrite",
                "--bs=4k",
                "--iodepth=16",
                "--size=64m",
                "--verify=crc32c",
                "--do_verify=1",
                "--verify_fatal=1");

        Fio.Job job = report.job("job");
        assertThat(report.exitStatus()).as(report.output()).isZero();
        assertThat(job.error()).isZero();
        assertThat(job.write().ioBytes()).isEqualTo(SIXTY_FOUR_MIB);
        assertThat(job.read().ioBytes()).as("the verify pass reads every block").isEqualTo(SIXTY_FOUR_MIB);
        assertThat(job.write().iops()).isPositive();
    }

    @Test
    void blocksThatDoNotHoldWhatWasWrittenFailTheVerify() throws Exception {
        Fio.Report write = Fio.onIscsi(
                url,
                TIMEOUT,
                "--rw=write",
                "--bs=64k",
                "--iodepth=8",
                "--size=8m",
                "--verify=pattern",
                "--verify_pattern=0x5a",
                "--do_verify=0");
        Fio.Report verify = Fio.onIscsi(
                url,
                TIMEOUT,
                "--rw=write",
                "--bs=64k",
                "--iodepth=8",
                "--size=8m",
                "--verify=pattern",
                "--verify_pattern=0xa5",
                "--verify_only",
                "--verify_fatal=1");

        assertThat(write.exitStatus()).as(write.output()).isZero();
        assertThat(verify.exitStatus()).isNotZero();
        assertThat(verify.job("job").error()).as("EILSEQ").isEqualTo(84);
        assertThat(verify.output()).contains("verify failed");
    }

    @Test
    void theBenchmarkJobsRunOnTheLibiscsiEngine() throws Exception {
        Fio.Report report = Fio.jobFile(
                TestTools.repository().resolve("bench/iscsi-compare.fio"),
                Map.of("ISCSI_FILENAME", Fio.iscsiFilename(url), "RUNTIME", "2"),
                TIMEOUT,
                "--section=randread-4k-qd16");

        Fio.Job job = report.job("randread-4k-qd16");
        assertThat(report.exitStatus()).as(report.output()).isZero();
        assertThat(job.error()).isZero();
        assertThat(job.read().iops()).isPositive();
        assertThat(job.write().ios()).isZero();
    }
}
