package dev.sgw.core.gateway;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.sgw.core.block.ChunkedBlockVolume;
import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.ManagementException;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.manage.SmbUser;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.spi.VolumeDirectory.NfsExport;
import dev.sgw.core.spi.VolumeDirectory.SmbExport;
import dev.sgw.core.volume.BlockVolume;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Configuration changes reach running shares and volumes ({@link SpecChange}): an iSCSI volume grows while
 * open and while the gateway is down, the upload delay, the reverse sync interval and the NFS client rules
 * change without a reopen, and a mode change reopens the share. An SMB share without an NFS share opens with
 * its own capacity and owner.
 */
class GatewayRuntimeChangesTest extends GatewayBucketFixture {
    static final long MIB = 1L << 20;

    static IscsiVolume.Builder volume(long capacity) {
        return IscsiVolume.builder("vol")
                .capacityBytes(capacity)
                .resource("bucket")
                .mode(VolumeMode.CACHE)
                .cacheDisk("disk");
    }

    @Test
    void anIscsiVolumeGrowsLiveAndAcrossARestartAndNeverShrinks() throws Exception {
        ManagementService m = configure();
        byte[] old = filled(4096, 7);
        byte[] grown = filled(4096, 9);
        try (GatewayRuntime runtime = GatewayRuntime.start(dir.resolve("data"), m, new SimpleMeterRegistry())) {
            m.createIscsiVolume(volume(64 * MIB).build());
            BlockVolume vol = runtime.iscsi("vol").orElseThrow().volume();
            vol.write(64 * MIB - 4096, ByteBuffer.wrap(old), true);

            m.updateIscsiVolume(volume(96 * MIB).build());
            assertThat(runtime.iscsi("vol").orElseThrow().volume())
                    .as("grown in place, not reopened")
                    .isSameAs(vol);
            assertThat(vol.capacity()).isEqualTo(96 * MIB);
            assertThat(volumeJson()).contains("\"capacity\":" + 96 * MIB);
            vol.write(90 * MIB, ByteBuffer.wrap(grown), true);
            assertThat(read(vol, 64 * MIB - 4096)).isEqualTo(old);
            assertThat(read(vol, 80 * MIB)).as("the grown part reads as zeros").isEqualTo(new byte[4096]);
            assertThat(runtime.drain(Duration.ofSeconds(30))).isTrue();

            assertThatThrownBy(() -> ((ChunkedBlockVolume) vol).grow(64 * MIB))
                    .isInstanceOfSatisfying(
                            VolumeException.class, e -> assertThat(e.error()).isEqualTo(VolumeError.INVAL))
                    .hasMessageContaining("cannot shrink");
            assertThatThrownBy(() -> m.updateIscsiVolume(volume(32 * MIB).build()))
                    .isInstanceOf(ManagementException.class)
                    .hasMessageContaining("can only grow");
        }

        ManagementService again = ManagementService.open(dir.resolve("state"));
        again.updateIscsiVolume(volume(128 * MIB).build()); // grown while the gateway is down
        try (GatewayRuntime runtime = GatewayRuntime.start(dir.resolve("data"), again, new SimpleMeterRegistry())) {
            BlockVolume vol = runtime.iscsi("vol").orElseThrow().volume();
            assertThat(vol.capacity()).isEqualTo(128 * MIB);
            assertThat(volumeJson()).contains("\"capacity\":" + 128 * MIB);
            assertThat(read(vol, 64 * MIB - 4096)).isEqualTo(old);
            assertThat(read(vol, 90 * MIB)).isEqualTo(grown);
            vol.write(128 * MIB - 4096, ByteBuffer.wrap(grown), true);
        }
    }

    @Test
    void uploadDelayReverseSyncIntervalAndClientRulesChangeWithoutAReopen() throws Exception {
        ManagementService m = configure();
        NfsShare.Builder share = NfsShare.builder("/demo")
                .mode(VolumeMode.CACHE)
                .resource("bucket")
                .prefix("demo/")
                .cacheDisk("disk")
                .clients(List.of(new ClientRule("10.0.0.0/8", true)))
                .uploadDelaySeconds(120)
                .reverseSyncIntervalSeconds(3600);
        try (GatewayRuntime runtime = GatewayRuntime.start(dir.resolve("data"), m, new SimpleMeterRegistry())) {
            m.createNfsShare(share.build());
            NfsExport export = runtime.nfs("/demo").orElseThrow();
            FileVolume nfs = export.volume();
            FileAttributes file = nfs.create(nfs.root(), "late.txt", CreateMode.GUARDED, SetAttributes.NONE);
            nfs.write(file.id(), 0, ByteBuffer.wrap("late".getBytes(StandardCharsets.UTF_8)), Stability.FILE_SYNC);
            Thread.sleep(1500);
            assertThat(exists("demo/late.txt"))
                    .as("held by the two-minute upload delay")
                    .isFalse();

            m.updateNfsShare(share.uploadDelaySeconds(0).build());
            assertThat(eventually(() -> exists("demo/late.txt")))
                    .as("uploaded once the delay is zero, without a drain or reopen")
                    .isTrue();

            client.putObject(b -> b.bucket(BUCKET).key("demo/from-bucket.txt"), RequestBody.fromString("hi"));
            m.updateNfsShare(share.reverseSyncIntervalSeconds(1).build());
            assertThat(eventually(() -> present(runtime, "from-bucket.txt")))
                    .as("the next scan comes a second after the interval change")
                    .isTrue();

            InetAddress outside = InetAddress.getByName("192.168.1.5");
            assertThat(rulesOf(runtime).stream().anyMatch(r -> r.matches(outside)))
                    .isFalse();
            m.updateNfsShare(share.clients(List.of(new ClientRule("192.168.1.0/24", false)))
                    .build());
            assertThat(rulesOf(runtime).stream().anyMatch(r -> r.matches(outside)))
                    .as("the new client rules are what protocols read at their next call")
                    .isTrue();

            assertThat(runtime.nfs("/demo").orElseThrow().sharing())
                    .as("the same open volume throughout")
                    .isSameAs(export.sharing());

            m.updateNfsShare(share.mode(VolumeMode.SYNC).build());
            FileSharing reopened = runtime.nfs("/demo").orElseThrow().sharing();
            assertThat(reopened).as("a mode change reopens the volume").isNotSameAs(export.sharing());
            FileVolume now = runtime.nfs("/demo").orElseThrow().volume();
            assertThat(now.lookup(now.root(), "late.txt").size()).isEqualTo(4);
        }
    }

    @Test
    void anSmbOnlyShareOpensWithItsOwnCapacityAndOwner() throws Exception {
        ManagementService m = configure();
        client.putObject(b -> b.bucket(BUCKET).key("docs/from-bucket.txt"), RequestBody.fromString("hi"));
        SmbShare.Builder share = SmbShare.builder("docs")
                .mode(VolumeMode.CACHE)
                .resource("bucket")
                .cacheDisk("disk")
                .capacityBytes(64 * MIB)
                .ownerUid(1234)
                .ownerGid(5678);
        try (GatewayRuntime runtime = GatewayRuntime.start(dir.resolve("data"), m, new SimpleMeterRegistry())) {
            m.createSmbShare(share.build());
            SmbExport export = runtime.smb("docs").orElseThrow();
            FileVolume smb = export.volume();
            assertThat(smb.statfs().totalBytes()).isEqualTo(64 * MIB);
            assertThat(ownerOf(smb.getattr(smb.root()))).isEqualTo("1234:5678");
            FileAttributes created = smb.create(smb.root(), "new.txt", CreateMode.GUARDED, SetAttributes.NONE);
            assertThat(ownerOf(created)).as("a new file given no owner").isEqualTo("1234:5678");
            assertThat(eventually(() -> present(smb, "from-bucket.txt"))).isTrue();
            assertThat(ownerOf(smb.lookup(smb.root(), "from-bucket.txt")))
                    .as("an object imported from the bucket")
                    .isEqualTo("1234:5678");

            m.updateSmbShare(share.capacityBytes(128 * MIB).ownerUid(4321).build());
            assertThat(runtime.smb("docs").orElseThrow().sharing())
                    .as("capacity and owner are taken when the volume opens: a change reopens it")
                    .isNotSameAs(export.sharing());
            FileVolume reopened = runtime.smb("docs").orElseThrow().volume();
            assertThat(reopened.statfs().totalBytes()).isEqualTo(128 * MIB);
            FileAttributes later =
                    reopened.create(reopened.root(), "later.txt", CreateMode.GUARDED, SetAttributes.NONE);
            assertThat(ownerOf(later)).isEqualTo("4321:5678");
        }
    }

    @Test
    void anSmbShareFindsNamesWithoutCaseUnlessCaseSensitiveAndItsAccessFieldsChangeLive() throws Exception {
        ManagementService m = configure();
        m.createSmbUser(SmbUser.withPassword("alice", "alice-PASSWORD-93"));
        SmbShare.Builder share = SmbShare.builder("docs")
                .mode(VolumeMode.CACHE)
                .resource("bucket")
                .cacheDisk("disk")
                .allowedUsers(List.of("alice"));
        try (GatewayRuntime runtime = GatewayRuntime.start(dir.resolve("data"), m, new SimpleMeterRegistry())) {
            m.createSmbShare(share.build());
            SmbExport export = runtime.smb("docs").orElseThrow();
            FileVolume v = export.volume();
            FileAttributes report = v.create(v.root(), "Report.TXT", CreateMode.GUARDED, SetAttributes.NONE);
            assertThat(v.lookup(v.root(), "report.txt").inode())
                    .as("case-insensitive by default")
                    .isEqualTo(report.inode());

            m.updateSmbShare(share.readOnlyUsers(List.of("alice"))
                    .browseable(false)
                    .encryptData(true)
                    .build());
            SmbExport live = runtime.smb("docs").orElseThrow();
            assertThat(live.sharing())
                    .as("access fields apply without a reopen")
                    .isSameAs(export.sharing());
            assertThat(live.share().readOnlyFor("alice")).isTrue();
            assertThat(live.share().encryptData()).isTrue();
            assertThat(live.share().browseable()).isFalse();

            m.updateSmbShare(share.caseSensitive(true).build());
            SmbExport exact = runtime.smb("docs").orElseThrow();
            assertThat(exact.sharing()).as("caseSensitive reopens the volume").isNotSameAs(export.sharing());
            FileVolume now = exact.volume();
            assertThat(now.lookup(now.root(), "Report.TXT").inode()).isEqualTo(report.inode());
            assertThatThrownBy(() -> now.lookup(now.root(), "report.txt"))
                    .isInstanceOfSatisfying(
                            VolumeException.class, e -> assertThat(e.error()).isEqualTo(VolumeError.NOENT));
        }
    }

    private static String ownerOf(FileAttributes a) {
        return a.uid() + ":" + a.gid();
    }

    private static boolean present(FileVolume v, String name) {
        try {
            v.lookup(v.root(), name);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<ClientRule> rulesOf(GatewayRuntime runtime) {
        return runtime.nfs("/demo").orElseThrow().share().clients();
    }

    private static boolean present(GatewayRuntime runtime, String name) {
        return present(runtime.nfs("/demo").orElseThrow().volume(), name);
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    private boolean exists(String key) {
        try {
            client.headObject(b -> b.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private String volumeJson() {
        return client.getObjectAsBytes(b -> b.bucket(BUCKET).key("vol/volume.json"))
                .asUtf8String();
    }

    private static byte[] read(BlockVolume vol, long offset) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4096);
        vol.read(offset, b);
        return b.array();
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
