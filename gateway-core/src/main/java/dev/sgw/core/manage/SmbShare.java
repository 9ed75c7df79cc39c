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
 *                                   anonUid, and equal to it when an NFS share is on the same location; the
 *                                   uid SMB users without a {@link SmbUser#uid()} of their own act as
 * @param ownerGid                   their gid (default 65534), likewise the NFS share's anonGid
 * @param reverseSyncIntervalSeconds 0 = off
 * @param uploadDelaySeconds         0..120 (default 5)
 * @param allowedUsers               names of {@link SmbUser}s who may connect (no duplicates); empty: nobody
 * @param readOnlyUsers              those of the allowed users who may only read (no duplicates): their tree
 *                                   connects get read and execute rights only (default: none)
 * @param capacityBytes              the size reported to clients (default 256 TiB, at least 1 MiB); equal to
 *                                   the NFS share's when one is on the same location
 * @param browseable                 whether share enumeration (srvsvc NetShareEnum, {@code smbclient -L})
 *                                   lists the share (default true); a share left out is still connected by
 *                                   name
 * @param encryptData                whether every request on the share must be encrypted (default false):
 *                                   SMB 3.x clients are told to encrypt, plaintext requests and clients that
 *                                   cannot encrypt (SMB 2.x) are refused
 * @param caseSensitive              whether names are exact (default false: found without regard to case,
 *                                   keeping the case they were made with, as Windows clients expect); a
 *                                   share whose location also has an NFS share is always case-sensitive
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
        List<String> readOnlyUsers,
        long capacityBytes,
        boolean browseable,
        boolean encryptData,
        boolean caseSensitive) {

    public static final int MAX_SHARES = 16;

    public SmbShare {
        String entity = "SMB share '" + FieldRules.printable(String.valueOf(name)) + "'";
        SmbNames.shareName(entity, name);
        prefix = FieldRules.fileShare(entity, id, mode, resource, prefix, name + "/", cacheDisk);
        FieldRules.posixId(entity, "ownerUid", ownerUid);
        FieldRules.posixId(entity, "ownerGid", ownerGid);
        FieldRules.reverseSync(entity, reverseSyncIntervalSeconds);
        FieldRules.uploadDelay(entity, uploadDelaySeconds);
        allowedUsers = userList(entity, "allowedUsers", allowedUsers);
        readOnlyUsers = userList(entity, "readOnlyUsers", readOnlyUsers);
        for (String user : readOnlyUsers) {
            if (allowedUsers.stream().noneMatch(u -> u.equalsIgnoreCase(user))) {
                throw FieldRules.invalid(
                        entity, "readOnlyUsers", "must name allowed users only; '" + user + "' is not in allowedUsers");
            }
        }
        FieldRules.shareCapacity(entity, capacityBytes);
    }

    /** {@code users} checked (user names, none twice without case) and copied; null is empty. */
    private static List<String> userList(String entity, String field, List<String> users) {
        List<String> list = List.copyOf(users == null ? List.of() : users);
        Set<String> seen = new HashSet<>();
        for (String user : list) {
            SmbNames.userName(entity, field, user);
            if (!seen.add(SmbNames.key(user))) {
                throw FieldRules.invalid(entity, field, "must not name '" + user + "' twice");
            }
        }
        return list;
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

    /** Whether {@code user} (any case) may only read: one of {@link #readOnlyUsers}. */
    public boolean readOnlyFor(String user) {
        return readOnlyUsers.stream().anyMatch(u -> u.equalsIgnoreCase(user));
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
        private List<String> readOnlyUsers = List.of();
        private boolean browseable = true;
        private boolean encryptData;
        private boolean caseSensitive;

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
            readOnlyUsers = share.readOnlyUsers;
            capacityBytes = share.capacityBytes;
            browseable = share.browseable;
            encryptData = share.encryptData;
            caseSensitive = share.caseSensitive;
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

        /** Allowed users who may only read. */
        public Builder readOnlyUsers(List<String> v) {
            readOnlyUsers = v;
            return this;
        }

        /** Whether share enumeration lists the share (default true). */
        public Builder browseable(boolean v) {
            browseable = v;
            return this;
        }

        /** Whether every request on the share must be encrypted (default false). */
        public Builder encryptData(boolean v) {
            encryptData = v;
            return this;
        }

        /** Whether names are exact rather than found without regard to case (default false). */
        public Builder caseSensitive(boolean v) {
            caseSensitive = v;
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
                    readOnlyUsers,
                    capacityBytes,
                    browseable,
                    encryptData,
                    caseSensitive);
        }
    }
}
