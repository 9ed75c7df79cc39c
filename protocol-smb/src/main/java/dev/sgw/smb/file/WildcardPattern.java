package dev.sgw.smb.file;

import dev.sgw.core.volume.FileNames;

/**
 * A QUERY_DIRECTORY search pattern (MS-FSA 2.1.4.4 IsInExpression), matched without regard to case: {@code *}
 * any run of characters, {@code ?} exactly one, and the DOS wildcards {@code <} (DOS_STAR: any run up to and
 * including the name's last period), {@code >} (DOS_QM: one character, or none at a period or the name's end)
 * and {@code "} (DOS_DOT: a period, or nothing at the name's end).
 */
final class WildcardPattern {
    private final String pattern;
    private final boolean matchesAll;

    WildcardPattern(String pattern) {
        this.pattern = FileNames.fold(pattern);
        this.matchesAll = pattern.equals("*") || pattern.equals("<") || pattern.equals("*.*");
    }

    /** Whether the pattern has a wildcard, else it names one file. */
    static boolean hasWildcard(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            if ("*?<>\"".indexOf(pattern.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    boolean matches(String name) {
        if (matchesAll) {
            return true;
        }
        String n = FileNames.fold(name);
        Boolean[][] memo = new Boolean[pattern.length() + 1][n.length() + 1];
        return match(n, 0, 0, memo);
    }

    private boolean match(String n, int i, int j, Boolean[][] memo) {
        if (memo[i][j] != null) {
            return memo[i][j];
        }
        boolean r = step(n, i, j, memo);
        memo[i][j] = r;
        return r;
    }

    private boolean step(String n, int i, int j, Boolean[][] memo) {
        if (i == pattern.length()) {
            return j == n.length();
        }
        char c = pattern.charAt(i);
        return switch (c) {
            case '*' -> anyRun(n, i, j, n.length(), memo);
            case '<' -> dosStar(n, i, j, memo);
            case '?' -> j < n.length() && match(n, i + 1, j + 1, memo);
            case '>' ->
                (j == n.length() || n.charAt(j) == '.') ? match(n, i + 1, j, memo) : match(n, i + 1, j + 1, memo);
            case '"' ->
                j == n.length() ? match(n, i + 1, j, memo) : (n.charAt(j) == '.' && match(n, i + 1, j + 1, memo));
            default -> j < n.length() && n.charAt(j) == c && match(n, i + 1, j + 1, memo);
        };
    }

    /** {@code *}: the rest of the pattern matches from some position in {@code [j, end]}. */
    private boolean anyRun(String n, int i, int j, int end, Boolean[][] memo) {
        for (int k = j; k <= end; k++) {
            if (match(n, i + 1, k, memo)) {
                return true;
            }
        }
        return false;
    }

    /** {@code <}: any run that does not pass the name's last period, which it may take. */
    private boolean dosStar(String n, int i, int j, Boolean[][] memo) {
        int lastDot = n.lastIndexOf('.');
        for (int k = j; k <= n.length(); k++) {
            if (match(n, i + 1, k, memo)) {
                return true;
            }
            if (k < n.length() && k == lastDot) {
                return match(n, i + 1, k + 1, memo);
            }
        }
        return false;
    }
}
