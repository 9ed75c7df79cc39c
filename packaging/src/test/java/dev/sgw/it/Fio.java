package dev.sgw.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs fio ({@code scripts/test-tools/build-fio.sh} builds it with the libiscsi and nfs engines) and reads
 * its JSON report. fio is the client here: a user-space iSCSI initiator (libiscsi) that drives a LUN, or a
 * user-space NFSv3 client (libnfs) that drives one file of an export, with many commands in flight and, with
 * {@code --verify}, checks every block it wrote.
 *
 * <p>fio's libiscsi engine does not log in with CHAP: it drops the credentials of the URL (fio 3.33). A
 * URL with credentials is refused rather than failing at login.
 */
public final class Fio {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fio() {}

    /** One direction of a job: bytes moved, bandwidth in KiB/s, operations per second, operations. */
    public record Direction(long ioBytes, double kibPerSecond, double iops, long ios) {

        public double mibPerSecond() {
            return kibPerSecond / 1024;
        }
    }

    /** One job of a report; {@code error} is the errno fio stopped the job with, 0 when it ran through. */
    public record Job(String name, int error, Direction read, Direction write) {}

    /** fio's exit status and the jobs of its report. */
    public record Report(int exitStatus, List<Job> jobs, String output) {

        public Job job(String name) {
            return jobs.stream()
                    .filter(j -> j.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no job " + name + " in " + jobs));
        }
    }

    /**
     * The {@code filename} fio's libiscsi engine takes for an {@code iscsi://[USER%PASSWORD@]HOST:PORT/IQN/LUN}
     * URL: fio splits file names at {@code ':'}, so each one is escaped.
     */
    public static String iscsiFilename(String url) {
        if (IscsiUrl.parse(url).hasChap()) {
            throw new IllegalArgumentException("fio's libiscsi engine does not log in with CHAP: " + url);
        }
        return url.replace(":", "\\:");
    }

    /**
     * One job through the libiscsi engine against {@code url}; {@code options} are fio's, e.g.
     * {@code --rw=randwrite --bs=4k --size=64m --verify=crc32c}.
     */
    public static Report onIscsi(String url, Duration timeout, String... options)
            throws IOException, InterruptedException {
        List<String> arguments =
                new ArrayList<>(List.of("--name=job", "--ioengine=libiscsi", "--filename=" + iscsiFilename(url)));
        arguments.addAll(List.of(options));
        return run(Map.of(), timeout, arguments);
    }

    /**
     * One job through the nfs engine on {@code file}, a file in the root of the export {@code url};
     * {@code options} are fio's. The engine (fio 3.33) creates a file only for sequential writes (other jobs
     * need it written before), cannot sync (so {@code --do_verify=1} after writes fails: verify in a run of
     * its own with {@code --verify_only}), and fails the I/Os still in flight when a job ends ("Failed NFS
     * operation(code:-14)"), which are then not counted.
     */
    public static Report onNfs(NfsUrl url, String file, Duration timeout, String... options)
            throws IOException, InterruptedException {
        List<String> arguments =
                new ArrayList<>(List.of("--name=job", "--ioengine=nfs", "--nfs_url=" + url, "--filename=" + file));
        arguments.addAll(List.of(options));
        return run(Map.of(), timeout, arguments);
    }

    /**
     * A job file, with {@code env} for its {@code ${VARIABLES}} and extra {@code options} (e.g.
     * {@code --section=NAME}).
     */
    public static Report jobFile(Path jobs, Map<String, String> env, Duration timeout, String... options)
            throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of(options));
        arguments.add(jobs.toAbsolutePath().toString());
        return run(env, timeout, arguments);
    }

    private static Report run(Map<String, String> env, Duration timeout, List<String> arguments)
            throws IOException, InterruptedException {
        Path fio = TestTools.requireFio();
        Path dir = Files.createTempDirectory("fio-"); // fio's working directory: it leaves verify state files there
        Path report = dir.resolve("report.json");
        Path log = dir.resolve("output.log");
        try {
            List<String> command =
                    new ArrayList<>(List.of(fio.toString(), "--output-format=json", "--output=" + report));
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new IOException("fio did not finish within " + timeout + ": " + command + "\n" + text(log));
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                throw e;
            }
            return parse(process.exitValue(), Files.exists(report) ? text(report) : "", text(log));
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    private static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** Reads fio's JSON report; text before the opening brace (warnings fio writes there too) is skipped. */
    static Report parse(int exitStatus, String json, String output) throws IOException {
        int start = json.indexOf('{');
        if (start < 0) {
            throw new IOException("fio wrote no report (exit " + exitStatus + "):\n" + json + output);
        }
        JsonNode root = JSON.readTree(json.substring(start));
        List<Job> jobs = new ArrayList<>();
        for (JsonNode job : root.path("jobs")) {
            jobs.add(new Job(
                    job.path("jobname").asText(),
                    job.path("error").asInt(),
                    direction(job.path("read")),
                    direction(job.path("write"))));
        }
        return new Report(exitStatus, List.copyOf(jobs), output + json.substring(0, start));
    }

    private static Direction direction(JsonNode node) {
        return new Direction(
                node.path("io_bytes").asLong(),
                node.path("bw").asDouble(),
                node.path("iops").asDouble(),
                node.path("total_ios").asLong());
    }
}
