package dev.sgw;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import dev.sgw.core.manage.BackendKind;
import dev.sgw.core.manage.CacheDiskConfig;
import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.CloudResource;
import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.PrivateFile;
import dev.sgw.core.manage.Secret;
import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.manage.SmbUser;
import dev.sgw.core.manage.UserMapping;
import dev.sgw.core.volume.VolumeMode;

/**
 * The demo's configuration, made on the first start and kept (updated where the embedded bucket moved to
 * another port) on later ones:
 *
 * <pre>
 * resource   demo           the embedded bucket sgw-demo, no prefix
 * resource   demo-volumes   the same bucket under volumes/ (block volumes keep their own prefix)
 * cache disk demo           DIR/cache, up to 8 GiB (half the free space when less)
 * NFS share  /demo          cache mode, prefix demo/, any client read-write, no squashing
 * SMB share  demo           the same location (one volume with two front ends), user demo
 * SMB user   demo           a random password, kept in DIR/smb-password (0600)
 * console    admin          a random password, kept in DIR/console-password (0600), hashed in DIR/state
 * iSCSI      demo           1 GiB, cache mode, no CHAP
 * </pre>
 */
final class DemoSetup {
    static final String BUCKET = "sgw-demo";
    static final String USER = "demo";
    static final String VOLUME = "demo";
    static final String TARGET_PREFIX = "iqn.2026-11.dev.sgw:";
    /** How often the demo share looks for objects other tools put under demo/ in the bucket. */
    static final long REVERSE_SYNC_SECONDS = 10;

    private static final long MAX_CACHE = 8L << 30;
    private static final long MIN_CACHE = 256L << 20;

    private DemoSetup() {}

    /** Creates or refreshes the demo's entities; returns the SMB password. */
    static String apply(ManagementService m, EmbeddedBucket bucket, Path dir) throws IOException {
        String password = password(dir.resolve("smb-password"));
        resource(
                m,
                new CloudResource(
                        "demo",
                        BackendKind.S3,
                        bucket.endpoint(),
                        "us-east-1",
                        BUCKET,
                        "",
                        bucket.accessKey(),
                        Secret.of(bucket.secretKey()),
                        true));
        resource(
                m,
                new CloudResource(
                        "demo-volumes",
                        BackendKind.S3,
                        bucket.endpoint(),
                        "us-east-1",
                        BUCKET,
                        "volumes/",
                        bucket.accessKey(),
                        Secret.of(bucket.secretKey()),
                        true));
        if (m.state().cacheDisk("demo").isEmpty()) {
            Path cache = dir.resolve("cache");
            Files.createDirectories(cache);
            long free = Files.getFileStore(cache).getUsableSpace();
            m.createCacheDisk(CacheDiskConfig.of("demo", cache, Math.max(MIN_CACHE, Math.min(MAX_CACHE, free / 2))));
        }
        if (m.state().smbUser(USER).isEmpty()) {
            m.createSmbUser(SmbUser.withPassword(USER, password));
        }
        if (m.state().nfsShare("/demo").isEmpty()) {
            m.createNfsShare(NfsShare.builder("/demo")
                    .mode(VolumeMode.CACHE)
                    .resource("demo")
                    .prefix("demo/")
                    .cacheDisk("demo")
                    .userMapping(UserMapping.NONE)
                    .clients(List.of(ClientRule.anyReadWrite()))
                    .reverseSyncIntervalSeconds(REVERSE_SYNC_SECONDS)
                    .build());
        }
        if (m.state().smbShare("demo").isEmpty()) {
            m.createSmbShare(SmbShare.builder("demo")
                    .mode(VolumeMode.CACHE)
                    .resource("demo")
                    .prefix("demo/")
                    .cacheDisk("demo")
                    .allowedUsers(List.of(USER))
                    .reverseSyncIntervalSeconds(REVERSE_SYNC_SECONDS)
                    .build());
        }
        if (m.state().iscsiVolume(VOLUME).isEmpty()) {
            m.createIscsiVolume(IscsiVolume.builder(VOLUME)
                    .capacityBytes(1L << 30)
                    .resource("demo-volumes")
                    .mode(VolumeMode.CACHE)
                    .cacheDisk("demo")
                    .build());
        }
        return password;
    }

    private static void resource(ManagementService m, CloudResource wanted) throws IOException {
        if (m.state().resource(wanted.name()).isEmpty()) {
            m.createResource(wanted);
        } else if (!m.resource(wanted.name()).equals(wanted)) {
            m.updateResource(wanted);
        }
    }

    /** A demo password (the SMB user's, the console's): read, or made and kept readable by the owner alone. */
    static String password(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            p.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        PrivateFile.write(file, (p + "\n").getBytes(StandardCharsets.UTF_8));
        return p.toString();
    }
}
