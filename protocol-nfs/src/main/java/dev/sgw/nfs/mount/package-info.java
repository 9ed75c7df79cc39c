/** The MOUNT protocol, program 100005 (RFC 1813 appendix I): how a client gets an export's root file handle. */
package dev.sgw.nfs.mount;
