package dev.sgw.it;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The NFS client checks on an external server given by
 * {@code -Dsgw.it.nfs.url=nfs://127.0.0.1/EXPORT?version=3&nfsport=PORT&mountport=PORT}, e.g. the reference
 * server {@code scripts/test-tools/ganesha.sh} starts, to show that the checks themselves hold: libnfs's
 * tools, fio's nfs engine, the benchmark's job file and the kernel client over NFSv3 and NFSv4.1 in the test
 * guest. Skipped without a server. Leaves files in the export's root.
 */
class NfsServerIT {

    private NfsUrl export;

    @BeforeEach
    void server() {
        Optional<NfsUrl> external = NfsUrl.external();
        assumeTrue(
                external.isPresent(),
                "no server: set -Dsgw.it.nfs.url=nfs://127.0.0.1/EXPORT?version=3&nfsport=PORT&mountport=PORT");
        export = external.get();
    }

    @Test
    void aFileCopiedInWithNfsCpComesBackIntactAndIsListed(@TempDir Path dir) throws Exception {
        // nfs-cp does not overwrite: a name of its own each run
        NfsChecks.copyInAndOut(export, dir, "random-16m-" + System.currentTimeMillis() + ".bin", 16 << 20);
    }

    @Test
    void fioVerifiesWhatItWroteAndTheBenchmarkJobsRun() throws Exception {
        TestTools.requireFio();
        NfsChecks.fioWritesAndVerifies(export, "fio-verify.dat");
        NfsChecks.benchmarkJobsRun(export, "nfs-compare.dat");
    }

    @Test
    void theKernelClientPassesItsChecksOverNfs3AndNfs41() throws Exception {
        TestTools.requireGuest();
        NfsChecks.kernelClientChecks(export, "3 4.1");
    }
}
