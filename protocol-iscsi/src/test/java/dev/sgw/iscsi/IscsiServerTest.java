package dev.sgw.iscsi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

import dev.sgw.core.manage.BackendKind;
import dev.sgw.core.manage.CacheDiskConfig;
import dev.sgw.core.manage.CloudResource;
import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.Secret;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.core.spi.ProtocolServer;
import dev.sgw.iscsi.login.KeyValue;
import dev.sgw.iscsi.scsi.ItNexus;
import dev.sgw.iscsi.scsi.LogicalUnit;
import dev.sgw.iscsi.scsi.ScsiCommand;
import dev.sgw.iscsi.scsi.ScsiResponse;
import dev.sgw.iscsi.session.TargetSettings;
import dev.sgw.iscsi.testing.ManagedDirectory;
import dev.sgw.iscsi.testing.TestInitiator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The portal as the gateway wires it: found by ServiceLoader, bound on port 0, named by its prefix, stopped cleanly. */
class IscsiServerTest {
    @TempDir
    Path dir;

    private ManagementService management() throws IOException {
        ManagementService m = ManagementService.open(dir.resolve("state"));
        m.createResource(
                new CloudResource("mem", BackendKind.MEMORY, (URI) null, null, "bkt", "", null, (Secret) null, false));
        m.createCacheDisk(CacheDiskConfig.of("ssd", dir.resolve("cache"), 1L << 30));
        m.createIscsiVolume(IscsiVolume.builder("vol")
                .capacityBytes(1 << 20)
                .resource("mem")
                .cacheDisk("ssd")
                .build());
        return m;
    }

    private ProtocolContext context(ManagementService m, int port) {
        return new ProtocolContext(
                new InetSocketAddress("127.0.0.1", port), new ManagedDirectory(m), new SimpleMeterRegistry(), m, dir);
    }

    @Test
    void serviceLoaderFindsItAndItReportsTheRealPortThenStopsCleanly() throws Exception {
        ProtocolServer server = ServiceLoader.load(ProtocolServer.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(s -> s.protocol().equals("iscsi"))
                .findFirst()
                .orElseThrow();
        assertThat(server).isInstanceOf(IscsiServer.class);
        server.start(context(management(), 0));
        int port = server.endpoints().get(0).port();
        assertThat(port).isPositive();
        assertThat(server.endpoints().get(0).protocol()).isEqualTo("iscsi");
        try (TestInitiator i = TestInitiator.connect(port)) {
            assertThat(i.login(null).status()).isZero();
            assertThat(i.text(List.of(new KeyValue("SendTargets", "All"))))
                    .contains(new KeyValue("TargetName", IscsiServer.DEFAULT_IQN_PREFIX + ":vol"));
            server.close();
            assertThat(i.closedByTarget()).isTrue();
        }
        assertThat(server.endpoints()).isEmpty();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
        server.close(); // idempotent
    }

    @Test
    void theTargetNamePrefixComesFromTheSystemProperty() {
        String before = System.getProperty(IscsiServer.IQN_PREFIX_PROPERTY);
        System.setProperty(IscsiServer.IQN_PREFIX_PROPERTY, "iqn.2030-01.example.storage");
        try {
            assertThat(new IscsiServer().targetName("vol")).isEqualTo("iqn.2030-01.example.storage:vol");
        } finally {
            if (before == null) {
                System.clearProperty(IscsiServer.IQN_PREFIX_PROPERTY);
            } else {
                System.setProperty(IscsiServer.IQN_PREFIX_PROPERTY, before);
            }
        }
    }

    @Test
    void aPortInUseFailsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            IscsiServer server = new IscsiServer("iqn.2026-11.dev.sgw", TargetSettings.defaults(), lun -> null);
            assertThatThrownBy(() -> server.start(context(management(), taken.getLocalPort())))
                    .isInstanceOf(IOException.class);
            assertThat(server.endpoints()).isEmpty();
        }
    }

    @Test
    void aLogicalUnitThatCannotBeMadeOrThrowsAnswersTargetFailure() throws Exception {
        ManagementService m = management();
        m.createIscsiVolume(IscsiVolume.builder("boom")
                .capacityBytes(1 << 20)
                .resource("mem")
                .cacheDisk("ssd")
                .build());
        LogicalUnit throwing = new LogicalUnit() {
            @Override
            public ScsiResponse execute(ScsiCommand command) {
                throw new IllegalStateException("broken");
            }

            @Override
            public void reset(ItNexus nexus) {}

            @Override
            public void nexusLost(ItNexus nexus) {}
        };
        IscsiServer server = new IscsiServer("iqn.2026-11.dev.sgw", TargetSettings.defaults(), lun -> {
            if (lun.config().name().equals("vol")) {
                throw new IllegalStateException("no command set");
            }
            return throwing;
        });
        server.start(context(m, 0));
        try {
            for (String volume : List.of("vol", "boom")) {
                try (TestInitiator i =
                        TestInitiator.connect(server.endpoints().get(0).port())) {
                    assertThat(i.login(server.targetName(volume)).status()).isZero();
                    TestInitiator.Result r = i.read10(0, 1, 512);
                    assertThat(r.response()).as(volume).isEqualTo(0x01);
                    assertThat(i.nop(new byte[0])).as("the session goes on").isNotNull();
                }
            }
        } finally {
            server.close();
        }
    }
}
