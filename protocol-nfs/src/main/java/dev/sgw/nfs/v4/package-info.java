/**
 * NFS version 4.1 (RFC 8881, XDR of RFC 5662): {@link dev.sgw.nfs.v4.Nfs4Program} serves COMPOUND over the
 * exports of a {@link dev.sgw.core.spi.VolumeDirectory}. A compound is decoded one operation at a time
 * ({@code OpDecoder} into {@code OpArgs} records) and run by the operation classes ({@code SessionOps},
 * {@code FhOps}, {@code NamespaceOps}, {@code OpenOps}, {@code LockOps}) against a per-compound {@code Compound}
 * (current and saved filehandles and stateids). Server-wide state: {@code Sessions} (clients, sessions,
 * slot reply caches, lease expiry, grace period), {@code StateTable} (stateids of opens and lock owners;
 * the share reservations and byte-range locks themselves live in the volume's
 * {@link dev.sgw.core.sharing.FileSharing}, shared with SMB), {@code PseudoFs} (the directories above the
 * exports). LOOKUPP asks the volume for a directory's parent. Attributes are encoded and decoded by
 * {@code Attributes}; every call is
 * checked by {@link dev.sgw.nfs.ExportAccess} for the export of its filehandle.
 */
package dev.sgw.nfs.v4;
