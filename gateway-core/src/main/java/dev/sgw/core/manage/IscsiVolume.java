package dev.sgw.core.manage;

import java.util.regex.Pattern;

import dev.sgw.core.volume.VolumeMode;

/**
 * A block volume served over iSCSI as the single LUN of target {@code <base IQN>:<name>}. Its objects
 * live under {@code <resource prefix><name>/} (see {@link dev.sgw.core.layout.BucketLayout}). At most
 * {@value #MAX_VOLUMES} exist.
 *
 * @param id            the internal id (metadata namespace); assigned by the management service
 * @param name          1-64 characters of {@code [a-z0-9.-]}; unique
 * @param recover       open an existing volume found in the bucket ({@code volume.json}) instead of
 *                      creating a new one
 * @param capacityBytes at least 1 MiB, a multiple of the block size; may grow, never shrink
 * @param blockSize     512 or 4096
 * @param chunkSize     the size of a data object: a power of two from 64 KiB to 64 MiB, default 1 MiB; at
 *                      most the cache disk's chunk size
 * @param resource      the {@link CloudResource} holding the chunks
 * @param enabled       whether the target is offered to initiators
 * @param mode          CACHE, SYNC or WRITE_THROUGH
 * @param cacheDisk     the {@link CacheDiskConfig}; required unless WRITE_THROUGH ({@code null} allowed then)
 * @param chap          CHAP settings, or {@code null} for none
 * @param allowMultipleInitiators whether initiators with different names may be logged in at once; off by
 *                      default, because a volume formatted with an ordinary file system is corrupted by two
 *                      hosts mounting it. Turn it on only for cluster software that coordinates through SCSI
 *                      reservations.
 */
public record IscsiVolume(
        int id,
        String name,
        boolean recover,
        long capacityBytes,
        int blockSize,
        int chunkSize,
        String resource,
        boolean enabled,
        VolumeMode mode,
        String cacheDisk,
        ChapCredentials chap,
        boolean allowMultipleInitiators) {

    public static final int MAX_VOLUMES = 128;
    private static final Pattern NAME = Pattern.compile("[a-z0-9.-]{1,64}");

    public IscsiVolume {
        String entity = "iSCSI volume '" + FieldRules.printable(String.valueOf(name)) + "'";
        FieldRules.matches(entity, "name", name, NAME, "must be 1-64 characters of a-z, 0-9, '.' and '-'");
        if (name.equals(".") || name.equals("..")) {
            throw FieldRules.invalid(entity, "name", "must not be '.' or '..'");
        }
        FieldRules.range(entity, "id", id, 0, Integer.MAX_VALUE, "must not be negative");
        if (blockSize != 512 && blockSize != 4096) {
            throw FieldRules.invalid(entity, "blockSize", "must be 512 or 4096, got " + blockSize);
        }
        FieldRules.range(
                entity,
                "capacityBytes",
                capacityBytes,
                FieldRules.MIB,
                Long.MAX_VALUE,
                "must be at least 1 MiB (1048576)");
        if (capacityBytes % blockSize != 0) {
            throw FieldRules.invalid(
                    entity,
                    "capacityBytes",
                    "must be a multiple of the block size " + blockSize + ", got " + capacityBytes);
        }
        FieldRules.chunkSize(entity, "chunkSize", chunkSize);
        FieldRules.matches(entity, "resource", resource, FieldRules.NAME, FieldRules.NAME_RULE);
        FieldRules.required(entity, "mode", mode);
        if (cacheDisk != null && cacheDisk.isEmpty()) {
            cacheDisk = null;
        }
        if (cacheDisk != null) {
            FieldRules.matches(entity, "cacheDisk", cacheDisk, FieldRules.NAME, FieldRules.NAME_RULE);
        } else if (mode != VolumeMode.WRITE_THROUGH) {
            throw FieldRules.invalid(
                    entity, "cacheDisk", "is required in " + mode + " mode (only WRITE_THROUGH runs without one)");
        }
    }

    /** The volume's prefix inside its resource. */
    public String prefix() {
        return name + "/";
    }

    IscsiVolume withId(int newId) {
        return new Builder(this).build(newId);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds an {@link IscsiVolume}: enabled, 512-byte blocks, 1 MiB chunks, CACHE mode, no CHAP by default. */
    public static final class Builder {
        private final String name;
        private boolean recover;
        private long capacityBytes;
        private int blockSize = 512;
        private int chunkSize = FieldRules.DEFAULT_CHUNK;
        private String resource;
        private boolean enabled = true;
        private VolumeMode mode = VolumeMode.CACHE;
        private String cacheDisk;
        private ChapCredentials chap;
        private boolean allowMultipleInitiators;

        private Builder(String name) {
            this.name = name;
        }

        /** A builder holding the settings of {@code volume}. */
        private Builder(IscsiVolume volume) {
            this(volume.name);
            recover = volume.recover;
            capacityBytes = volume.capacityBytes;
            blockSize = volume.blockSize;
            chunkSize = volume.chunkSize;
            resource = volume.resource;
            enabled = volume.enabled;
            mode = volume.mode;
            cacheDisk = volume.cacheDisk;
            chap = volume.chap;
            allowMultipleInitiators = volume.allowMultipleInitiators;
        }

        public Builder recover(boolean v) {
            recover = v;
            return this;
        }

        public Builder capacityBytes(long v) {
            capacityBytes = v;
            return this;
        }

        public Builder blockSize(int v) {
            blockSize = v;
            return this;
        }

        public Builder chunkSize(int v) {
            chunkSize = v;
            return this;
        }

        public Builder resource(String v) {
            resource = v;
            return this;
        }

        public Builder enabled(boolean v) {
            enabled = v;
            return this;
        }

        public Builder mode(VolumeMode v) {
            mode = v;
            return this;
        }

        public Builder cacheDisk(String v) {
            cacheDisk = v;
            return this;
        }

        public Builder chap(ChapCredentials v) {
            chap = v;
            return this;
        }

        public Builder allowMultipleInitiators(boolean v) {
            allowMultipleInitiators = v;
            return this;
        }

        public IscsiVolume build() {
            return build(0);
        }

        private IscsiVolume build(int id) {
            return new IscsiVolume(
                    id,
                    name,
                    recover,
                    capacityBytes,
                    blockSize,
                    chunkSize,
                    resource,
                    enabled,
                    mode,
                    cacheDisk,
                    chap,
                    allowMultipleInitiators);
        }
    }
}
