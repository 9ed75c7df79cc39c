package dev.sgw.core.manage;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import dev.sgw.core.volume.VolumeMode;

/** Valid entities for tests, with secrets that are easy to search for. */
final class Samples {
    static final String S3_SECRET = "s3-SECRET-key-7f2e9a";
    static final String OSS_SECRET = "oss-SECRET-key-51c0d8";
    static final String ALICE_PASSWORD = "alice-PASSWORD-93";
    static final String CHAP_SECRET = "chapSECRET0123";
    static final String MUTUAL_SECRET = "mutualSECRET99";
    static final List<String> SECRETS = List.of(S3_SECRET, OSS_SECRET, ALICE_PASSWORD, CHAP_SECRET, MUTUAL_SECRET);

    private Samples() {}

    static CloudResource s3() {
        return new CloudResource(
                "minio",
                BackendKind.S3,
                URI.create("http://127.0.0.1:9000"),
                "us-east-1",
                "bucket-a",
                "gw/",
                "AKIDEXAMPLE",
                Secret.of(S3_SECRET),
                true);
    }

    static CloudResource oss() {
        return new CloudResource(
                "oss1",
                BackendKind.OSS,
                URI.create("https://oss-cn-hangzhou.aliyuncs.com"),
                null,
                "bucket-b",
                "",
                "LTAIEXAMPLE",
                Secret.of(OSS_SECRET),
                false);
    }

    static CloudResource memory(String name) {
        return new CloudResource(name, BackendKind.MEMORY, null, null, "mem-bucket", "", null, null, false);
    }

    static CacheDiskConfig disk(String name) {
        return CacheDiskConfig.of(name, Path.of("/var/cache/sgw/" + name), 1L << 30);
    }

    static NfsShare.Builder nfs(String path) {
        return NfsShare.builder(path).resource("minio").cacheDisk("ssd").clients(List.of(ClientRule.anyReadWrite()));
    }

    static SmbShare.Builder smb(String name) {
        return SmbShare.builder(name).resource("minio").cacheDisk("ssd");
    }

    static SmbUser alice() {
        return SmbUser.withPassword("alice", ALICE_PASSWORD);
    }

    static IscsiVolume.Builder volume(String name) {
        return IscsiVolume.builder(name)
                .capacityBytes(1L << 30)
                .resource("minio")
                .cacheDisk("ssd");
    }

    static ChapCredentials mutualChap() {
        return ChapCredentials.mutual("iqn.1993-08.org.debian:01:host", CHAP_SECRET, "target-user", MUTUAL_SECRET);
    }

    /** Creates one of everything, secrets included. */
    static void populate(ManagementService service) throws Exception {
        service.createResource(s3());
        service.createResource(oss());
        service.createCacheDisk(disk("ssd"));
        service.createSmbUser(alice());
        service.createNfsShare(nfs("/demo")
                .mode(VolumeMode.SYNC)
                .clients(List.of(new ClientRule("10.0.0.0/8", true), new ClientRule("fd00::/8", false)))
                .userMapping(UserMapping.ALL_SQUASH)
                .anonUid(1000)
                .anonGid(1001)
                .reverseSyncIntervalSeconds(60)
                .uploadDelaySeconds(10)
                .build());
        service.createSmbShare(smb("demo")
                .mode(VolumeMode.SYNC)
                .ownerUid(1000) // the NFS share's anonymous user: one volume, one owner
                .ownerGid(1001)
                .allowedUsers(List.of("alice"))
                .build());
        service.createNfsShare(nfs("/other").resource("oss1").build());
        service.createIscsiVolume(
                volume("vol1").chap(mutualChap()).blockSize(4096).build());
        service.createIscsiVolume(volume("vol2")
                .mode(VolumeMode.WRITE_THROUGH)
                .cacheDisk(null)
                .chap(ChapCredentials.of("init", CHAP_SECRET))
                .enabled(false)
                .build());
    }
}
