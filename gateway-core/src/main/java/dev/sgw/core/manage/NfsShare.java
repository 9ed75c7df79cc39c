package dev.sgw.core.manage;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import dev.sgw.core.volume.VolumeMode;

/**
 * A file share exported over NFS.
 *
 * @param id                         the internal id of the share's volume (metadata namespace); assigned
 *                                   by the management service, 0 before that; shared with an SMB share
 *                                   over the same resource and prefix
 * @param path                       the export path, e.g. {@code /demo}: '/'-separated names of letters,
 *                                   digits, '.', '_' and '-'; unique
 * @param mode                       SYNC or CACHE
 * @param resource                   the {@link CloudResource} holding the files
 * @param prefix                     the share's prefix inside the resource (empty or ending in '/');
 *                                   default: the path without its leading '/', plus '/'
 * @param cacheDisk                  the {@link CacheDiskConfig} caching the data
 * @param userMapping                uid/gid squashing
 * @param anonUid                    the anonymous uid for squashing (default 65534); also the owner of the
 *                                   share's root, of new files given no owner and of objects imported from the
 *                                   bucket (an SMB share on the same location has it as its ownerUid)
 * @param anonGid                    the anonymous gid for squashing (default 65534); their group, likewise
 * @param clients                    the allow-list, at least one rule; the first matching rule applies
 * @param reverseSyncIntervalSeconds how often the bucket is scanned for changes by others; 0 = off
 * @param uploadDelaySeconds         how long a written file rests before it is uploaded, 0..120 (default 5)
 * @param capacityBytes              the size reported to clients by statfs (default 256 TiB); at least 1 MiB
 */
public record NfsShare(
        int id,
        String path,
        VolumeMode mode,
        String resource,
        String prefix,
        String cacheDisk,
        UserMapping userMapping,
        int anonUid,
        int anonGid,
        List<ClientRule> clients,
        long reverseSyncIntervalSeconds,
        int uploadDelaySeconds,
        long capacityBytes) {

    public static final int NOBODY = 65534;
    public static final int DEFAULT_UPLOAD_DELAY_SECONDS = 5;
    public static final long DEFAULT_CAPACITY = 256L << 40;
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._-]+){1,16}");

    public NfsShare {
        String entity = "NFS share " + FieldRules.printable(String.valueOf(path));
        FieldRules.matches(
                entity,
                "path",
                path,
                PATH,
                "must be like /demo or /a/b: '/'-separated names of letters, digits, '.', '_' and '-'");
        if (path.length() > 255
                || path.contains("/./")
                || path.endsWith("/.")
                || path.contains("/../")
                || path.endsWith("/..")) {
            throw FieldRules.invalid(entity, "path", "must be at most 255 characters without '.' or '..' parts");
        }
        prefix = FieldRules.fileShare(entity, id, mode, resource, prefix, defaultPrefix(path), cacheDisk);
        FieldRules.required(entity, "userMapping", userMapping);
        FieldRules.posixId(entity, "anonUid", anonUid);
        FieldRules.posixId(entity, "anonGid", anonGid);
        FieldRules.required(entity, "clients", clients);
        clients = List.copyOf(clients);
        if (clients.isEmpty()) {
            throw FieldRules.invalid(entity, "clients", "must list at least one client rule (use '*' for any client)");
        }
        FieldRules.reverseSync(entity, reverseSyncIntervalSeconds);
        FieldRules.uploadDelay(entity, uploadDelaySeconds);
        FieldRules.shareCapacity(entity, capacityBytes);
    }

    /** The default prefix of a share at {@code path}: {@code /demo} -> {@code demo/}. */
    public static String defaultPrefix(String path) {
        return path.substring(1) + "/";
    }

    public Duration uploadDelay() {
        return Duration.ofSeconds(uploadDelaySeconds);
    }

    /** The reverse-sync interval, {@link Duration#ZERO} when off. */
    public Duration reverseSyncInterval() {
        return Duration.ofSeconds(reverseSyncIntervalSeconds);
    }

    NfsShare withId(int newId) {
        return new Builder(this).build(newId);
    }

    public static Builder builder(String path) {
        return new Builder(path);
    }

    /** Builds an {@link NfsShare} with the defaults filled in; {@code clients} has no default. */
    public static final class Builder extends FileShareBuilder<Builder> {
        private final String path;
        private UserMapping userMapping = UserMapping.ROOT_SQUASH;
        private int anonUid = NOBODY;
        private int anonGid = NOBODY;
        private List<ClientRule> clients = List.of();

        private Builder(String path) {
            this.path = path;
        }

        /** A builder holding the settings of {@code share}. */
        private Builder(NfsShare share) {
            this(share.path);
            mode = share.mode;
            resource = share.resource;
            prefix = share.prefix;
            cacheDisk = share.cacheDisk;
            userMapping = share.userMapping;
            anonUid = share.anonUid;
            anonGid = share.anonGid;
            clients = share.clients;
            reverseSyncIntervalSeconds = share.reverseSyncIntervalSeconds;
            uploadDelaySeconds = share.uploadDelaySeconds;
            capacityBytes = share.capacityBytes;
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder userMapping(UserMapping v) {
            userMapping = v;
            return this;
        }

        public Builder anonUid(int v) {
            anonUid = v;
            return this;
        }

        public Builder anonGid(int v) {
            anonGid = v;
            return this;
        }

        public Builder clients(List<ClientRule> v) {
            clients = v;
            return this;
        }

        public NfsShare build() {
            return build(0);
        }

        private NfsShare build(int id) {
            return new NfsShare(
                    id,
                    path,
                    mode,
                    resource,
                    prefix,
                    cacheDisk,
                    userMapping,
                    anonUid,
                    anonGid,
                    clients,
                    reverseSyncIntervalSeconds,
                    uploadDelaySeconds,
                    capacityBytes);
        }
    }
}
