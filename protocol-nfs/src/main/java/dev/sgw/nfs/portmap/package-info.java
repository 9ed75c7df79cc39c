/**
 * Portmap version 2 and rpcbind versions 3 and 4 (RFC 1833), program 100000: how clients such as
 * {@code mount.nfs}, {@code showmount} and {@code rpcinfo} find the port of a program. Registrations live in
 * memory in a {@link dev.sgw.nfs.portmap.PortmapRegistry}.
 */
package dev.sgw.nfs.portmap;
