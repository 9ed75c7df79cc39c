package dev.sgw.core.gateway;

import java.time.Duration;
import java.util.Optional;

import dev.sgw.core.manage.GatewayState;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.volume.VolumeMode;

/**
 * What a file share's volume is opened with, taken from the NFS share of its id or, without one, the SMB
 * share. An NFS and an SMB share on one bucket location are one volume: the state rules refuse them unless
 * they agree on mode, cache disk, capacity and owner, so those come out the same from either; the upload
 * delay and reverse sync interval, which may differ, are the NFS share's.
 *
 * @param name                the NFS path or SMB name (logs)
 * @param mode                the volume mode
 * @param cacheDisk           the cache disk's name
 * @param capacity            the capacity the share reports, bytes
 * @param owner               the uid of the root, of new files given no owner and of files reverse sync
 *                            imports (the NFS share's anonUid, the SMB share's ownerUid)
 * @param group               their gid
 * @param uploadDelay         how long a changed file rests before its upload
 * @param reverseSyncInterval the time between reverse sync scans
 * @param smbCaseSensitive    the SMB share's {@link SmbShare#caseSensitive()} (false without an SMB share);
 *                            the volume finds names without regard to case when it is false and no NFS share
 *                            is on the location ({@link GatewayRuntime} decides that when the volume opens)
 */
record ShareSpec(
        String name,
        VolumeMode mode,
        String cacheDisk,
        long capacity,
        int owner,
        int group,
        Duration uploadDelay,
        Duration reverseSyncInterval,
        boolean smbCaseSensitive) {

    /** The spec of volume {@code id} in {@code state}; empty when no share has that id. */
    static Optional<ShareSpec> of(GatewayState state, int id) {
        Optional<NfsShare> nfs =
                state.nfsShares().stream().filter(s -> s.id() == id).findFirst();
        if (nfs.isPresent()) {
            NfsShare s = nfs.get();
            return Optional.of(new ShareSpec(
                    s.path(),
                    s.mode(),
                    s.cacheDisk(),
                    s.capacityBytes(),
                    s.anonUid(),
                    s.anonGid(),
                    s.uploadDelay(),
                    s.reverseSyncInterval(),
                    state.smbShares().stream().anyMatch(smb -> smb.id() == id && smb.caseSensitive())));
        }
        return state.smbShares().stream()
                .filter(s -> s.id() == id)
                .findFirst()
                .map(s -> new ShareSpec(
                        s.name(),
                        s.mode(),
                        s.cacheDisk(),
                        s.capacityBytes(),
                        s.ownerUid(),
                        s.ownerGid(),
                        s.uploadDelay(),
                        s.reverseSyncInterval(),
                        s.caseSensitive()));
    }
}
