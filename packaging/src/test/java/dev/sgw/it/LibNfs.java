package dev.sgw.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libnfs's command line tools ({@code libnfs-utils}; {@code scripts/test-tools/install.sh}): {@code nfs-cp} and
 * {@code nfs-ls}, a user-space NFSv3 client that MOUNTs the directory of a URL and works in it. A missing
 * tool skips the test (fails it in CI), as {@link TestTools#require} does.
 */
public final class LibNfs {

    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern LINE = Pattern.compile("(\\S)\\S{9}\\s+\\d+\\s+\\d+\\s+\\d+\\s+(\\d+) (.+)");

    private LibNfs() {}

    /** One entry {@code nfs-ls} printed: its type ({@code '-'} file, {@code 'd'} directory, {@code 'l'} link), size and name. */
    public record Entry(char type, long size, String name) {}

    /** {@code nfs-cp FROM TO}: each a local path or an {@code nfs://} URL; an AssertionError with its output when it fails. */
    public static void copy(String from, String to) throws IOException, InterruptedException {
        Command.Result result =
                Command.exec(COPY_TIMEOUT, TestTools.require("nfs-cp").toString(), from, to);
        if (result.exit() != 0) {
            throw new AssertionError(
                    "nfs-cp " + from + " " + to + " exited " + result.exit() + ":\n" + result.output());
        }
    }

    /** The entries of the export's root directory, by {@code nfs-ls}. */
    public static List<Entry> list(NfsUrl export) throws IOException, InterruptedException {
        return parse(Command.run(TestTools.require("nfs-ls").toString(), export.toString()));
    }

    /** The entries of {@code nfs-ls}'s output: {@code -rw-r--r--  1     0     0      8388608 name}. */
    static List<Entry> parse(String output) {
        List<Entry> entries = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                entries.add(new Entry(m.group(1).charAt(0), Long.parseLong(m.group(2)), m.group(3)));
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException("not a line of nfs-ls: " + line);
            }
        }
        return List.copyOf(entries);
    }
}
