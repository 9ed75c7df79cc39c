package dev.sgw.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client checks the NFS integration tests run on an export, sgw's demo share or an external server: a
 * file copied in and out with libnfs's tools, fio's nfs engine writing and verifying, the benchmark's job
 * file, and the Linux kernel client in the test guest ({@code vm/guest/nfs.sh}).
 */
final class NfsChecks {

    static final Duration FIO_TIMEOUT = Duration.ofMinutes(4);
    /** The kernel client's checks over two versions take about 2.5 minutes against nfs-ganesha under TCG. */
    static final Duration GUEST_TIMEOUT = Duration.ofMinutes(15);

    private NfsChecks() {}

    /**
     * Copies {@code size} random bytes into the export's root as {@code name} with {@code nfs-cp}, copies
     * them back, and checks that they are the same and that {@code nfs-ls} lists the file with its size.
     * Returns the bytes.
     */
    static byte[] copyInAndOut(NfsUrl export, Path dir, String name, int size)
            throws IOException, InterruptedException {
        byte[] data = new byte[size];
        new Random(name.hashCode()).nextBytes(data);
        Path source = dir.resolve(name + ".source");
        Path back = dir.resolve(name + ".back");
        Files.write(source, data);

        LibNfs.copy(source.toString(), export.file(name));
        LibNfs.copy(export.file(name), back.toString());

        assertThat(sha256(Files.readAllBytes(back)))
                .as("sha256 of what nfs-cp read back")
                .isEqualTo(sha256(data));
        assertThat(LibNfs.list(export)).as("nfs-ls %s", export).contains(new LibNfs.Entry('-', size, name));
        Files.delete(source);
        Files.delete(back);
        return data;
    }

    /**
     * fio's nfs engine lays out a 32 MiB {@code file} (1 MiB writes, 8 in flight), overwrites it in random 4 KiB
     * blocks (16 in flight) with checksums, then a second run reads every block back and verifies it, and one
     * that expects another pattern must fail. (The engine cannot sync, so the verify is a run of its own; the
     * I/Os still in flight when a job ends fail and are not counted: hence "at least" below.)
     */
    static void fioWritesAndVerifies(NfsUrl export, String file) throws IOException, InterruptedException {
        String[] randomWrite = {"--rw=randwrite", "--bs=4k", "--iodepth=16", "--size=32m", "--verify_fatal=1"};
        long endOfJob = 16 * 4096;

        Fio.Report layout = Fio.onNfs(export, file, FIO_TIMEOUT, "--rw=write", "--bs=1m", "--iodepth=8", "--size=32m");
        Fio.Report written =
                Fio.onNfs(export, file, FIO_TIMEOUT, with(randomWrite, "--verify=crc32c", "--do_verify=0"));
        Fio.Report verified =
                Fio.onNfs(export, file, FIO_TIMEOUT, with(randomWrite, "--verify=crc32c", "--verify_only"));
        Fio.Report wrong = Fio.onNfs(
                export,
                file,
                FIO_TIMEOUT,
                with(randomWrite, "--verify=pattern", "--verify_pattern=0xa5", "--verify_only"));

        assertThat(layout.exitStatus()).as(layout.output()).isZero();
        assertThat(layout.job("job").write().ioBytes()).isGreaterThanOrEqualTo((32L << 20) - (8L << 20));
        assertThat(written.exitStatus()).as(written.output()).isZero();
        assertThat(written.job("job").error()).isZero();
        assertThat(written.job("job").write().ioBytes()).isGreaterThanOrEqualTo((32L << 20) - endOfJob);
        assertThat(verified.exitStatus()).as("verify:\n%s", verified.output()).isZero();
        assertThat(verified.job("job").error()).isZero();
        assertThat(verified.job("job").read().ioBytes())
                .as("every block read back")
                .isGreaterThanOrEqualTo((32L << 20) - endOfJob);
        assertThat(wrong.exitStatus())
                .as("a verify for another pattern:\n%s", wrong.output())
                .isNotZero();
        assertThat(wrong.job("job").error()).as("EILSEQ").isEqualTo(84);
    }

    /** bench/nfs-compare.fio's layout job, then its 4 KiB random reads for 2 s, on a 64 MiB file (at least 56 MiB laid out, as above). */
    static void benchmarkJobsRun(NfsUrl export, String file) throws IOException, InterruptedException {
        Path jobs = TestTools.repository().resolve("bench/nfs-compare.fio");
        Map<String, String> env = Map.of("NFS_URL", export.toString(), "NFS_FILE", file, "SIZE", "64m", "RUNTIME", "2");

        Fio.Report layout = Fio.jobFile(jobs, env, FIO_TIMEOUT, "--section=layout");
        Fio.Report reads = Fio.jobFile(jobs, env, FIO_TIMEOUT, "--section=randread-4k-qd16");

        assertThat(layout.exitStatus()).as(layout.output()).isZero();
        assertThat(layout.job("layout").write().ioBytes()).isGreaterThanOrEqualTo((64L << 20) - (8L << 20));
        assertThat(reads.exitStatus()).as(reads.output()).isZero();
        assertThat(reads.job("randread-4k-qd16").error()).isZero();
        assertThat(reads.job("randread-4k-qd16").read().iops()).isPositive();
        assertThat(reads.job("randread-4k-qd16").write().ios()).isZero();
    }

    /** {@code vm/guest/nfs.sh}'s checks for each of {@code versions} (e.g. {@code "3 4.1"}); none may fail. */
    static GuestVm.Result kernelClientChecks(NfsUrl export, String versions) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(export.guestEnv());
        env.put("NFS_VERS", versions);
        GuestVm.Result result = GuestVm.run(GUEST_TIMEOUT, TestTools.script("vm/guest/nfs.sh"), env, export.ports());

        assertThat(result.failures()).as(result.console()).isEmpty();
        assertThat(result.exitStatus()).as(result.console()).isZero();
        assertThat(result.tally()).as("the guest's tally").hasValueSatisfying(t -> {
            assertThat(t.failed()).isZero();
            assertThat(t.passed()).isGreaterThanOrEqualTo(1 + 25 * versions.split(" ").length);
        });
        for (String version : versions.split(" ")) {
            assertThat(result.console())
                    .contains(
                            "PASS nfs" + version + ": unpack a tarball, equal to the originals byte for byte",
                            "PASS nfs" + version + ": 64 MiB round trip",
                            "PASS nfs" + version + ": byte-range locks, shared and exclusive");
        }
        return result;
    }

    private static String[] with(String[] options, String... more) {
        List<String> all = new ArrayList<>(List.of(options));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
