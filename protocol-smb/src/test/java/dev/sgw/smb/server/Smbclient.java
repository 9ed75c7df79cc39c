package dev.sgw.smb.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Samba's smbclient against a test server on loopback, as the module's real-client tests run it: in {@code dir},
 * with an empty {@code smb.conf} there (so no machine configuration leaks in), no input, at most 60 s.
 */
public final class Smbclient {
    /** Where Debian installs it; tests skip when it is missing. */
    public static final String PATH = "/usr/bin/smbclient";

    /** What smbclient printed and how it ended. */
    public record Run(int exit, String output) {}

    private Smbclient() {}

    /** Runs {@code smbclient -s DIR/smb.conf -p PORT ARGS...}. */
    public static Run run(Path dir, int port, List<String> args) throws IOException, InterruptedException {
        Path conf = dir.resolve("smb.conf");
        if (!Files.exists(conf)) {
            Files.writeString(conf, "[global]\n");
        }
        List<String> command = new ArrayList<>(List.of(PATH, "-s", conf.toString(), "-p", Integer.toString(port)));
        command.addAll(args);
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .directory(dir.toFile())
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("smbclient did not finish: " + command);
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
