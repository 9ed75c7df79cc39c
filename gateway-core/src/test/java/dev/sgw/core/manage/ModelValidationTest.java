package dev.sgw.core.manage;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import dev.sgw.core.volume.VolumeMode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One rule per test line: each breaks exactly one rule of one record and checks the field and message. */
class ModelValidationTest {

    private static void rejects(ThrowingCallable build, String field, String message) {
        assertThatThrownBy(build).isInstanceOfSatisfying(ManagementException.class, e -> {
            assertThat(e.code()).isEqualTo(ManagementException.Code.INVALID);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private static CloudResource resource(
            String name,
            BackendKind kind,
            String endpoint,
            String region,
            String bucket,
            String prefix,
            String keyId,
            String secret,
            boolean pathStyle) {
        return new CloudResource(
                name,
                kind,
                endpoint == null ? null : URI.create(endpoint),
                region,
                bucket,
                prefix,
                keyId,
                secret == null ? null : Secret.of(secret),
                pathStyle);
    }

    @Test
    void cloudResourceRules() {
        assertThat(Samples.s3().keyPrefix()).isEqualTo("gw/");
        rejects(
                () -> resource("bad name", BackendKind.S3, "http://h", null, "bkt", "", "k", "s", false),
                "name",
                "resource 'bad name': name must be 1-64 characters");
        rejects(() -> resource("r", null, "http://h", null, "bkt", "", "k", "s", false), "kind", "kind is required");
        rejects(
                () -> resource("r", BackendKind.S3, "http://h", null, "Bad_Bucket", "", "k", "s", false),
                "bucket",
                "bucket must be 3-63 characters");
        rejects(
                () -> resource("r", BackendKind.S3, "http://h", null, "bkt", "/x/", "k", "s", false),
                "keyPrefix",
                "keyPrefix must be empty or like 'dir/'");
        rejects(
                () -> resource("r", BackendKind.S3, "http://h", null, "bkt", "x", "k", "s", false),
                "keyPrefix",
                "ending in '/'");
        rejects(
                () -> resource("r", BackendKind.S3, "ftp://h", null, "bkt", "", "k", "s", false),
                "endpoint",
                "must be an http:// or https:// URL");
        rejects(
                () -> resource("r", BackendKind.S3, "http://h/path", null, "bkt", "", "k", "s", false),
                "endpoint",
                "must not have a path");
        rejects(
                () -> resource("r", BackendKind.S3, "http://user:pw@h", null, "bkt", "", "k", "s", false),
                "endpoint",
                "must not carry user info");
        rejects(
                () -> resource("r", BackendKind.OSS, null, null, "bkt", "", "k", "s", false),
                "endpoint",
                "endpoint is required");
        rejects(
                () -> resource("r", BackendKind.S3, null, null, "bkt", "", "k", "s", false),
                "region",
                "region is required for S3 without an endpoint");
        rejects(
                () -> resource("r", BackendKind.S3, "http://h", "US East", "bkt", "", "k", "s", false),
                "region",
                "region must be lower-case");
        rejects(
                () -> resource("r", BackendKind.S3, "http://h", null, "bkt", "", "", "s", false),
                "accessKeyId",
                "is required");
        rejects(
                () -> resource("r", BackendKind.S3, "http://h", null, "bkt", "", "k", "", false),
                "secretAccessKey",
                "is required");
        rejects(
                () -> resource("r", BackendKind.OSS, "http://h", null, "bkt", "", "k", "s", true),
                "pathStyle",
                "applies to S3 only");
        assertThat(Samples.memory("m").accessKeyId()).isEmpty(); // MEMORY needs no credentials
    }

    @Test
    void cacheDiskRules() {
        Path dir = Path.of("/cache");
        rejects(() -> CacheDiskConfig.of("", dir, 1L << 30), "name", "name is required");
        rejects(() -> CacheDiskConfig.of("d", Path.of("rel"), 1L << 30), "directory", "must be an absolute path");
        rejects(() -> CacheDiskConfig.of("d", dir, (64L << 20) - 1), "capacityBytes", "must be at least 64 MiB");
        rejects(
                () -> new CacheDiskConfig("d", dir, 1L << 30, 3 << 20),
                "chunkSize",
                "must be a power of two from 64 KiB to 64 MiB");
        rejects(() -> new CacheDiskConfig("d", dir, 1L << 30, 32 << 10), "chunkSize", "power of two from 64 KiB");
        rejects(() -> new CacheDiskConfig("d", dir, 1L << 30, 128 << 20), "chunkSize", "to 64 MiB");
        assertThat(CacheDiskConfig.of("d", Path.of("/a/../cache"), 64L << 20).directory())
                .isEqualTo(dir);
    }

    @Test
    void nfsShareRules() {
        assertThat(Samples.nfs("/demo").build().prefix()).isEqualTo("demo/");
        assertThat(Samples.nfs("/demo").build().uploadDelaySeconds()).isEqualTo(5);
        assertThat(Samples.nfs("/demo").build().anonUid()).isEqualTo(65534);
        assertThat(Samples.nfs("/demo").build().capacityBytes()).isEqualTo(256L << 40);
        rejects(() -> Samples.nfs("demo").build(), "path", "NFS share demo: path must be like /demo");
        rejects(() -> Samples.nfs("/demo/").build(), "path", "must be like /demo");
        rejects(() -> Samples.nfs("/a/../b").build(), "path", "without '.' or '..' parts");
        rejects(() -> Samples.nfs("/demo").mode(VolumeMode.WRITE_THROUGH).build(), "mode", "must be SYNC or CACHE");
        rejects(() -> Samples.nfs("/demo").resource(null).build(), "resource", "resource is required");
        rejects(() -> Samples.nfs("/demo").prefix("a").build(), "prefix", "prefix must be empty or like 'dir/'");
        rejects(() -> Samples.nfs("/demo").cacheDisk(null).build(), "cacheDisk", "cacheDisk is required");
        rejects(() -> Samples.nfs("/demo").userMapping(null).build(), "userMapping", "is required");
        rejects(() -> Samples.nfs("/demo").anonUid(-1).build(), "anonUid", "must not be negative");
        rejects(() -> Samples.nfs("/demo").clients(List.of()).build(), "clients", "at least one client rule");
        rejects(
                () -> Samples.nfs("/demo").uploadDelaySeconds(121).build(),
                "uploadDelaySeconds",
                "must be 0..120 seconds, got 121");
        rejects(
                () -> Samples.nfs("/demo").uploadDelaySeconds(-1).build(),
                "uploadDelaySeconds",
                "must be 0..120 seconds");
        rejects(
                () -> Samples.nfs("/demo").reverseSyncIntervalSeconds(-1).build(),
                "reverseSyncIntervalSeconds",
                "0 (off)");
        rejects(() -> Samples.nfs("/demo").capacityBytes(0).build(), "capacityBytes", "at least 1 MiB");
    }

    @Test
    void clientRuleRules() throws Exception {
        rejects(() -> new ClientRule("host.example.com", true), "match", "must be '*', an IP address or a CIDR block");
        rejects(() -> new ClientRule("10.0.0.256", true), "match", "an IP address");
        rejects(() -> new ClientRule("10.0.0.0/33", true), "match", "a CIDR block");
        rejects(() -> new ClientRule("fd00::/129", true), "match", "a CIDR block");
        rejects(() -> new ClientRule("fd00:::1:zz", true), "match", "an IP address");
        rejects(() -> new ClientRule("", true), "match", "is required");

        assertThat(new ClientRule("10.0.0.0/8", true).matches(InetAddress.getByName("10.200.1.2")))
                .isTrue();
        assertThat(new ClientRule("10.0.0.0/8", true).matches(InetAddress.getByName("11.0.0.1")))
                .isFalse();
        assertThat(new ClientRule("192.168.1.7", true).matches(InetAddress.getByName("192.168.1.7")))
                .isTrue();
        assertThat(new ClientRule("192.168.1.7", true).matches(InetAddress.getByName("192.168.1.8")))
                .isFalse();
        assertThat(new ClientRule("192.168.0.0/23", true).matches(InetAddress.getByName("192.168.1.255")))
                .isTrue();
        assertThat(new ClientRule("192.168.0.0/23", true).matches(InetAddress.getByName("192.168.2.0")))
                .isFalse();
        assertThat(new ClientRule("fd00::/8", false).matches(InetAddress.getByName("fd12::1")))
                .isTrue();
        assertThat(new ClientRule("fd00::/8", false).matches(InetAddress.getByName("fe80::1")))
                .isFalse();
        assertThat(new ClientRule("fd00::/8", false).matches(InetAddress.getByName("10.0.0.1")))
                .isFalse();
        assertThat(new ClientRule("*", true).matches(InetAddress.getByName("::1")))
                .isTrue();
    }

    @Test
    void smbShareRules() {
        assertThat(Samples.smb("Docs").build().prefix()).isEqualTo("Docs/");
        assertThat(Samples.smb("Docs").build().capacityBytes()).isEqualTo(256L << 40);
        assertThat(Samples.smb("Docs").build().ownerUid()).isEqualTo(65534);
        assertThat(Samples.smb("Docs").build().ownerGid()).isEqualTo(65534);
        rejects(() -> Samples.smb("docs").ownerUid(-1).build(), "ownerUid", "ownerUid must not be negative, got -1");
        rejects(() -> Samples.smb("docs").ownerGid(-2).build(), "ownerGid", "ownerGid must not be negative, got -2");
        rejects(
                () -> Samples.smb("docs").capacityBytes((1L << 20) - 1).build(),
                "capacityBytes",
                "SMB share 'docs': capacityBytes must be at least 1 MiB");
        rejects(() -> Samples.smb("a/b").build(), "name", "SMB share 'a/b': name must be 1-80 characters");
        rejects(() -> Samples.smb("x".repeat(81)).build(), "name", "1-80 characters");
        rejects(() -> Samples.smb(" lead").build(), "name", "leading or trailing spaces");
        rejects(() -> Samples.smb("IPC$").build(), "name", "is reserved by SMB");
        rejects(() -> Samples.smb("docs").mode(VolumeMode.WRITE_THROUGH).build(), "mode", "must be SYNC or CACHE");
        rejects(
                () -> Samples.smb("docs")
                        .allowedUsers(List.of("alice", "ALICE"))
                        .build(),
                "allowedUsers",
                "must not name 'ALICE' twice");
        rejects(
                () -> Samples.smb("docs").allowedUsers(List.of("a")).build(),
                "allowedUsers",
                "must be 2-20 characters");
        rejects(() -> Samples.smb("docs").uploadDelaySeconds(500).build(), "uploadDelaySeconds", "0..120");
        assertThat(Samples.smb("docs").allowedUsers(List.of("Alice")).build().allows("ALICE"))
                .isTrue();
    }

    @Test
    void smbShareAccessFieldsHaveDefaultsAndRules() {
        SmbShare plain = Samples.smb("docs").allowedUsers(List.of("alice")).build();
        assertThat(plain.browseable()).isTrue();
        assertThat(plain.encryptData()).isFalse();
        assertThat(plain.caseSensitive()).isFalse();
        assertThat(plain.readOnlyUsers()).isEmpty();
        assertThat(plain.readOnlyFor("alice")).isFalse();
        SmbShare readOnly = Samples.smb("docs")
                .allowedUsers(List.of("alice", "Bob"))
                .readOnlyUsers(List.of("bob"))
                .build();
        assertThat(readOnly.readOnlyFor("BOB")).isTrue();
        assertThat(readOnly.readOnlyFor("alice")).isFalse();
        rejects(
                () -> Samples.smb("docs")
                        .allowedUsers(List.of("alice"))
                        .readOnlyUsers(List.of("bob"))
                        .build(),
                "readOnlyUsers",
                "SMB share 'docs': readOnlyUsers must name allowed users only; 'bob' is not in allowedUsers");
        rejects(
                () -> Samples.smb("docs")
                        .allowedUsers(List.of("alice"))
                        .readOnlyUsers(List.of("alice", "ALICE"))
                        .build(),
                "readOnlyUsers",
                "must not name 'ALICE' twice");
        rejects(
                () -> Samples.smb("docs").readOnlyUsers(List.of("a")).build(),
                "readOnlyUsers",
                "must be 2-20 characters");
        SmbShare changed = Samples.smb("docs")
                .browseable(false)
                .encryptData(true)
                .caseSensitive(true)
                .build()
                .withId(7);
        assertThat(changed.id()).isEqualTo(7);
        assertThat(changed.browseable()).as("kept by withId").isFalse();
        assertThat(changed.encryptData()).isTrue();
        assertThat(changed.caseSensitive()).isTrue();
    }

    @Test
    void smbUserRules() {
        rejects(() -> SmbUser.withPassword("a", "pw"), "name", "SMB user 'a': name must be 2-20 characters");
        rejects(() -> SmbUser.withPassword("a@b", "pw"), "name", "must be 2-20 characters without");
        rejects(() -> SmbUser.withPassword("..", "pw"), "name", "not only dots");
        rejects(() -> SmbUser.withPassword("alice", ""), "password", "password is required");
        rejects(
                () -> SmbUser.withPassword("alice", "p".repeat(257)),
                "password",
                "SMB user 'alice': password must be 8-256 characters, got 257");
        rejects(() -> SmbUser.withPassword("alice", "seven-7"), "password", "must be 8-256 characters, got 7");
        assertThat(SmbUser.withPassword("alice", "p".repeat(256)).name()).isEqualTo("alice");
        assertThat(SmbUser.withPassword("alice", "password").ntHash().toHex())
                .isEqualTo("8846F7EAEE8FB117AD06BDD830B7586C");
    }

    @Test
    void smbUserAccessFieldsHaveDefaultsAndRules() {
        SmbUser alice = SmbUser.withPassword("alice", "password");
        assertThat(alice.enabled()).isTrue();
        assertThat(alice.uid()).isNull();
        assertThat(alice.gid()).isNull();
        SmbShare share = Samples.smb("docs").ownerUid(1000).ownerGid(100).build();
        assertThat(alice.uidOn(share)).as("the share's owner").isEqualTo(1000);
        assertThat(alice.gidOn(share)).isEqualTo(100);
        SmbUser own = alice.withIds(2001, null);
        assertThat(own.uidOn(share)).isEqualTo(2001);
        assertThat(own.gidOn(share)).as("the share's group").isEqualTo(100);
        rejects(() -> alice.withIds(-1, null), "uid", "SMB user 'alice': uid must not be negative, got -1");
        rejects(() -> alice.withIds(null, -5), "gid", "gid must not be negative, got -5");
        SmbUser disabled = own.withEnabled(false);
        assertThat(disabled.enabled()).isFalse();
        SmbUser renewed = disabled.withNewPassword("another-password");
        assertThat(renewed.ntHash()).isEqualTo(NtHash.ofPassword("another-password"));
        assertThat(renewed.enabled()).as("kept").isFalse();
        assertThat(renewed.uid()).as("kept").isEqualTo(2001);
        rejects(() -> alice.withNewPassword("short"), "password", "must be 8-256 characters, got 5");
    }

    @Test
    void iscsiVolumeRules() {
        assertThat(Samples.volume("vol1").build().chunkSize()).isEqualTo(1 << 20);
        rejects(
                () -> Samples.volume("Vol1").build(),
                "name",
                "iSCSI volume 'Vol1': name must be 1-64 characters of a-z, 0-9");
        rejects(() -> Samples.volume("v".repeat(65)).build(), "name", "1-64 characters");
        rejects(() -> Samples.volume("v").blockSize(1024).build(), "blockSize", "must be 512 or 4096, got 1024");
        rejects(() -> Samples.volume("v").capacityBytes(512 * 1024).build(), "capacityBytes", "at least 1 MiB");
        rejects(
                () -> Samples.volume("v")
                        .blockSize(4096)
                        .capacityBytes((1 << 20) + 512)
                        .build(),
                "capacityBytes",
                "must be a multiple of the block size 4096");
        rejects(() -> Samples.volume("v").chunkSize(100_000).build(), "chunkSize", "power of two");
        rejects(() -> Samples.volume("v").resource(null).build(), "resource", "is required");
        rejects(() -> Samples.volume("v").mode(null).build(), "mode", "is required");
        rejects(() -> Samples.volume("v").cacheDisk(null).build(), "cacheDisk", "is required in CACHE mode");
        rejects(
                () -> Samples.volume("v").mode(VolumeMode.SYNC).cacheDisk(null).build(),
                "cacheDisk",
                "is required in SYNC mode");
        assertThat(Samples.volume("v")
                        .mode(VolumeMode.WRITE_THROUGH)
                        .cacheDisk(null)
                        .build()
                        .cacheDisk())
                .isNull();
    }

    @Test
    void chapRules() {
        rejects(() -> ChapCredentials.of("", "123456789012"), "user", "user is required");
        rejects(() -> ChapCredentials.of("with space", "123456789012"), "user", "printable characters without spaces");
        rejects(() -> ChapCredentials.of("u", "12345678901"), "secret", "must be 12-16 characters, got 11");
        rejects(() -> ChapCredentials.of("u", "12345678901234567"), "secret", "must be 12-16 characters, got 17");
        rejects(
                () -> new ChapCredentials("u", Secret.of("123456789012"), "t", null),
                "mutualSecret",
                "is required for mutual CHAP");
        rejects(
                () -> new ChapCredentials("u", Secret.of("123456789012"), null, Secret.of("abcdefghijkl")),
                "mutualUser",
                "is required for mutual CHAP");
        rejects(() -> ChapCredentials.mutual("u", "123456789012", "t", "123"), "mutualSecret", "12-16 characters");
        rejects(
                () -> ChapCredentials.mutual("u", "123456789012", "t", "123456789012"),
                "mutualSecret",
                "must differ from secret");
    }

    @Test
    void messagesNeverEchoASecret() {
        assertThatThrownBy(() -> ChapCredentials.of("u", "short-SECRET".substring(0, 11)))
                .hasMessageNotContaining("short-SECRE");
        assertThatThrownBy(() ->
                        resource("r", BackendKind.S3, "http://AKID:SECRETVALUE@h", null, "bkt", "", "k", "s", false))
                .hasMessageNotContaining("SECRETVALUE");
    }
}
