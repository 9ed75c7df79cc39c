/**
 * The management service: the gateway's configuration model (cloud resources, cache disks, NFS and SMB
 * shares, SMB users, iSCSI volumes), its validation, its persisted and encrypted state, change listeners
 * and the config file of {@code sgw serve --config}. {@link dev.sgw.core.manage.ManagementService} is the
 * entry point; {@link dev.sgw.core.manage.ManagementException} its one failure for users.
 *
 * <p>Secrets (secret access keys, SMB NT hashes, CHAP secrets) are held in {@link dev.sgw.core.manage.Secret}
 * and {@link dev.sgw.core.manage.NtHash}, whose {@code toString()} masks them, and are sealed with
 * AES-256-GCM in the state file.
 */
package dev.sgw.core.manage;
