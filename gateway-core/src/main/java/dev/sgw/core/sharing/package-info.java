/**
 * The state that file protocols keep about a file while clients use it, in one place so that NFS and SMB
 * clients of one share see each other: opens with access and share modes, delete-on-close, and
 * byte-range locks with an I/O check. One {@link dev.sgw.core.sharing.FileSharing} per file volume; a
 * protocol keeps only its wire state (NFSv4 stateids, SMB file ids) and maps it to these opens and
 * locks.
 */
package dev.sgw.core.sharing;
