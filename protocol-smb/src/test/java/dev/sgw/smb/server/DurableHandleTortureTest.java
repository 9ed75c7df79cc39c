package dev.sgw.smb.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.smb.auth.SecurityExchange;
import dev.sgw.smb.file.DiskTreeCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Samba's smbtorture against the server on a free loopback port: durable opens that outlive a dropped TCP
 * connection (their share mode, byte-range lock and lease) and come back on a new connection and session
 * (DHnC, DH2C), another client purging a disconnected open, a replayed DH2Q CREATE and a replayed LOCK.
 */
class DurableHandleTortureTest {
    private static final String SMBTORTURE = "/usr/bin/smbtorture";
    private static final List<String> TESTS = List.of(
            "smb2.durable-open.reopen2",
            "smb2.durable-open.lock-lease",
            "smb2.durable-open.open2-oplock",
            "smb2.durable-v2-open.reopen2-lease",
            "smb2.replay.replay-dhv2-oplock1",
            "smb2.lock.replay_smb3_specification_durable");

    @TempDir
    Path dir;

    private SmbServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Files.isExecutable(Path.of(SMBTORTURE)), "smbtorture is installed");
        assumeTrue(SmbClientTest.partsBuilt(), "the auth, crypto, rpc and file parts are merged");
        TestGateway gateway = new TestGateway().user("alice", "Secret-1").share("share", "alice");
        server = new SmbServer(SmbSettings.defaults(), SecurityExchange::negotiateToken, DiskTreeCommands::new);
        server.start(new ProtocolContext(
                new InetSocketAddress("127.0.0.1", 0), gateway, new SimpleMeterRegistry(), gateway, dir));
        port = server.endpoints().get(0).port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void durableOpensComeBackAfterTheConnectionDrops() throws Exception {
        Path conf = dir.resolve("smb.conf");
        Files.writeString(conf, "[global]\n");
        List<String> command = new ArrayList<>(List.of(
                SMBTORTURE,
                "-s",
                conf.toString(),
                "//127.0.0.1/share",
                "-p",
                Integer.toString(port),
                "-U",
                "alice%Secret-1",
                "--format=subunit"));
        command.addAll(TESTS);
        Path log = dir.resolve("smbtorture.out");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .directory(dir.toFile())
                .start();
        p.getOutputStream().close();
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as(output).isTrue();
        List<String> lines = output.lines().toList();
        for (String test : TESTS) {
            String success = "success: " + test.substring(test.lastIndexOf('.') + 1);
            assertThat(lines).as(output).contains(success);
        }
    }
}
