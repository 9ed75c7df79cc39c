package dev.sgw.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.sgw.SgwCommand;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code sgw demo} in a child JVM, as a user runs it, for tests that drive it with real clients: every
 * port is chosen by the system and read back from {@code demo.env}. The child's output is kept (and shown
 * when it fails to start). {@link #kill()} is SIGKILL, {@link #close()} SIGTERM and wait.
 */
public final class DemoGateway implements AutoCloseable {

    private final Process process;
    private final Properties env;
    private final List<String> output;
    private final Thread drain;

    /** How long a stop may take: the demo's drain (its {@code --drain-seconds}, 120 by default) and a minute to close. */
    private final Duration stopTimeout;

    private DemoGateway(Process process, Properties env, List<String> output, Thread drain, Duration stopTimeout) {
        this.process = process;
        this.env = env;
        this.output = output;
        this.drain = drain;
        this.stopTimeout = stopTimeout;
    }

    /**
     * Starts the demo on {@code dataDir} (fresh or from an earlier run) and waits for {@code sgw ready}. The
     * ports {@code extraArgs} does not set (e.g. {@code "--nfs-port", "2049"}, to come back on the port of an
     * earlier run) are chosen by the system; no portmapper on port 111 unless {@code --portmap} is given.
     */
    public static DemoGateway start(Path dataDir, String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                SgwCommand.class.getName(),
                "demo",
                "--data-dir",
                dataDir.toString()));
        List<String> extra = List.of(extraArgs);
        for (String option : List.of("--s3-port", "--nfs-port", "--smb-port", "--iscsi-port", "--console-port")) {
            if (!extra.contains(option)) {
                Collections.addAll(command, option, "0");
            }
        }
        if (!extra.contains("--portmap")) {
            Collections.addAll(command, "--portmap", "off");
        }
        command.addAll(extra);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null && !line.equals("sgw ready")) {
            output.add(line);
        }
        if (line == null) {
            process.destroyForcibly();
            throw new IOException("sgw demo did not get ready:\n" + String.join("\n", output));
        }
        Thread drain = Thread.ofVirtual().unstarted(() -> {
            try {
                String more;
                while ((more = lines.readLine()) != null) {
                    output.add(more);
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        });
        drain.start();
        Properties env = new Properties();
        try (var in = Files.newBufferedReader(dataDir.resolve("demo.env"))) {
            env.load(in);
        }
        int at = extra.indexOf("--drain-seconds");
        long drainSeconds = at >= 0 ? Long.parseLong(extra.get(at + 1)) : 120;
        return new DemoGateway(process, env, output, drain, Duration.ofSeconds(drainSeconds + 60));
    }

    /** A value of {@code demo.env}, e.g. {@code ISCSI_PORT}. */
    public String env(String key) {
        String value = env.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("demo.env has no " + key + ": " + env.stringPropertyNames());
        }
        return value;
    }

    public int port(String key) {
        return Integer.parseInt(env(key));
    }

    /** An S3 client of the embedded bucket ({@code S3_ENDPOINT}, {@code S3_BUCKET}), with the demo's credentials. */
    public S3Client s3() {
        return S3Client.builder()
                .endpointOverride(URI.create(env("S3_ENDPOINT")))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(env("S3_ACCESS_KEY"), env("S3_SECRET_KEY"))))
                .build();
    }

    /** What the gateway printed so far. */
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, as a crash: nothing is drained. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait for the drain to finish; {@link #output()} then holds everything it printed. */
    @Override
    public void close() throws IOException {
        try {
            stop();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void stop() throws IOException, InterruptedException {
        if (process.isAlive()) {
            new ProcessBuilder("kill", "-TERM", Long.toString(process.pid()))
                    .start()
                    .waitFor();
            if (!process.waitFor(stopTimeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("sgw demo did not stop within " + stopTimeout.toSeconds()
                        + " s of SIGTERM:\n" + String.join("\n", output()));
            }
        }
        drain.join(Duration.ofSeconds(10));
    }

    /** The exit status, once stopped. */
    public int exitValue() {
        return process.exitValue();
    }
}
