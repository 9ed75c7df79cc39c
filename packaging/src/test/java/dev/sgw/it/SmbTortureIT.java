package dev.sgw.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.sgw.it.SubunitLog.Outcome;
import dev.sgw.it.SubunitLog.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Samba's conformance suite, smbtorture, against the demo share of {@code sgw demo} (one gateway for the class):
 * the 43-suite smb2 subset of {@code scripts/test-tools/smb-conformance.sh}, one smbtorture process per suite.
 * Every failing test must be listed, with its reason, in {@code smbtorture-known-failures.txt}; a listed test
 * that passes fails the run too (remove it from the list), unless its reason starts with {@code flaky}. The per-suite table, the subunit streams and the
 * comparison with the list are written to {@code target/smbtorture/}. Skipped when the gateway has no SMB
 * listener.
 *
 * <p>Bounded: {@code sgw.smbtorture.suiteTimeout} seconds per suite (90), {@code sgw.smbtorture.budget} for
 * the whole run (600; the suites left when it is spent are not run, which fails them). Samba 4.17 takes about
 * two minutes for the subset on a 2-core machine.
 *
 * <p>{@code SGW_SMBTORTURE_REGENERATE=1} (or {@code -Dsgw.smbtorture.regenerate=true}) writes the run's failing
 * tests into {@code src/test/resources/smbtorture-known-failures.txt} instead of checking them, keeping the
 * reasons of tests already listed (new ones get the first line of smbtorture's message: give them a real one).
 * Against another server ({@link SmbTarget#external()}) the list goes to {@code target/smbtorture/}.
 */
class SmbTortureIT {

    /** Samba 4.17 (smbd.sh's peer) passes about this many tests of the subset; for the summary only. */
    private static final int REFERENCE_PASSES = 278;

    private static final String KNOWN_FAILURES = "smbtorture-known-failures.txt";
    /** A listed test whose reason starts with this may pass or fail (timing: durable handles, leases, disconnects). */
    private static final String FLAKY = "flaky";

    private static final Path OUT = Path.of("target", "smbtorture");

    @TempDir
    static Path dir;

    private static DemoGateway demo;
    private static SmbTarget target;

    /** Why the tests skip (the gateway has no SMB listener), or null. */
    private static String skipped;

    @BeforeAll
    static void startGateway() throws IOException {
        var external = SmbTarget.external();
        if (external.isPresent()) {
            target = external.get();
            return;
        }
        // the suites leave thousands of files to upload (maxfid alone makes 65,520); none of it is checked here
        demo = DemoGateway.start(dir.resolve("demo"), "--drain-seconds", "5");
        try {
            target = SmbTarget.demo(demo).onShare(windowsShare(demo));
        } catch (TestAbortedException e) {
            skipped = e.getMessage().replaceFirst("^Assumption failed: ", ""); // reported by the test
        }
    }

    /**
     * A share as an administrator sets one up for Windows clients, through the console's REST API: SMB only (so
     * case-insensitive, as Windows and Samba's default share are; the demo share, which NFS shares, keeps
     * names exact), on the demo's bucket and cache disk, for the demo user.
     */
    private static String windowsShare(DemoGateway demo) throws IOException {
        String name = "windows";
        try {
            var created =
                    ConsoleSession.login(demo).post("api/v1/smb-shares", """
                            {"name": "%s", "mode": "CACHE", "resource": "demo", "cacheDisk": "demo",
                             "allowedUsers": ["%s"]}
                            """.formatted(name, demo.env("SMB_USER")));
            if (created.statusCode() != 201) {
                throw new IOException(
                        "creating SMB share " + name + ": " + created.statusCode() + " " + created.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return name;
    }

    @AfterAll
    static void stopGateway() throws IOException {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void smbtortureFailsOnlyTheKnownFailures() throws Exception {
        Assumptions.assumeTrue(skipped == null, skipped);
        TestTools.require("smbtorture");
        List<Outcome> outcomes = runSuites();
        String table = Files.readString(OUT.resolve("summary.md"));
        Map<String, String> known = knownFailures();
        List<Outcome> failed =
                outcomes.stream().filter(o -> o.verdict() == Verdict.FAILED).toList();
        List<String> unexpected = failed.stream()
                .filter(o -> !known.containsKey(o.name()))
                .map(o -> o.name() + ": " + firstLine(o.detail()))
                .toList();
        List<String> nowPassing = outcomes.stream()
                .filter(o -> o.verdict() == Verdict.PASSED
                        && known.containsKey(o.name())
                        && !known.get(o.name()).startsWith(FLAKY))
                .map(Outcome::name)
                .toList();
        Set<String> seen = outcomes.stream().map(Outcome::name).collect(Collectors.toSet());
        List<String> notSeen =
                known.keySet().stream().filter(name -> !seen.contains(name)).toList();
        long passed =
                outcomes.stream().filter(o -> o.verdict() == Verdict.PASSED).count();
        String comparison = "passed " + passed + " (Samba 4.17: about " + REFERENCE_PASSES + "), failed "
                + failed.size() + ", of " + outcomes.size() + " tests against " + target
                + "\nfailures not in " + KNOWN_FAILURES + ":\n  " + String.join("\n  ", unexpected)
                + "\nlisted but passed (remove them from the list):\n  " + String.join("\n  ", nowPassing)
                + "\nlisted but not run (warning only):\n  " + String.join("\n  ", notSeen) + "\n";
        Files.writeString(OUT.resolve("known-failures-check.txt"), comparison);
        System.out.println(comparison);

        assertThat(passed)
                .as("tests passed: smbtorture did not get through to the share\n%s", table)
                .isPositive();
        if (regenerate()) {
            Path list = writeKnownFailures(failed, known);
            System.out.println("wrote " + failed.size() + " known failures to " + list.toAbsolutePath());
            return;
        }
        assertThat(unexpected)
                .as("failures not in %s\n%s", KNOWN_FAILURES, table)
                .isEmpty();
        assertThat(nowPassing)
                .as("known failures that now pass: remove them from %s", KNOWN_FAILURES)
                .isEmpty();
    }

    /** Runs smb-conformance.sh into {@link #OUT}; the outcomes of every suite, a suite that ran no test as one failed outcome. */
    private static List<Outcome> runSuites() throws IOException, InterruptedException {
        long suiteTimeout = Long.getLong("sgw.smbtorture.suiteTimeout", 90);
        long budget = Long.getLong("sgw.smbtorture.budget", 600);
        Files.createDirectories(OUT);
        ProcessBuilder builder = new ProcessBuilder(
                        "bash",
                        TestTools.script("smb-conformance.sh").toString(),
                        target.unc(),
                        target.credentials(),
                        OUT.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(OUT.resolve("run.log").toFile());
        builder.environment().put("SUITE_TIMEOUT", Long.toString(suiteTimeout));
        builder.environment().put("SMB_TORTURE_BUDGET", Long.toString(budget));
        Process run = builder.start();
        if (!run.waitFor(budget + suiteTimeout + 60, TimeUnit.SECONDS)) {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly().waitFor();
            throw new AssertionError("smb-conformance.sh overran its budget of " + budget + " s:\n"
                    + Files.readString(OUT.resolve("run.log")));
        }
        assertThat(run.exitValue()).as(Files.readString(OUT.resolve("run.log"))).isZero();
        List<Outcome> outcomes = new ArrayList<>();
        for (String row : Files.readAllLines(OUT.resolve("summary.tsv"))) {
            String[] columns = row.split("\t", -1);
            String suite = columns[0];
            if (suite.equals("suite") || suite.equals("TOTAL")) {
                continue;
            }
            String stream = Files.readString(OUT.resolve(suite + ".subunit"), StandardCharsets.ISO_8859_1);
            List<Outcome> ran = SubunitLog.parse(suite, stream);
            outcomes.addAll(
                    ran.isEmpty() ? List.of(new Outcome(suite, Verdict.FAILED, "no test ran: " + columns[6])) : ran);
        }
        return outcomes;
    }

    private static boolean regenerate() {
        return "1".equals(System.getenv("SGW_SMBTORTURE_REGENERATE"))
                || Boolean.getBoolean("sgw.smbtorture.regenerate");
    }

    /** {@code name  # reason} per line; lines that start with # are comments. */
    private static Map<String, String> knownFailures() throws IOException {
        Map<String, String> known = new TreeMap<>();
        for (String line : knownFailuresText().split("\n")) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            int hash = entry.indexOf('#');
            String name = (hash < 0 ? entry : entry.substring(0, hash)).strip();
            known.put(name, hash < 0 ? "" : entry.substring(hash + 1).strip());
        }
        return known;
    }

    private static String knownFailuresText() throws IOException {
        try (InputStream in = SmbTortureIT.class.getResourceAsStream("/" + KNOWN_FAILURES)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The list's leading comment, then every failed test with its listed reason or smbtorture's first line, and
     * the flaky ones listed.
     */
    private static Path writeKnownFailures(List<Outcome> failed, Map<String, String> known) throws IOException {
        StringBuilder text = new StringBuilder();
        knownFailuresText()
                .lines()
                .takeWhile(l -> l.startsWith("#"))
                .forEach(l -> text.append(l).append('\n'));
        Map<String, String> entries = new TreeMap<>();
        failed.forEach(o -> entries.put(o.name(), known.getOrDefault(o.name(), firstLine(o.detail()))));
        known.forEach((name, reason) -> {
            if (reason.startsWith(FLAKY)) {
                entries.put(name, reason); // kept when it passed this time
            }
        });
        entries.forEach((name, reason) ->
                text.append(name).append("  # ").append(reason).append('\n'));
        Path list = demo == null
                ? OUT.resolve(KNOWN_FAILURES)
                : TestTools.repository().resolve("packaging/src/test/resources").resolve(KNOWN_FAILURES);
        Files.writeString(list, text);
        return list;
    }

    private static String firstLine(String detail) {
        String line = detail.lines().filter(l -> !l.isBlank()).findFirst().orElse("(no message)");
        line = line.replaceAll("(\\.\\./)+source4/torture/", "");
        return line.length() > 140 ? line.substring(0, 140) + "..." : line;
    }
}
