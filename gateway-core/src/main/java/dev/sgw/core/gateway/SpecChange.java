package dev.sgw.core.gateway;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.sgw.core.manage.IscsiVolume;

/**
 * What a committed configuration change does to an open share or volume: the one diff that decides, per
 * changed field, whether it applies live, needs the volume closed and opened again, or grows it.
 *
 * <pre>
 * entity        field                           effect  how it takes effect
 * ------------  ------------------------------  ------  -----------------------------------------------------
 * NFS share     clients, userMapping            LIVE    protocols look the share up in the volume directory
 *                                                       at every request (NFS: every call and MOUNT)
 *               uploadDelaySeconds              LIVE    ShareUploader.setUploadDelay (waiting files re-timed)
 *               reverseSyncIntervalSeconds      LIVE    ReverseSync.setInterval (the pending scan re-timed)
 *               anonUid, anonGid                REOPEN  squashing reads them at every request, but they also
 *                                                       own the root, new files and imported files: the
 *                                                       volume takes its owner when it opens
 *               mode, cacheDisk, capacityBytes  REOPEN  the share's volume is closed and opened again
 *               resource, prefix                -       refused by the management service
 * SMB share     allowedUsers, readOnlyUsers,    LIVE    read at every tree connect (trees already connected
 *               encryptData                             keep what they were given)
 *               browseable                      LIVE    read at every share enumeration
 *               uploadDelay, reverseSync        LIVE    as for NFS (the NFS share's win on a shared location)
 *               ownerUid, ownerGid,             REOPEN  as for NFS (equal to the NFS share's on a shared
 *               mode, cacheDisk, capacityBytes          location, or the state is refused)
 *               caseSensitive                   REOPEN  the volume looks names up with or without case (with
 *                                                       an NFS share on the location names are exact anyway)
 * SMB user      password, enabled               LIVE    read at every authentication (and enabled at every
 *                                                       tree connect); sessions already set up carry on
 *               uid, gid                        LIVE    read at every tree connect
 * iSCSI volume  chap, allowMultipleInitiators   LIVE    read at every login; the iSCSI server closes the
 *                                                       volume's sessions when CHAP changes
 *               capacityBytes (grows)           RESIZE  ChunkedBlockVolume.grow rewrites volume.json; the
 *                                                       logical unit reports CAPACITY DATA HAS CHANGED
 *               mode, cacheDisk                 REOPEN  closed and opened again (a grow on the way applies)
 *               enabled                         -       false closes the volume, true opens it
 *               recover                         NONE    matters only the first time the volume opens
 *               resource, blockSize, chunkSize  -       refused, as is a smaller capacity
 * resource      endpoint, region, credentials   REOPEN  every share and volume on it (kind, bucket and key
 *                                                       prefix are refused while it is in use)
 * </pre>
 *
 * A change's {@link #effect()} is the heaviest of its fields' effects.
 */
final class SpecChange {

    /** What a changed field needs, lightest first. */
    enum Effect {
        NONE,
        LIVE,
        RESIZE,
        REOPEN
    }

    private final Map<String, Effect> fields;

    private SpecChange(Map<String, Effect> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    /** The change from the spec a share's volume was opened with to the one the state now asks for. */
    static SpecChange of(ShareSpec before, ShareSpec after) {
        Map<String, Effect> f = new LinkedHashMap<>();
        field(f, "name", before.name(), after.name(), Effect.NONE);
        field(f, "mode", before.mode(), after.mode(), Effect.REOPEN);
        field(f, "cacheDisk", before.cacheDisk(), after.cacheDisk(), Effect.REOPEN);
        field(f, "capacity", before.capacity(), after.capacity(), Effect.REOPEN);
        field(f, "owner", before.owner(), after.owner(), Effect.REOPEN);
        field(f, "group", before.group(), after.group(), Effect.REOPEN);
        field(f, "uploadDelay", before.uploadDelay(), after.uploadDelay(), Effect.LIVE);
        field(f, "reverseSyncInterval", before.reverseSyncInterval(), after.reverseSyncInterval(), Effect.LIVE);
        field(f, "caseSensitive", before.smbCaseSensitive(), after.smbCaseSensitive(), Effect.REOPEN);
        return new SpecChange(f);
    }

    /** The change from the configuration a block volume was opened with to the one the state now asks for. */
    static SpecChange of(IscsiVolume before, IscsiVolume after) {
        Map<String, Effect> f = new LinkedHashMap<>();
        field(f, "mode", before.mode(), after.mode(), Effect.REOPEN);
        field(f, "cacheDisk", before.cacheDisk(), after.cacheDisk(), Effect.REOPEN);
        field(f, "capacityBytes", before.capacityBytes(), after.capacityBytes(), Effect.RESIZE);
        field(f, "chap", before.chap(), after.chap(), Effect.LIVE);
        field(
                f,
                "allowMultipleInitiators",
                before.allowMultipleInitiators(),
                after.allowMultipleInitiators(),
                Effect.LIVE);
        field(f, "recover", before.recover(), after.recover(), Effect.NONE);
        return new SpecChange(f);
    }

    private static void field(Map<String, Effect> out, String name, Object before, Object after, Effect effect) {
        if (!Objects.equals(before, after)) {
            out.put(name, effect);
        }
    }

    /** The changed fields and what each needs, in table order. */
    Map<String, Effect> fields() {
        return fields;
    }

    boolean changed(String field) {
        return fields.containsKey(field);
    }

    /** The heaviest effect of the changed fields; NONE when nothing changed. */
    Effect effect() {
        return fields.values().stream().max(Comparator.naturalOrder()).orElse(Effect.NONE);
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
