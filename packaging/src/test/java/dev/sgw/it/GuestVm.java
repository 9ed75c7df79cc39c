package dev.sgw.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a guest script in the test guest ({@code scripts/test-tools/vm/run.sh}): a Linux VM under qemu
 * (TCG, no KVM) whose root is the host's {@code /}, read-only, so the real kernel clients (iSCSI
 * initiator, NFS, CIFS) and the host's tools run in it. The guest reaches only the host loopback ports it
 * is given, as {@code 10.0.2.100:PORT}.
 *
 * <p>The VM is stopped when the run times out, when the calling thread is interrupted (a JUnit timeout)
 * and when the JVM exits while it runs. The console is copied to standard output with a {@code guest| }
 * prefix as it arrives.
 */
public final class GuestVm {

    /** Long enough for a guest script that formats and checks a volume under TCG. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private static final Pattern TERMINAL_CONTROL = Pattern.compile("\u001B(\\[[0-9;?]*[A-Za-z]|[A-Za-z])|\r");
    private static final Pattern TALLY = Pattern.compile("^(\\d+) passed, (\\d+) failed$", Pattern.MULTILINE);

    private GuestVm() {}

    /**
     * How a guest run ended.
     *
     * @param exitStatus the guest script's exit status; {@code run.sh}'s own when none came back (124 timed
     *        out, 125 no status)
     * @param timedOut whether the run was stopped for taking longer than its timeout
     * @param console the guest's console, without terminal control sequences
     */
    public record Result(int exitStatus, boolean timedOut, String console) {

        /** The last {@code N passed, N failed} line of the console ({@code vm/guest-lib.sh}'s finish). */
        public Optional<Tally> tally() {
            Matcher matcher = TALLY.matcher(console);
            Tally last = null;
            while (matcher.find()) {
                last = new Tally(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
            }
            return Optional.ofNullable(last);
        }

        /** The console lines that start with {@code FAIL}. */
        public List<String> failures() {
            return console.lines().filter(line -> line.startsWith("FAIL")).toList();
        }
    }

    /** The counts a guest script printed last. */
    public record Tally(int passed, int failed) {}

    /** {@link #run(Duration, Path, Map, int...)} with {@link #DEFAULT_TIMEOUT}. */
    public static Result run(Path guestScript, Map<String, String> env, int... hostPorts)
            throws IOException, InterruptedException {
        return run(DEFAULT_TIMEOUT, guestScript, env, hostPorts);
    }

    /**
     * Boots the guest, runs {@code guestScript} in it as root and returns when it powered off.
     *
     * @param env variables for the guest script; only names {@code run.sh} passes on reach it ({@code ISCSI_*},
     *        {@code NFS_*}, {@code MNT_*}, {@code SMB_*}, {@code CHAP_*}, {@code GUEST_*}, {@code BIG_MB},
     *        {@code TREE_SRC})
     * @param hostPorts the host's 127.0.0.1 ports the guest may reach, at {@code 10.0.2.100}
     */
    public static Result run(Duration timeout, Path guestScript, Map<String, String> env, int... hostPorts)
            throws IOException, InterruptedException {
        Path runScript = TestTools.requireGuest();
        List<String> command = new ArrayList<>(List.of(
                "bash", runScript.toString(), guestScript.toAbsolutePath().toString()));
        for (int port : hostPorts) {
            command.add(Integer.toString(port));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        // run.sh's own limit, a backstop should this JVM die without stopping it
        builder.environment().put("SGW_GUEST_TIMEOUT", Long.toString(timeout.toSeconds() + 60));
        Process process = builder.start();
        Thread stopOnExit = new Thread(() -> stop(process));
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        StringBuilder console = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> copyConsole(process, console));
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                stop(process);
            }
            reader.join(Duration.ofSeconds(10));
            String text;
            synchronized (console) {
                text = console.toString();
            }
            return new Result(finished ? process.exitValue() : 124, !finished, text);
        } catch (InterruptedException e) {
            stop(process);
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran
            }
        }
    }

    private static void copyConsole(Process process, StringBuilder console) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String clean = TERMINAL_CONTROL.matcher(line).replaceAll("");
                System.out.println("guest| " + clean);
                synchronized (console) {
                    console.append(clean).append('\n');
                }
            }
        } catch (IOException e) {
            // run.sh is gone
        }
    }

    /**
     * SIGTERM to run.sh, which stops the VM and cleans up; whatever still runs after 15 s is killed. The
     * processes are taken from run.sh's descendants before it is signalled, so a VM whose parent died
     * first is still reached.
     */
    private static void stop(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        try {
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : tree) {
            child.destroyForcibly();
        }
        process.destroyForcibly();
    }
}
