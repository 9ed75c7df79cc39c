/**
 * NFS version 3 (RFC 1813): program 100003 version 3 over {@link dev.sgw.core.volume.FileVolume}, every
 * call checked by {@link dev.sgw.nfs.ExportAccess}. Entry point: {@link dev.sgw.nfs.v3.Nfs3Program}.
 */
package dev.sgw.nfs.v3;
