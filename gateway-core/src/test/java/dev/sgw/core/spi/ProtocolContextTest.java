package dev.sgw.core.spi;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.sgw.core.manage.BackendKind;
import dev.sgw.core.manage.CacheDiskConfig;
import dev.sgw.core.manage.ChapCredentials;
import dev.sgw.core.manage.CloudResource;
import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.NtHash;
import dev.sgw.core.manage.Secret;
import dev.sgw.core.manage.SmbUser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ProtocolContextTest {
    @TempDir
    Path dir;

    /** A directory with nothing open: these tests are about credentials. */
    private static final VolumeDirectory NO_VOLUMES = new VolumeDirectory() {
        @Override
        public Optional<NfsExport> nfs(String path) {
            return Optional.empty();
        }

        @Override
        public List<NfsExport> nfsExports() {
            return List.of();
        }

        @Override
        public Optional<SmbExport> smb(String name) {
            return Optional.empty();
        }

        @Override
        public List<SmbExport> smbExports() {
            return List.of();
        }

        @Override
        public Optional<IscsiLun> iscsi(String volumeName) {
            return Optional.empty();
        }

        @Override
        public List<IscsiLun> iscsiLuns() {
            return List.of();
        }
    };

    @Test
    void credentialsFollowTheManagementService() throws Exception {
        ManagementService management = ManagementService.open(dir);
        ProtocolContext ctx = new ProtocolContext(
                new InetSocketAddress("127.0.0.1", 0), NO_VOLUMES, new SimpleMeterRegistry(), management, dir);
        assertThat(ctx.smbNtHash("alice")).isEmpty();

        management.createSmbUser(SmbUser.withPassword("Alice", "password"));
        assertThat(ctx.smbNtHash("ALICE")).contains(NtHash.ofPassword("password"));
        assertThat(ctx.smbUser("alice"))
                .hasValueSatisfying(u -> assertThat(u.enabled()).isTrue());
        management.updateSmbUser(management.smbUser("alice").withEnabled(false).withIds(2001, null));
        assertThat(ctx.smbUser("ALICE")).hasValueSatisfying(u -> {
            assertThat(u.enabled()).as("the latest commit").isFalse();
            assertThat(u.uid()).isEqualTo(2001);
        });
        assertThat(ctx.smbUser("bob")).isEmpty();

        management.createResource(
                new CloudResource("mem", BackendKind.MEMORY, (URI) null, null, "bkt", "", null, (Secret) null, false));
        management.createCacheDisk(CacheDiskConfig.of("ssd", Path.of("/cache"), 1L << 30));
        management.createIscsiVolume(IscsiVolume.builder("vol1")
                .capacityBytes(1L << 20)
                .resource("mem")
                .cacheDisk("ssd")
                .chap(ChapCredentials.of("init", "twelve-chars"))
                .build());
        management.createIscsiVolume(IscsiVolume.builder("vol2")
                .capacityBytes(1L << 20)
                .resource("mem")
                .cacheDisk("ssd")
                .build());
        assertThat(ctx.chap("vol1"))
                .hasValueSatisfying(c -> assertThat(c.secret().reveal()).isEqualTo("twelve-chars"));
        assertThat(ctx.chap("vol2")).isEmpty();
        assertThat(ctx.chap("nope")).isEmpty();
    }

    @Test
    void serversHearOnlyShareAndVolumeEventsAndStopHearingWhenRemoved() throws Exception {
        ManagementService management = ManagementService.open(dir);
        ProtocolContext ctx = new ProtocolContext(
                new InetSocketAddress("127.0.0.1", 0), NO_VOLUMES, new SimpleMeterRegistry(), management, dir);
        List<VolumeEvent> heard = new CopyOnWriteArrayList<>();
        Consumer<VolumeEvent> listener = heard::add;
        ctx.configuration().addVolumeListener(listener);

        management.createResource(
                new CloudResource("mem", BackendKind.MEMORY, (URI) null, null, "bkt", "", null, (Secret) null, false));
        management.createCacheDisk(CacheDiskConfig.of("ssd", Path.of("/cache"), 1L << 30));
        management.createSmbUser(SmbUser.withPassword("Alice", "password"));
        IscsiVolume.Builder vol = IscsiVolume.builder("vol1")
                .capacityBytes(1L << 20)
                .resource("mem")
                .cacheDisk("ssd");
        management.createIscsiVolume(vol.build());
        management.updateIscsiVolume(vol.capacityBytes(2L << 20).build());

        assertThat(heard)
                .extracting(VolumeEvent::kind, VolumeEvent::action, VolumeEvent::name)
                .containsExactly(
                        tuple(VolumeEvent.Kind.ISCSI_VOLUME, VolumeEvent.Action.CREATED, "vol1"),
                        tuple(VolumeEvent.Kind.ISCSI_VOLUME, VolumeEvent.Action.UPDATED, "vol1"));
        assertThat(heard.get(1).before(IscsiVolume.class).capacityBytes()).isEqualTo(1L << 20);
        assertThat(heard.get(1).after(IscsiVolume.class).capacityBytes()).isEqualTo(2L << 20);

        ctx.configuration().removeVolumeListener(listener);
        management.deleteIscsiVolume("vol1");
        assertThat(heard).hasSize(2);
    }
}
