package dev.sgw.smb.file;

import dev.sgw.smb.server.SmbTree;

/** The number that names a share's volume to clients (QFid's VolumeId, the volume serial number). */
final class VolumeIds {
    private VolumeIds() {}

    static long of(SmbTree tree) {
        if (tree.share() != null) {
            return 0x5347570000000000L | (tree.share().id() & 0xFFFFFFFFL);
        }
        return tree.volume().name().hashCode() & 0xFFFFFFFFL;
    }

    /** The 32-bit serial number of FileFsVolumeInformation. */
    static int serial(SmbTree tree) {
        long id = of(tree);
        return (int) (id ^ (id >>> 32)) ^ 0x5347570;
    }
}
