package dev.sgw.it;

import java.util.List;

import dev.sgw.it.SubunitLog.Outcome;
import dev.sgw.it.SubunitLog.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The verdicts read from smbtorture's subunit streams (excerpts of runs of smbtorture 4.17 against Samba). */
class SubunitLogTest {

    private static final String CREATE = """
            smbtorture 4.17.12-Debian
            Using seed 1796675771
            time: 2026-12-07 20:36:11.700000
            progress: 16
            test: gentest
            time: 2026-12-07 20:36:11.712000
            failure: gentest [
            ../../source4/torture/smb2/create.c:171: Incorrect status NT_STATUS_OK - should be NT_STATUS_INVALID_PARAMETER
            ]
            test: brlocked
            success: brlocked
            test: aclfile
            skip: aclfile [
            Share does not support ACLs
            ]
            test: nulldacl
            xfail: nulldacl
            test: quota-fake-file
            error: quota-fake-file [
            second line [not the end]
            ]
            test: mkdir-visible
            """;

    @Test
    void everyResultLineGivesAnOutcomeUnderTheSuitesName() {
        List<Outcome> outcomes = SubunitLog.parse("smb2.create", CREATE);
        assertThat(outcomes)
                .extracting(Outcome::name, Outcome::verdict)
                .containsExactly(
                        tuple("smb2.create.gentest", Verdict.FAILED),
                        tuple("smb2.create.brlocked", Verdict.PASSED),
                        tuple("smb2.create.aclfile", Verdict.SKIPPED),
                        tuple("smb2.create.nulldacl", Verdict.PASSED),
                        tuple("smb2.create.quota-fake-file", Verdict.FAILED),
                        tuple("smb2.create.mkdir-visible", Verdict.FAILED));
        assertThat(outcomes.get(0).detail()).startsWith("../../source4/torture/smb2/create.c:171: Incorrect status");
        assertThat(outcomes.get(2).detail()).isEqualTo("Share does not support ACLs");
        assertThat(outcomes.get(4).detail()).isEqualTo("second line [not the end]");
        assertThat(outcomes.get(5).detail()).contains("no result");
    }

    @Test
    void aSuiteThatIsOneTestIsNamedAsTheSuite() {
        String connect = "test: connect\ntime: 2026-12-07 20:36:11.629150\nsuccess: connect\n";
        assertThat(SubunitLog.parse("smb2.connect", connect))
                .containsExactly(new Outcome("smb2.connect", Verdict.PASSED, ""));
    }

    @Test
    void aStreamWithoutTestsHasNoOutcomes() {
        assertThat(SubunitLog.parse("smb2.lock", "smbtorture 4.17.12-Debian\nUsing seed 1\n"))
                .isEmpty();
    }
}
