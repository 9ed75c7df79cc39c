package dev.sgw.core.manage;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.sgw.core.volume.VolumeMode;

/**
 * A file share served over SMB. At most {@value #MAX_SHARES} exist.
 *
 * @param id                         internal volume id, as for {@link NfsShare#id()}
 * @param name                       the share name: unique without case, 1-80 characters, no {@code "/\[]:|<>+=;,*?}
 * @param mode                       SYNC or CACHE
 * @param resource                   the {@link CloudResource} holding the files
 * @param prefix                     the prefix inside the resource; default: the name plus '/'
 * @param cacheDisk                  the {@link CacheDiskConfig} caching the data
 * @param reverseSyncIntervalSeconds 0 = off
 * @param uploadDelaySeconds         0..120 (default 5)
 * @param allowedUsers               names of {@link SmbUser}s who may connect (no duplicates); empty: nobody
 */
public record SmbShare(
        int id,
        String name,
        VolumeMode mode,
        String resource,
        String prefix,
        String cacheDisk,
        long reverseSyncIntervalSeconds,
        int uploadDelaySeconds,
        List<String> allowedUsers) {

    public static final int MAX_SHARES = 16;

    public SmbShare {
        String entity = "SMB share '" + FieldRules.printable(String.valueOf(name)) + "'";
        SmbNames.shareName(entity, name);
        FieldRules.range(entity, "id", id, 0, Integer.MAX_VALUE, "must not be negative");
        FieldRules.required(entity, "mode", mode);
        if (mode == VolumeMode.WRITE_THROUGH) {
            throw FieldRules.invalid(entity, "mode", "must be SYNC or CACHE for a file share");
        }
        FieldRules.matches(entity, "resource", resource, FieldRules.NAME, FieldRules.NAME_RULE);
        prefix = FieldRules.prefix(entity, "prefix", prefix == null ? name + "/" : prefix);
        FieldRules.matches(entity, "cacheDisk", cacheDisk, FieldRules.NAME, FieldRules.NAME_RULE);
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
        return new SmbShare(
                newId,
                name,
                mode,
                resource,
                prefix,
                cacheDisk,
                reverseSyncIntervalSeconds,
                uploadDelaySeconds,
                allowedUsers);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds an {@link SmbShare} with the defaults filled in. */
    public static final class Builder {
        private final String name;
        private VolumeMode mode = VolumeMode.CACHE;
        private String resource;
        private String prefix;
        private String cacheDisk;
        private long reverseSyncIntervalSeconds;
        private int uploadDelaySeconds = NfsShare.DEFAULT_UPLOAD_DELAY_SECONDS;
        private List<String> allowedUsers = List.of();

        private Builder(String name) {
            this.name = name;
        }

        public Builder mode(VolumeMode v) {
            mode = v;
            return this;
        }

        public Builder resource(String v) {
            resource = v;
            return this;
        }

        public Builder prefix(String v) {
            prefix = v;
            return this;
        }

        public Builder cacheDisk(String v) {
            cacheDisk = v;
            return this;
        }

        public Builder reverseSyncIntervalSeconds(long v) {
            reverseSyncIntervalSeconds = v;
            return this;
        }

        public Builder uploadDelaySeconds(int v) {
            uploadDelaySeconds = v;
            return this;
        }

        public Builder allowedUsers(List<String> v) {
            allowedUsers = v;
            return this;
        }

        public SmbShare build() {
            return new SmbShare(
                    0,
                    name,
                    mode,
                    resource,
                    prefix,
                    cacheDisk,
                    reverseSyncIntervalSeconds,
                    uploadDelaySeconds,
                    allowedUsers);
        }
    }
}
