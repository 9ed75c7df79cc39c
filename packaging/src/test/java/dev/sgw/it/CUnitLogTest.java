package dev.sgw.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.sgw.it.CUnitLog.Outcome;
import dev.sgw.it.CUnitLog.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The verdicts read from real {@code iscsi-test-cu -v} logs (captured from runs against a reference target). */
class CUnitLogTest {

    @Test
    void aListedAssertionFailureFailsItsTestOnly() throws IOException {
        List<Outcome> outcomes = CUnitLog.parse(resource("unmap-with-failure.log"));
        assertThat(outcomes)
                .extracting(Outcome::name, Outcome::verdict)
                .containsExactly(
                        tuple("Unmap.Simple", Verdict.PASSED),
                        tuple("Unmap.VPD", Verdict.PASSED),
                        tuple("Unmap.ZeroBlocks", Verdict.FAILED));
        assertThat(outcomes.get(2).detail()).contains("LOGICAL_UNIT_NOT_SUPPORTED");
    }

    @Test
    void aTestThatPrintsSkippedIsASkipThoughCUnitCountsItPassed() throws IOException {
        List<Outcome> outcomes = CUnitLog.parse(resource("compare-and-write-skipped.log"));
        assertThat(outcomes).hasSize(5).allSatisfy(o -> assertThat(o.verdict()).isEqualTo(Verdict.SKIPPED));
        assertThat(outcomes.getFirst().detail()).contains("COMPAREANDWRITE is not implemented");
    }

    @Test
    void cunitsOwnFailureLineFailsATest() {
        String log = "Suite: Read10\n  Test: Simple ...passed\n  Test: Residuals ...passed\n\n"
                + "Suite Read10, Test Residuals had failures:\nRun Summary: x\n";
        assertThat(CUnitLog.parse(log)).extracting(Outcome::verdict).containsExactly(Verdict.PASSED, Verdict.FAILED);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CUnitLogTest.class.getResourceAsStream("/cunit/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
