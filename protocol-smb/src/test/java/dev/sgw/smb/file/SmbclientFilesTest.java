package dev.sgw.smb.file;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.core.spi.ProtocolServer;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.smb.server.Smbclient;
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
    @TempDir
    Path dir;

    private ProtocolServer server;
    private MemoryFileVolume volume;
    private int port;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(Smbclient.PATH)), "smbclient is installed");
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

    private Smbclient.Run smbclient(String commands) throws IOException, InterruptedException {
        return smbclient(List.of(), commands);
    }

    private Smbclient.Run smbclient(List<String> options, String commands) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("//127.0.0.1/share", "-U", "alice%Secret-1", "-m", "SMB3_11", "-c", commands));
        return Smbclient.run(dir, port, args);
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
            Smbclient.Run run = smbclient(List.of(option), "put large.bin large.bin; get large.bin back.bin");
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
        Smbclient.Run run = smbclient("mkdir a; put up.bin a\\f.bin; ls a\\*; get a\\f.bin down.bin; "
                + "rename a\\f.bin a\\g.bin; ls a\\*.bin; allinfo a\\g.bin");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain("NT_STATUS_");
        assertThat(run.output()).contains("f.bin", "g.bin", "create_time", "stream: [::$DATA], 1048579 bytes");
        assertThat(Files.readAllBytes(dir.resolve("down.bin"))).isEqualTo(data);
        assertThat(find("a", "g.bin").size()).isEqualTo(data.length);

        Smbclient.Run del = smbclient("del a\\g.bin; rmdir a; ls");
        assertThat(del.exit()).as(del.output()).isZero();
        assertThat(del.output()).doesNotContain("NT_STATUS_").doesNotContain(" a ");
        assertThat(volume.readdir(volume.root(), 0, 0, 10).entries()).isEmpty();
    }

    /** A named stream goes up and comes back through smbclient, and allinfo lists it beside the data stream. */
    @Test
    void namedStreamsUpDownAndListed() throws Exception {
        Files.writeString(dir.resolve("x.txt"), "stream bytes");
        Files.writeString(dir.resolve("y.txt"), "file");
        Smbclient.Run run =
                smbclient("put y.txt f.txt; put x.txt f.txt:Zone.Identifier; get f.txt:zone.identifier back.txt; "
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
        Smbclient.Run run = smbclient("put x.txt one.txt; put x.txt two.TXT; put x.txt three.doc; ls *.txt");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .containsPattern("one\\.txt +A")
                .containsPattern("two\\.TXT +A")
                .doesNotContainPattern("three\\.doc +A");
        Smbclient.Run missing = smbclient("get nosuch.txt here.txt");
        assertThat(missing.output()).contains("NT_STATUS_OBJECT_NAME_NOT_FOUND");
        Smbclient.Run none = smbclient("ls *.none");
        assertThat(none.output()).contains("NT_STATUS_NO_SUCH_FILE");
    }
}
