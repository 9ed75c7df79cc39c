package dev.sgw.core.spi;

import java.util.List;
import java.util.Optional;

import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.LeaseBreakingVolume;
import dev.sgw.core.volume.BlockVolume;
import dev.sgw.core.volume.FileVolume;

/**
 * The open volumes, as protocol servers find them: by NFS export path, SMB share name (any case) or
 * iSCSI volume name, each with the configuration it is served under. The gateway runtime keeps it in step
 * with the management service; a lookup reflects the latest committed change. Thread-safe.
 */
public interface VolumeDirectory {

    /**
     * An NFS export: its configuration (allow-list, squashing), its file volume and the volume's opens and
     * locks, which every export of the volume shares.
     */
    record NfsExport(NfsShare share, FileVolume volume, FileSharing sharing) {
        /**
         * The export of {@code volume} with the volume's one {@link FileSharing}; its changes break the leases
         * of SMB clients first (NFS holds no leases of its own).
         */
        public NfsExport(NfsShare share, FileVolume volume) {
            this(share, leaseBreaking(volume), FileSharing.of(volume));
        }

        private static FileVolume leaseBreaking(FileVolume volume) {
            return volume == null ? null : new LeaseBreakingVolume(volume, FileSharing.of(volume), null);
        }
    }

    /** An SMB share: its configuration (allowed users), its file volume and the volume's opens and locks. */
    record SmbExport(SmbShare share, FileVolume volume, FileSharing sharing) {
        /** The share of {@code volume} with the volume's one {@link FileSharing}. */
        public SmbExport(SmbShare share, FileVolume volume) {
            this(share, volume, FileSharing.of(volume));
        }
    }

    /** An iSCSI target's LUN: its configuration (CHAP, enabled) and its block volume. */
    record IscsiLun(IscsiVolume config, BlockVolume volume) {}

    Optional<NfsExport> nfs(String path);

    List<NfsExport> nfsExports();

    /** The SMB share called {@code name}, in any case. */
    Optional<SmbExport> smb(String name);

    List<SmbExport> smbExports();

    Optional<IscsiLun> iscsi(String volumeName);

    List<IscsiLun> iscsiLuns();
}
