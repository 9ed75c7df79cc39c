package dev.sgw.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the verbose output of a CUnit run ({@code iscsi-test-cu -v}): one outcome per test. CUnit counts
 * a skipped test as passed, so a test that printed {@code [SKIPPED]} is a skip here; a test is failed when
 * an assertion failure is listed under it ({@code 1. file.c:NN}) or CUnit says it had failures.
 */
public final class CUnitLog {

    public enum Verdict {
        PASSED,
        FAILED,
        SKIPPED
    }

    /** One test's outcome, with what it printed (its failure or skip reason). */
    public record Outcome(String suite, String test, Verdict verdict, String detail) {
        public String name() {
            return suite + "." + test;
        }
    }

    private static final Pattern SUITE = Pattern.compile("^Suite: (\\S+)");
    private static final Pattern TEST = Pattern.compile("^  Test: (\\S+) \\.\\.\\.(.*)");
    private static final Pattern ASSERTION = Pattern.compile("^\\s+\\d+\\. \\S+\\.c:\\d+", Pattern.MULTILINE);
    private static final Pattern HAD_FAILURES = Pattern.compile("Suite (\\S+), Test (\\S+) had failures");

    private CUnitLog() {}

    public static List<Outcome> parse(String log) {
        List<String> hadFailures = new ArrayList<>();
        Matcher had = HAD_FAILURES.matcher(log);
        while (had.find()) {
            hadFailures.add(had.group(1) + "." + had.group(2));
        }
        record Seen(String suite, String test, StringBuilder text) {}
        List<Seen> seen = new ArrayList<>();
        String suite = null;
        Seen current = null;
        for (String line : log.split("\n", -1)) {
            Matcher s = SUITE.matcher(line);
            Matcher t = TEST.matcher(line);
            if (s.find()) {
                suite = s.group(1);
                current = null;
            } else if (t.find() && suite != null) {
                current = new Seen(suite, t.group(1), new StringBuilder(t.group(2)));
                seen.add(current);
            } else if (line.startsWith("Run Summary")) {
                current = null;
            } else if (current != null) {
                current.text().append('\n').append(line);
            }
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Seen test : seen) {
            String text = test.text().toString();
            Verdict verdict;
            if (hadFailures.contains(test.suite() + "." + test.test())
                    || ASSERTION.matcher(text).find()) {
                verdict = Verdict.FAILED;
            } else if (text.contains("[SKIPPED]")) {
                verdict = Verdict.SKIPPED;
            } else {
                verdict = Verdict.PASSED;
            }
            outcomes.add(new Outcome(test.suite(), test.test(), verdict, text.strip()));
        }
        return outcomes;
    }
}
