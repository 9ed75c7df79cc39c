package dev.sgw.iscsi.login;

import java.util.Objects;

import dev.sgw.core.manage.ChapCredentials;

/**
 * An iSCSI target as login sees it.
 *
 * @param name  the target's iSCSI name, e.g. {@code iqn.2026-11.dev.sgw:vol1}
 * @param alias the TargetAlias (the volume name)
 * @param chap  the CHAP credentials an initiator must prove, or {@code null} when none are required
 * @param multipleInitiators whether initiators with different names may hold sessions at once
 */
public record Target(String name, String alias, ChapCredentials chap, boolean multipleInitiators) {

    /** A target for one initiator at a time. */
    public Target(String name, String alias, ChapCredentials chap) {
        this(name, alias, chap, false);
    }

    public Target {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(alias, "alias");
    }
}
