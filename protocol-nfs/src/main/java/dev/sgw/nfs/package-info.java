/** The NFS server (ONC RPC, MOUNT v3, NFSv3, NFSv4.1) over FileVolume. */
package dev.sgw.nfs;
