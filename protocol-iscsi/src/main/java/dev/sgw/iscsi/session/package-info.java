/**
 * The iSCSI full feature phase (RFC 7143 section 4): sessions and their admission rules, the command window,
 * SCSI tasks with their R2T and Data-In flows, task management, text (SendTargets), NOP, logout. Each
 * connection is confined to its event loop; logical unit calls run on virtual threads.
 */
package dev.sgw.iscsi.session;
