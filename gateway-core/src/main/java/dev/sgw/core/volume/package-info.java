/**
 * The volume API: what protocol modules see of the gateway. {@link dev.sgw.core.volume.FileVolume} is a
 * POSIX namespace for NFS and SMB; {@link dev.sgw.core.volume.BlockVolume} a block device for iSCSI. Both
 * fail with {@link dev.sgw.core.volume.VolumeException} carrying a {@link dev.sgw.core.volume.VolumeError}.
 */
package dev.sgw.core.volume;
