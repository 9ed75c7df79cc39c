package dev.sgw.core.manage;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.sgw.core.volume.VolumeMode;

/**
 * A file share served over SMB. At most {@value #MAX_SHARES} exist. An SMB share on its own is a complete
 * share, with its own capacity and owner; with an NFS share on the same bucket location the two are one
 * volume, and the state is refused unless they agree on mode, cache disk, capacity and owner.
 *
 * @param id                         internal volume id, as for {@link NfsShare#id()}
 * @param name                       the share name: unique without case, 1-80 characters, no {@code "/\[]:|<>+=;,*?}
 * @param mode                       SYNC or CACHE
 * @param resource                   the {@link CloudResource} holding the files
 * @param prefix                     the prefix inside the resource; default: the name plus '/'
 * @param cacheDisk                  the {@link CacheDiskConfig} caching the data
 * @param ownerUid                   the uid owning the share's root, new files given no owner and objects
 *                                   imported from the bucket (default 65534); what an NFS share calls its
 *                                   anonUid, and equal to it when an NFS share is on the same location
 * @param ownerGid                   their gid (default 65534), likewise the NFS share's anonGid
 * @param reverseSyncIntervalSeconds 0 = off
 * @param uploadDelaySeconds         0..120 (default 5)
 * @param allowedUsers               names of {@link SmbUser}s who may connect (no duplicates); empty: nobody
 * @param capacityBytes              the size reported to clients (default 256 TiB, at least 1 MiB); equal to
 *                                   the NFS share's when one is on the same location
 */
public record SmbShare(
        int id,
        String name,
        VolumeMode mode,
        String resource,
        String prefix,
        String cacheDisk,
        int ownerUid,
        int ownerGid,
        long reverseSyncIntervalSeconds,
        int uploadDelaySeconds,
        List<String> allowedUsers,
        long capacityBytes) {

    public static final int MAX_SHARES = 16;

    public SmbShare {
        String entity = "SMB share '" + FieldRules.printable(String.valueOf(name)) + "'";
        SmbNames.shareName(entity, name);
        prefix = FieldRules.fileShare(entity, id, mode, resource, prefix, name + "/", cacheDisk);
        FieldRules.posixId(entity, "ownerUid", ownerUid);
        FieldRules.posixId(entity, "ownerGid", ownerGid);
        FieldRules.reverseSync(entity, reverseSyncIntervalSeconds);
        FieldRules.uploadDelay(entity, uploadDelaySeconds);
        allowedUsers = List.copyOf(allowedUsers == null ? List.of() : allowedUsers);
        Set<String> seen = new HashSet<>();
        for (String user : allowedUsers) {
            SmbNames.userName(entity, "allowedUsers", user);
            if (!seen.add(SmbNames.key(user))) {
                throw FieldRules.invalid(entity, "allowedUsers", "must not name '" + user + "' twice");
            }
        }
        FieldRules.shareCapacity(entity, capacityBytes);
    }

    public Duration uploadDelay() {
        return Duration.ofSeconds(uploadDelaySeconds);
    }

    public Duration reverseSyncInterval() {
        return Duration.ofSeconds(reverseSyncIntervalSeconds);
    }

    /** Whether {@code user} (any case) may connect. */
    public boolean allows(String user) {
        return allowedUsers.stream().anyMatch(u -> u.equalsIgnoreCase(user));
    }

    SmbShare withId(int newId) {
        return new Builder(this).build(newId);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds an {@link SmbShare} with the defaults filled in. */
    public static final class Builder extends FileShareBuilder<Builder> {
        private final String name;
        private int ownerUid = NfsShare.NOBODY;
        private int ownerGid = NfsShare.NOBODY;
        private List<String> allowedUsers = List.of();

        private Builder(String name) {
            this.name = name;
        }

        /** A builder holding the settings of {@code share}. */
        private Builder(SmbShare share) {
            this(share.name);
            mode = share.mode;
            resource = share.resource;
            prefix = share.prefix;
            cacheDisk = share.cacheDisk;
            ownerUid = share.ownerUid;
            ownerGid = share.ownerGid;
            reverseSyncIntervalSeconds = share.reverseSyncIntervalSeconds;
            uploadDelaySeconds = share.uploadDelaySeconds;
            allowedUsers = share.allowedUsers;
            capacityBytes = share.capacityBytes;
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder ownerUid(int v) {
            ownerUid = v;
            return this;
        }

        public Builder ownerGid(int v) {
            ownerGid = v;
            return this;
        }

        public Builder allowedUsers(List<String> v) {
            allowedUsers = v;
            return this;
        }

        public SmbShare build() {
            return build(0);
        }

        private SmbShare build(int id) {
            return new SmbShare(
                    id,
                    name,
                    mode,
                    resource,
                    prefix,
                    cacheDisk,
                    ownerUid,
                    ownerGid,
                    reverseSyncIntervalSeconds,
                    uploadDelaySeconds,
                    allowedUsers,
                    capacityBytes);
        }
    }
}
