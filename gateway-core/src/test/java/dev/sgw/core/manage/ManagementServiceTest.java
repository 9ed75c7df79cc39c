package dev.sgw.core.manage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.manage.ConfigChange.Action;
import dev.sgw.core.manage.ManagementException.Code;
import dev.sgw.core.volume.VolumeMode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ManagementServiceTest {
    @TempDir
    Path dir;

    ManagementService service;

    @BeforeEach
    void open() throws Exception {
        service = ManagementService.open(dir);
        service.createResource(Samples.s3());
        service.createCacheDisk(Samples.disk("ssd"));
    }

    private void refused(ThrowingCallable change, Code code, String message) {
        GatewayState before = service.state();
        assertThatThrownBy(change).isInstanceOfSatisfying(ManagementException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
        assertThat(service.state()).isEqualTo(before);
    }

    @Test
    void createGetListUpdateDelete() throws Exception {
        service.createNfsShare(Samples.nfs("/demo").build());
        assertThat(service.nfsShare("/demo").prefix()).isEqualTo("demo/");
        assertThat(service.nfsShares()).extracting(NfsShare::path).containsExactly("/demo");

        service.updateNfsShare(Samples.nfs("/demo").uploadDelaySeconds(30).build());
        assertThat(service.nfsShare("/demo").uploadDelaySeconds()).isEqualTo(30);

        service.deleteNfsShare("/demo");
        assertThat(service.nfsShares()).isEmpty();
        refused(() -> service.nfsShare("/demo"), Code.NOT_FOUND, "NFS share /demo does not exist");
        refused(() -> service.deleteNfsShare("/demo"), Code.NOT_FOUND, "does not exist");
        refused(() -> service.updateNfsShare(Samples.nfs("/demo").build()), Code.NOT_FOUND, "does not exist");
    }

    @Test
    void duplicateNamesConflict() throws Exception {
        refused(() -> service.createResource(Samples.s3()), Code.CONFLICT, "resource 'minio' already exists");
        service.createNfsShare(Samples.nfs("/demo").build());
        refused(
                () -> service.createNfsShare(Samples.nfs("/demo").prefix("x/").build()),
                Code.CONFLICT,
                "NFS share /demo already exists");
        service.createSmbShare(Samples.smb("Docs").build());
        refused(
                () -> service.createSmbShare(Samples.smb("DOCS").prefix("y/").build()),
                Code.CONFLICT,
                "SMB share 'DOCS' already exists");
        service.createSmbUser(Samples.alice());
        refused(
                () -> service.createSmbUser(SmbUser.withPassword("ALICE", "password")),
                Code.CONFLICT,
                "already exists");
        refused(
                () -> service.createCacheDisk(
                        new CacheDiskConfig("other", Path.of("/var/cache/sgw/ssd"), 1L << 30, 1 << 20)),
                Code.CONFLICT,
                "cache disk directory '/var/cache/sgw/ssd' already exists");
    }

    @Test
    void referencesMustExist() {
        refused(
                () -> service.createNfsShare(
                        Samples.nfs("/demo").resource("nope").build()),
                Code.INVALID,
                "NFS share /demo: resource 'nope' does not exist");
        refused(
                () -> service.createNfsShare(
                        Samples.nfs("/demo").cacheDisk("nope").build()),
                Code.INVALID,
                "cache disk 'nope' does not exist");
        refused(
                () -> service.createSmbShare(
                        Samples.smb("docs").allowedUsers(List.of("bob")).build()),
                Code.INVALID,
                "SMB share 'docs': allowed user 'bob' does not exist");
        refused(
                () -> service.createIscsiVolume(
                        Samples.volume("v").resource("nope").build()),
                Code.INVALID,
                "iSCSI volume 'v': resource 'nope' does not exist");
    }

    @Test
    void volumeChunkMustFitTheCacheDisk() throws Exception {
        service.createCacheDisk(new CacheDiskConfig("small", Path.of("/small"), 1L << 30, 256 << 10));
        refused(
                () -> service.createIscsiVolume(
                        Samples.volume("v").cacheDisk("small").build()),
                Code.INVALID,
                "chunkSize 1048576 must not exceed the chunk size 262144 of cache disk 'small'");
    }

    @Test
    void resourcesAndDisksInUseCannotBeDeleted() throws Exception {
        service.createNfsShare(Samples.nfs("/demo").build());
        service.createIscsiVolume(Samples.volume("vol1").build());
        refused(
                () -> service.deleteResource("minio"),
                Code.IN_USE,
                "resource 'minio' is in use by NFS share /demo, iSCSI volume 'vol1'");
        refused(() -> service.deleteCacheDisk("ssd"), Code.IN_USE, "cache disk 'ssd' is in use by NFS share /demo");
        service.deleteNfsShare("/demo");
        service.deleteIscsiVolume("vol1");
        service.deleteCacheDisk("ssd");
        service.deleteResource("minio");
        assertThat(service.resources()).isEmpty();
    }

    @Test
    void aUserNamedByASharesAllowedUsersCannotBeDeleted() throws Exception {
        service.createSmbUser(Samples.alice());
        service.createSmbShare(
                Samples.smb("docs").allowedUsers(List.of("Alice")).build());
        refused(() -> service.deleteSmbUser("alice"), Code.IN_USE, "SMB user 'alice' is in use by SMB share 'docs'");
        service.updateSmbShare(Samples.smb("docs").build());
        service.deleteSmbUser("ALICE");
        assertThat(service.smbUsers()).isEmpty();
    }

    @Test
    void updatesKeepWhatMustNotChange() throws Exception {
        service.createNfsShare(Samples.nfs("/demo").build());
        service.createIscsiVolume(Samples.volume("vol1").build());
        refused(
                () -> service.updateNfsShare(
                        Samples.nfs("/demo").prefix("other/").build()),
                Code.INVALID,
                "NFS share /demo: prefix cannot change");
        refused(
                () -> service.updateIscsiVolume(
                        Samples.volume("vol1").blockSize(4096).build()),
                Code.INVALID,
                "blockSize cannot change");
        refused(
                () -> service.updateIscsiVolume(
                        Samples.volume("vol1").capacityBytes(1L << 20).build()),
                Code.INVALID,
                "capacityBytes can only grow");
        refused(
                () -> service.updateResource(new CloudResource(
                        "minio",
                        BackendKind.S3,
                        Samples.s3().endpoint(),
                        null,
                        "another-bucket",
                        "gw/",
                        "k",
                        Secret.of("s"),
                        true)),
                Code.IN_USE,
                "kind, bucket and keyPrefix cannot change while it is in use by NFS share /demo");
        refused(
                () -> service.updateCacheDisk(CacheDiskConfig.of("ssd", Path.of("/elsewhere"), 1L << 30)),
                Code.IN_USE,
                "directory and chunkSize cannot change");

        int id = service.iscsiVolume("vol1").id();
        service.updateIscsiVolume(Samples.volume("vol1").capacityBytes(2L << 30).build());
        assertThat(service.iscsiVolume("vol1").capacityBytes()).isEqualTo(2L << 30);
        assertThat(service.iscsiVolume("vol1").id()).isEqualTo(id);
        // credentials and the endpoint of a resource in use may change
        service.updateResource(new CloudResource(
                "minio",
                BackendKind.S3,
                java.net.URI.create("http://127.0.0.1:9999"),
                "us-east-1",
                "bucket-a",
                "gw/",
                "NEWKEY",
                Secret.of("new-secret"),
                true));
        assertThat(service.resource("minio").accessKeyId()).isEqualTo("NEWKEY");
        assertThat(service.resource("minio").endpoint().getPort()).isEqualTo(9999);
    }

    @Test
    void sharesAndVolumesMustNotOverlap() throws Exception {
        service.createNfsShare(Samples.nfs("/demo").build());
        refused(
                () -> service.createNfsShare(
                        Samples.nfs("/inner").prefix("demo/inner/").build()),
                Code.CONFLICT,
                "NFS share /inner (prefix 'gw/demo/inner/') overlaps NFS share /demo (prefix 'gw/demo/')");
        refused(
                () -> service.createNfsShare(Samples.nfs("/root").prefix("").build()),
                Code.CONFLICT,
                "overlaps NFS share /demo");
        refused(
                () -> service.createIscsiVolume(Samples.volume("demo").build()),
                Code.CONFLICT,
                "iSCSI volume 'demo' (prefix 'gw/demo/') overlaps NFS share /demo");
        // a second resource on the same bucket whose prefix lands inside the share
        service.createResource(new CloudResource(
                "minio2",
                BackendKind.S3,
                Samples.s3().endpoint(),
                "us-east-1",
                "bucket-a",
                "gw/demo/",
                "AK",
                Secret.of("sk"),
                true));
        refused(
                () -> service.createNfsShare(
                        Samples.nfs("/x").resource("minio2").build()),
                Code.CONFLICT,
                "NFS share /x (prefix 'gw/demo/x/') overlaps NFS share /demo");
        // siblings are fine
        service.createNfsShare(Samples.nfs("/demo2").build());
        assertThat(service.nfsShares()).hasSize(2);
    }

    @Test
    void nfsAndSmbOverTheSamePrefixAreOneVolume() throws Exception {
        service.createCacheDisk(Samples.disk("hdd"));
        service.createNfsShare(Samples.nfs("/demo").mode(VolumeMode.SYNC).build());
        refused(
                () -> service.createSmbShare(
                        Samples.smb("demo").mode(VolumeMode.CACHE).build()),
                Code.CONFLICT,
                "SMB share 'demo' and NFS share /demo cover the same prefix 'gw/demo/' of bucket 'bucket-a' and must then have the same mode and cache disk");
        refused(
                () -> service.createSmbShare(Samples.smb("demo")
                        .mode(VolumeMode.SYNC)
                        .cacheDisk("hdd")
                        .build()),
                Code.CONFLICT,
                "same mode and cache disk");
        service.createSmbShare(Samples.smb("demo").mode(VolumeMode.SYNC).build());
        assertThat(service.smbShare("demo").id())
                .isEqualTo(service.nfsShare("/demo").id());
        refused(
                () -> service.updateNfsShare(
                        Samples.nfs("/demo").mode(VolumeMode.CACHE).build()),
                Code.CONFLICT,
                "same mode");
        refused(
                () -> service.createSmbShare(Samples.smb("demo2")
                        .prefix("demo/")
                        .mode(VolumeMode.SYNC)
                        .build()),
                Code.CONFLICT,
                "SMB share 'demo2' (prefix 'gw/demo/') overlaps SMB share 'demo'");
    }

    @Test
    void nfsAndSmbOverTheSamePrefixMustAgreeOnCapacityAndOwner() throws Exception {
        service.createNfsShare(Samples.nfs("/demo")
                .capacityBytes(1L << 30)
                .anonUid(1000)
                .anonGid(1001)
                .build());
        refused(
                () -> service.createSmbShare(Samples.smb("demo").build()),
                Code.CONFLICT,
                "SMB share 'demo' and NFS share /demo cover the same prefix 'gw/demo/' of bucket 'bucket-a' and must"
                        + " then have the same capacity (capacityBytes " + (256L << 40) + " and " + (1L << 30) + "),"
                        + " owner (ownerUid:ownerGid 65534:65534 and anonUid:anonGid 1000:1001) (they are one volume)");
        refused(
                () -> service.createSmbShare(Samples.smb("demo")
                        .capacityBytes(1L << 30)
                        .ownerUid(1000)
                        .build()),
                Code.CONFLICT,
                "must then have the same owner (ownerUid:ownerGid 1000:65534 and anonUid:anonGid 1000:1001)");
        SmbShare agreeing = Samples.smb("demo")
                .capacityBytes(1L << 30)
                .ownerUid(1000)
                .ownerGid(1001)
                .build();
        service.createSmbShare(agreeing);
        int id = service.nfsShare("/demo").id();
        assertThat(service.smbShare("demo")).isEqualTo(agreeing.withId(id));

        // a change on one front end that the other does not share is a contradiction too: refused, not resolved
        refused(
                () -> service.updateNfsShare(Samples.nfs("/demo")
                        .capacityBytes(2L << 30)
                        .anonUid(1000)
                        .anonGid(1001)
                        .build()),
                Code.CONFLICT,
                "must then have the same capacity");
        refused(
                () -> service.updateSmbShare(Samples.smb("demo")
                        .capacityBytes(1L << 30)
                        .ownerUid(1000)
                        .ownerGid(7)
                        .build()),
                Code.CONFLICT,
                "must then have the same owner");
    }

    @Test
    void idsAreStableAndNeverReused() throws Exception {
        service.createNfsShare(Samples.nfs("/a").build());
        service.createIscsiVolume(Samples.volume("v1").build());
        int a = service.nfsShare("/a").id();
        int v1 = service.iscsiVolume("v1").id();
        assertThat(a).isPositive();
        assertThat(v1).isNotEqualTo(a);
        service.deleteNfsShare("/a");
        service.createNfsShare(Samples.nfs("/a").build());
        assertThat(service.nfsShare("/a").id()).isNotIn(a, v1);
        service.updateNfsShare(Samples.nfs("/a").uploadDelaySeconds(1).build());
        assertThat(service.nfsShare("/a").id()).isGreaterThan(v1);
        // the id a caller passes is ignored
        service.createIscsiVolume(Samples.volume("v2").build().withId(v1));
        assertThat(service.iscsiVolume("v2").id()).isNotEqualTo(v1);
    }

    @Test
    void smbShareLimit() throws Exception {
        for (int i = 0; i < SmbShare.MAX_SHARES; i++) {
            service.createSmbShare(Samples.smb("share" + i).build());
        }
        refused(() -> service.createSmbShare(Samples.smb("one-too-many").build()), Code.LIMIT, "at most 16 SMB shares");
        assertThat(service.smbShares()).hasSize(16);
    }

    @Test
    void iscsiVolumeLimit() throws Exception {
        for (int i = 0; i < IscsiVolume.MAX_VOLUMES; i++) {
            service.createIscsiVolume(Samples.volume("vol" + i).build());
        }
        refused(
                () -> service.createIscsiVolume(Samples.volume("vol-extra").build()),
                Code.LIMIT,
                "at most 128 iSCSI volumes");
        assertThat(service.iscsiVolumes()).hasSize(128);
    }

    @Test
    void listenersHearEachCommittedChangeInOrder() throws Exception {
        List<ConfigChange> heard = new ArrayList<>();
        service.addListener(heard::add);
        service.addListener(change -> {
            throw new IllegalStateException("a broken listener does not stop the others");
        });
        service.createNfsShare(Samples.nfs("/demo").build());
        service.updateNfsShare(Samples.nfs("/demo").uploadDelaySeconds(9).build());
        service.updateNfsShare(Samples.nfs("/demo").uploadDelaySeconds(9).build()); // no change, no event
        assertThatThrownBy(() ->
                service.createNfsShare(Samples.nfs("/bad").resource("nope").build()));
        service.deleteNfsShare("/demo");

        assertThat(heard)
                .extracting(ConfigChange::kind, ConfigChange::action, ConfigChange::name)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(EntityKind.NFS_SHARE, Action.CREATED, "/demo"),
                        org.assertj.core.groups.Tuple.tuple(EntityKind.NFS_SHARE, Action.UPDATED, "/demo"),
                        org.assertj.core.groups.Tuple.tuple(EntityKind.NFS_SHARE, Action.DELETED, "/demo"));
        assertThat(heard.get(1).before()).isInstanceOf(NfsShare.class);
        assertThat(heard.get(1).entity(NfsShare.class).uploadDelaySeconds()).isEqualTo(9);
        assertThat(heard.get(2).after()).isNull();
        assertThat(heard.get(2).entity(NfsShare.class).path()).isEqualTo("/demo");
    }

    @Test
    void aListenerSeesTheCommittedState() throws Exception {
        List<Boolean> visible = new ArrayList<>();
        service.addListener(
                change -> visible.add(service.state().nfsShare("/demo").isPresent()));
        service.createNfsShare(Samples.nfs("/demo").build());
        assertThat(visible).containsExactly(true);
    }

    @Test
    void aBlockedListenerBlocksNoOtherManagementCall() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> heard = new CopyOnWriteArrayList<>();
        service.addListener(change -> {
            heard.add(change.name());
            if (change.name().equals("/slow")) {
                blocked.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Thread slow = Thread.ofVirtual().start(() -> {
            try {
                service.createNfsShare(Samples.nfs("/slow").build());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();

        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> service.createNfsShare(Samples.nfs("/fast").build()),
                "a management call while a listener is blocked on an earlier change");
        assertThat(service.state().nfsShare("/fast")).isPresent();
        assertThat(heard).as("the later change waits for the blocked one").containsExactly("/slow");

        release.countDown();
        slow.join(Duration.ofSeconds(10));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (heard.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(heard).as("delivered in commit order").containsExactly("/slow", "/fast");
    }
}
