package dev.sgw.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the subunit v1 stream of one smbtorture suite ({@code smbtorture --format=subunit SUITE}): one
 * outcome per test. smbtorture names a test relative to the suite it was asked for ({@code test: gentest} in
 * {@code smb2.create}) and a suite that is a single test by its own last name ({@code test: connect} in
 * {@code smb2.connect}); outcomes carry the full name ({@code smb2.create.gentest}, {@code smb2.connect}).
 *
 * <pre>
 * line                        verdict
 * success: NAME, successful:  PASSED
 * xfail: NAME                 PASSED  (an expected failure smbtorture knows of)
 * failure: NAME, uxsuccess:   FAILED
 * error: NAME                 FAILED
 * skip: NAME                  SKIPPED
 * test: NAME without a result FAILED  (smbtorture died or was stopped in it)
 * </pre>
 *
 * A result may carry a detail, from {@code [} at the end of its line to a line that is only {@code ]}.
 */
public final class SubunitLog {

    public enum Verdict {
        PASSED,
        FAILED,
        SKIPPED
    }

    /** One test's outcome, with its detail (the failure's file, line and status, or the skip's reason). */
    public record Outcome(String name, Verdict verdict, String detail) {}

    private SubunitLog() {}

    /** The outcomes of {@code stream}, the output of smbtorture run for {@code suite} (e.g. {@code smb2.create}). */
    public static List<Outcome> parse(String suite, String stream) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        String[] lines = stream.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(": ");
            if (colon < 0) {
                continue;
            }
            String keyword = line.substring(0, colon);
            String rest = line.substring(colon + 2).strip();
            StringBuilder detail = new StringBuilder();
            if (rest.endsWith("[") && !keyword.equals("test")) {
                rest = rest.substring(0, rest.length() - 1).strip();
                while (i + 1 < lines.length && !lines[i + 1].equals("]")) {
                    detail.append(lines[++i]).append('\n');
                }
                i++;
            }
            Verdict verdict = switch (keyword) {
                case "test" -> null;
                case "success", "successful", "xfail" -> Verdict.PASSED;
                case "failure", "uxsuccess", "error" -> Verdict.FAILED;
                case "skip" -> Verdict.SKIPPED;
                default -> null;
            };
            String name = fullName(suite, rest);
            if (keyword.equals("test")) {
                outcomes.putIfAbsent(name, new Outcome(name, Verdict.FAILED, "started but reported no result"));
            } else if (verdict != null) {
                outcomes.put(name, new Outcome(name, verdict, detail.toString().strip()));
            }
        }
        return new ArrayList<>(outcomes.values());
    }

    private static String fullName(String suite, String test) {
        String last = suite.substring(suite.lastIndexOf('.') + 1);
        return test.equals(last) ? suite : suite + "." + test;
    }
}
