/**
 * The commands inside a disk share's tree connect ({@link dev.sgw.smb.file.DiskTreeCommands}): CREATE and the
 * open table, CLOSE, FLUSH, READ, WRITE, LOCK, file IOCTLs, QUERY_DIRECTORY, CHANGE_NOTIFY, QUERY_INFO and
 * SET_INFO, served from the tree's checked {@link dev.sgw.core.volume.FileVolume} and its
 * {@link dev.sgw.core.sharing.FileSharing} (share modes, delete-on-close, byte-range locks, change watches).
 * Semantics follow MS-SMB2 3.3.5.9 and on, MS-FSCC and MS-FSA.
 */
package dev.sgw.smb.file;
