package dev.sgw.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Reading fio's JSON report, on reports fio wrote against the reference target (tgt): a random write
 * with its verify pass, and a verify that found other data than it expected.
 */
class FioReportTest {

    @Test
    void readsBothDirectionsOfAVerifiedRandomWrite() throws IOException {
        Fio.Report report = Fio.parse(0, resource("randwrite-verify.json"), "");

        assertThat(report.jobs()).hasSize(1);
        Fio.Job job = report.job("job");
        assertThat(job.error()).isZero();
        assertThat(job.write().ioBytes()).isEqualTo(64L << 20);
        assertThat(job.write().ios()).isEqualTo(16384);
        assertThat(job.write().iops()).isCloseTo(16873.33, within(0.01));
        assertThat(job.write().kibPerSecond()).isEqualTo(67493);
        assertThat(job.read().ioBytes()).isEqualTo(64L << 20);
        assertThat(job.read().mibPerSecond()).isCloseTo(96234 / 1024.0, within(1e-9));
    }

    @Test
    void aFailedVerifyKeepsItsErrno() throws IOException {
        Fio.Report report = Fio.parse(1, resource("verify-mismatch.json"), "fio: got pattern 'a5', wanted '5a'\n");

        assertThat(report.exitStatus()).isEqualTo(1);
        assertThat(report.job("job").error()).isEqualTo(84);
        assertThat(report.job("job").read().ios()).isEqualTo(8);
        assertThat(report.output()).contains("got pattern");
    }

    @Test
    void textBeforeTheReportIsKeptAsOutput() throws IOException {
        Fio.Report report = Fio.parse(0, "fio: a warning\n" + resource("randwrite-verify.json"), "");

        assertThat(report.job("job").write().ioBytes()).isEqualTo(64L << 20);
        assertThat(report.output()).isEqualTo("fio: a warning\n");
    }

    @Test
    void noReportIsAnError() {
        assertThatThrownBy(() -> Fio.parse(1, "", "fio: engine libiscsi not loadable\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not loadable");
        assertThatThrownBy(() -> Fio.parse(0, "{}", "").job("job")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void iscsiFileNamesEscapeEveryColon() {
        assertThat(Fio.iscsiFilename("iscsi://127.0.0.1:3260/iqn.2026-11.dev.sgw:demo/0"))
                .isEqualTo("iscsi\\://127.0.0.1\\:3260/iqn.2026-11.dev.sgw\\:demo/0");
        assertThatThrownBy(() -> Fio.iscsiFilename("iscsi://user%secret@127.0.0.1:3260/iqn.2026-11.dev.sgw:demo/0"))
                .as("the engine would drop the credentials")
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = FioReportTest.class.getResourceAsStream("/fio/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
