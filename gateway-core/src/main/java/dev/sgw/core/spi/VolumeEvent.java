package dev.sgw.core.spi;

import java.util.Objects;

import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.SmbShare;

/**
 * A committed change of a share or volume, as protocol servers are told of it ({@link ConfigurationView}).
 *
 * @param kind   what changed
 * @param action what happened to it
 * @param name   its name (the path of an NFS share)
 * @param before the configuration before, {@code null} when created: an {@link NfsShare}, {@link SmbShare}
 *               or {@link IscsiVolume} according to {@code kind}
 * @param after  the configuration after, {@code null} when deleted
 */
public record VolumeEvent(Kind kind, Action action, String name, Object before, Object after) {

    /** The kind of share or volume. */
    public enum Kind {
        NFS_SHARE,
        SMB_SHARE,
        ISCSI_VOLUME
    }

    /** What happened to it. */
    public enum Action {
        CREATED,
        UPDATED,
        DELETED
    }

    public VolumeEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(name, "name");
    }

    /** {@link #before()} as {@code type}, or {@code null}. */
    public <T> T before(Class<T> type) {
        return type.cast(before);
    }

    /** {@link #after()} as {@code type}, or {@code null}. */
    public <T> T after(Class<T> type) {
        return type.cast(after);
    }
}
