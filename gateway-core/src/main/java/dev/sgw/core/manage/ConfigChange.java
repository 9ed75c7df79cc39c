package dev.sgw.core.manage;

/**
 * One committed change, as told to {@link ManagementListener}s.
 *
 * @param kind   what kind of entity changed
 * @param action what happened to it
 * @param name   its name (the path of an NFS share)
 * @param before the record before the change, {@code null} when created; a {@link CloudResource},
 *               {@link CacheDiskConfig}, {@link SmbUser}, {@link NfsShare}, {@link SmbShare} or
 *               {@link IscsiVolume} according to {@code kind}
 * @param after  the record after the change, {@code null} when deleted
 */
public record ConfigChange(EntityKind kind, Action action, String name, Object before, Object after) {

    /** What happened to an entity. */
    public enum Action {
        CREATED,
        UPDATED,
        DELETED
    }

    /** {@link #after()} (or {@link #before()} when deleted) as {@code type}. */
    public <T> T entity(Class<T> type) {
        return type.cast(after != null ? after : before);
    }
}
