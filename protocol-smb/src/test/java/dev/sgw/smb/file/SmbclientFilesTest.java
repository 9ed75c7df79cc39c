package dev.sgw.smb.file;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.core.spi.ProtocolServer;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.smb.server.TestGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Samba's smbclient against the whole SMB server (found as the {@code smb} {@link ProtocolServer}) on a free
 * loopback port, serving one in-memory share: directories, upload and download, listing with wildcards,
 * rename, delete, allinfo. Skipped while the server is not built (no {@code smb} protocol server).
 */
class SmbclientFilesTest {
    private static final String SMBCLIENT = "/usr/bin/smbclient";

    @TempDir
    Path dir;

    private ProtocolServer server;
    private MemoryFileVolume volume;
    private int port;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(SMBCLIENT)), "smbclient is installed");
        Optional<ProtocolServer> smb;
        try {
            smb = ServiceLoader.load(ProtocolServer.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(p -> p.protocol().equals("smb"))
                    .findFirst();
        } catch (ServiceConfigurationError e) {
            smb = Optional.empty();
        }
        assumeTrue(smb.isPresent(), "the SMB server is built");
        volume = new MemoryFileVolume("share", new MemoryFileVolume.Settings(1L << 40, 1000, 1000, 0644, 0755));
        TestGateway gateway = new TestGateway().user("alice", "Secret-1").share("share", volume, "alice");
        server = smb.get();
        try {
            server.start(new ProtocolContext(
                    new InetSocketAddress("127.0.0.1", 0), gateway, new SimpleMeterRegistry(), gateway, dir));
        } catch (UnsupportedOperationException e) {
            assumeTrue(false, "a part of the server is not built: " + e);
        }
        port = server.endpoints().get(0).port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    record Run(int exit, String output) {}

    private Run smbclient(String commands) throws IOException, InterruptedException {
        return smbclient(List.of(), commands);
    }

    private Run smbclient(List<String> options, String commands) throws IOException, InterruptedException {
        Path conf = dir.resolve("smb.conf");
        if (!Files.exists(conf)) {
            Files.writeString(conf, "[global]\n");
        }
        List<String> command = new ArrayList<>(List.of(
                SMBCLIENT,
                "-s",
                conf.toString(),
                "-p",
                Integer.toString(port),
                "//127.0.0.1/share",
                "-U",
                "alice%Secret-1",
                "-m",
                "SMB3_11",
                "-c",
                commands));
        command.addAll(1, options);
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

    private FileAttributes find(String... path) throws IOException {
        FileAttributes at = volume.getattr(volume.root());
        for (String name : path) {
            at = volume.lookup(at.id(), name);
        }
        return at;
    }

    /**
     * Files of several 8 MiB READs and WRITEs (each WRITE arriving in many socket reads, each READ answered
     * from one buffer the volume filled) go up and come back whole, plain, signed and encrypted.
     */
    @Test
    void largeFilesGoUpAndComeBackPlainSignedAndSealed() throws Exception {
        byte[] data = new byte[(20 << 20) + 12_345];
        new Random(11).nextBytes(data);
        Files.write(dir.resolve("large.bin"), data);
        for (String option : List.of(
                "--option=clientsigning=off",
                "--option=clientsigning=required",
                "--option=clientsmbencrypt=required")) {
            Files.deleteIfExists(dir.resolve("back.bin"));
            Run run = smbclient(List.of(option), "put large.bin large.bin; get large.bin back.bin");
            assertThat(run.exit()).as(option + ": " + run.output()).isZero();
            assertThat(run.output()).as(option).doesNotContain("NT_STATUS_");
            assertThat(find("large.bin").size()).as(option).isEqualTo(data.length);
            assertThat(Files.readAllBytes(dir.resolve("back.bin"))).as(option).isEqualTo(data);
        }
    }

    @Test
    void directoriesFilesRenameAndDelete() throws Exception {
        byte[] data = new byte[1024 * 1024 + 3];
        new Random(3).nextBytes(data);
        Files.write(dir.resolve("up.bin"), data);
        Run run = smbclient("mkdir a; put up.bin a\\f.bin; ls a\\*; get a\\f.bin down.bin; "
                + "rename a\\f.bin a\\g.bin; ls a\\*.bin; allinfo a\\g.bin");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain("NT_STATUS_");
        assertThat(run.output()).contains("f.bin", "g.bin", "create_time", "stream: [::$DATA], 1048579 bytes");
        assertThat(Files.readAllBytes(dir.resolve("down.bin"))).isEqualTo(data);
        assertThat(find("a", "g.bin").size()).isEqualTo(data.length);

        Run del = smbclient("del a\\g.bin; rmdir a; ls");
        assertThat(del.exit()).as(del.output()).isZero();
        assertThat(del.output()).doesNotContain("NT_STATUS_").doesNotContain(" a ");
        assertThat(volume.readdir(volume.root(), 0, 0, 10).entries()).isEmpty();
    }

    /** A named stream goes up and comes back through smbclient, and allinfo lists it beside the data stream. */
    @Test
    void namedStreamsUpDownAndListed() throws Exception {
        Files.writeString(dir.resolve("x.txt"), "stream bytes");
        Files.writeString(dir.resolve("y.txt"), "file");
        Run run = smbclient("put y.txt f.txt; put x.txt f.txt:Zone.Identifier; get f.txt:zone.identifier back.txt; "
                + "allinfo f.txt");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .doesNotContain("NT_STATUS_")
                .contains("stream: [::$DATA], 4 bytes", "stream: [:Zone.Identifier:$DATA], 12 bytes");
        assertThat(Files.readString(dir.resolve("back.txt"))).isEqualTo("stream bytes");
        assertThat(volume.namedAttributes(find("f.txt").id())).containsKey("smb.stream.Zone.Identifier");
        assertThat(find("f.txt").size()).isEqualTo(4);
    }

    @Test
    void listingWithWildcardsAndErrors() throws Exception {
        Files.writeString(dir.resolve("x.txt"), "x");
        Run run = smbclient("put x.txt one.txt; put x.txt two.TXT; put x.txt three.doc; ls *.txt");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .containsPattern("one\\.txt +A")
                .containsPattern("two\\.TXT +A")
                .doesNotContainPattern("three\\.doc +A");
        Run missing = smbclient("get nosuch.txt here.txt");
        assertThat(missing.output()).contains("NT_STATUS_OBJECT_NAME_NOT_FOUND");
        Run none = smbclient("ls *.none");
        assertThat(none.output()).contains("NT_STATUS_NO_SUCH_FILE");
    }
}
