package dev.sgw.core.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.sgw.core.manage.BackendKind;
import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.CloudResource;
import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.Secret;
import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.volume.BlockVolume;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.ReadResult;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime opens what the management service describes, over a real S3 server: an NFS and an SMB share
 * on one location are one volume, an iSCSI volume is created then recovered after a restart, everything
 * reaches the bucket on drain, and a deleted share is closed.
 */
class GatewayRuntimeTest extends GatewayBucketFixture {

    @Test
    void opensSharesAndVolumesFollowsChangesAndSurvivesARestart() throws Exception {
        ManagementService m = configure();
        byte[] block = new byte[4096];
        Arrays.fill(block, (byte) 7);
        try (GatewayRuntime runtime = GatewayRuntime.start(dir.resolve("data"), m, new SimpleMeterRegistry())) {
            m.createNfsShare(NfsShare.builder("/demo")
                    .mode(VolumeMode.CACHE)
                    .resource("bucket")
                    .prefix("demo/")
                    .cacheDisk("disk")
                    .clients(List.of(ClientRule.anyReadWrite()))
                    .uploadDelaySeconds(0)
                    .build());
            m.createSmbShare(SmbShare.builder("demo")
                    .mode(VolumeMode.CACHE)
                    .resource("bucket")
                    .prefix("demo/")
                    .cacheDisk("disk")
                    .uploadDelaySeconds(0)
                    .build());
            m.createIscsiVolume(IscsiVolume.builder("vol")
                    .capacityBytes(64L << 20)
                    .resource("bucket")
                    .mode(VolumeMode.CACHE)
                    .cacheDisk("disk")
                    .build());

            FileVolume nfs = runtime.nfs("/demo").orElseThrow().volume();
            // an NFS export's volume is the share's volume behind a lease-breaking decorator; the volume's one
            // FileSharing shows that both exports are over the same volume
            assertThat(runtime.smb("DEMO").orElseThrow().sharing())
                    .as("one location, one volume")
                    .isSameAs(runtime.nfs("/demo").orElseThrow().sharing());
            FileAttributes file = nfs.create(nfs.root(), "hello.txt", CreateMode.GUARDED, SetAttributes.NONE);
            nfs.write(file.id(), 0, ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)), Stability.FILE_SYNC);
            BlockVolume vol = runtime.iscsi("vol").orElseThrow().volume();
            vol.write(8192, ByteBuffer.wrap(block), true);

            assertThat(runtime.drain(Duration.ofSeconds(30))).isTrue();
            assertThat(get("demo/hello.txt").asUtf8String()).isEqualTo("hello");
            assertThat(get("vol/volume.json").asUtf8String()).contains("\"capacity\"");
            assertThat(runtime.status())
                    .extracting(GatewayRuntime.VolumeStatus::name)
                    .contains("/demo", "vol");
        }

        ManagementService again = ManagementService.open(dir.resolve("state"));
        try (GatewayRuntime runtime = GatewayRuntime.start(dir.resolve("data"), again, new SimpleMeterRegistry())) {
            FileVolume smb = runtime.smb("demo").orElseThrow().volume();
            FileAttributes file = smb.lookup(smb.root(), "hello.txt");
            ByteBuffer text = ByteBuffer.allocate(16);
            ReadResult r = smb.read(file.id(), 0, text);
            assertThat(new String(text.array(), 0, r.count(), StandardCharsets.UTF_8))
                    .isEqualTo("hello");
            ByteBuffer back = ByteBuffer.allocate(4096);
            runtime.iscsi("vol").orElseThrow().volume().read(8192, back);
            assertThat(back.array())
                    .as("the volume is recovered, not created again")
                    .isEqualTo(block);

            // a resource update (new endpoint or credentials) reopens the volumes on it
            again.updateResource(new CloudResource(
                    "bucket",
                    BackendKind.S3,
                    s3.endpoint(),
                    "us-east-1",
                    BUCKET,
                    "",
                    s3.accessKey(),
                    Secret.of(s3.secretKey()),
                    true));
            FileVolume reopened = runtime.smb("demo").orElseThrow().volume();
            assertThat(reopened).isNotSameAs(smb);
            assertThat(reopened.lookup(reopened.root(), "hello.txt").size()).isEqualTo(5);
            assertThat(runtime.iscsi("vol")).isPresent();

            again.deleteSmbShare("demo");
            assertThat(runtime.nfs("/demo"))
                    .as("the NFS share still serves the location")
                    .isPresent();
            again.deleteNfsShare("/demo");
            assertThat(runtime.nfs("/demo")).isEmpty();
            assertThat(runtime.status())
                    .extracting(GatewayRuntime.VolumeStatus::name)
                    .containsExactly("vol");
        }
    }

    ResponseBytes<GetObjectResponse> get(String key) {
        return client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
    }
}
