package dev.sgw.core.manage;

import dev.sgw.core.volume.VolumeMode;

/**
 * The settings every file share has, NFS ({@link NfsShare.Builder}) or SMB ({@link SmbShare.Builder}),
 * with their defaults: CACHE mode, the resource's default prefix, reverse sync off, an upload delay of
 * {@value NfsShare#DEFAULT_UPLOAD_DELAY_SECONDS} seconds, a capacity of 256 TiB. The share records check the
 * values when built.
 *
 * @param <B> the builder itself, so that calls chain
 */
public abstract sealed class FileShareBuilder<B extends FileShareBuilder<B>>
        permits NfsShare.Builder, SmbShare.Builder {
    VolumeMode mode = VolumeMode.CACHE;
    String resource;
    String prefix;
    String cacheDisk;
    long reverseSyncIntervalSeconds;
    int uploadDelaySeconds = NfsShare.DEFAULT_UPLOAD_DELAY_SECONDS;
    long capacityBytes = NfsShare.DEFAULT_CAPACITY;

    FileShareBuilder() {}

    /** This builder, typed as the share's own. */
    abstract B self();

    public B mode(VolumeMode v) {
        mode = v;
        return self();
    }

    public B resource(String v) {
        resource = v;
        return self();
    }

    public B prefix(String v) {
        prefix = v;
        return self();
    }

    public B cacheDisk(String v) {
        cacheDisk = v;
        return self();
    }

    public B reverseSyncIntervalSeconds(long v) {
        reverseSyncIntervalSeconds = v;
        return self();
    }

    public B uploadDelaySeconds(int v) {
        uploadDelaySeconds = v;
        return self();
    }

    /** The size the share reports to clients (statfs), in bytes. */
    public B capacityBytes(long v) {
        capacityBytes = v;
        return self();
    }
}
