package dev.sgw.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A third-party command line tool run to its end, with its output (standard output and error together). */
public final class Command {

    /** How long a tool may take unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Command() {}

    /** How a command ended. */
    public record Result(int exit, String output) {}

    /** Runs {@code command} for up to {@link #DEFAULT_TIMEOUT}; an IOException when it takes longer. */
    public static Result exec(String... command) throws IOException, InterruptedException {
        return exec(DEFAULT_TIMEOUT, command);
    }

    public static Result exec(Duration timeout, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder text = new StringBuilder();
        // read on another thread, so that the timeout holds for a command that never closes its output
        Thread output = Thread.ofVirtual().start(() -> {
            try {
                String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (text) {
                    text.append(all);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                output.join(Duration.ofSeconds(5));
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                        + " s:\n" + text(text));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        output.join();
        return new Result(p.exitValue(), text(text));
    }

    /** Runs {@code command} and returns its output; an AssertionError (with the output) unless it exits 0. */
    public static String run(String... command) throws IOException, InterruptedException {
        Result result = exec(command);
        if (result.exit() != 0) {
            throw new AssertionError(
                    String.join(" ", List.of(command)) + " exited " + result.exit() + ":\n" + result.output());
        }
        return result.output();
    }

    private static String text(StringBuilder text) {
        synchronized (text) {
            return text.toString();
        }
    }
}
