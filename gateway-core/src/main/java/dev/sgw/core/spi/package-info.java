/**
 * The seam between the gateway's wiring and its protocol modules: a {@link dev.sgw.core.spi.ProtocolServer}
 * (NFS, SMB, iSCSI) is started with a {@link dev.sgw.core.spi.ProtocolContext} that gives it everything it
 * may use: where to listen, the volumes ({@link dev.sgw.core.spi.VolumeDirectory}), metrics and a
 * read-only {@link dev.sgw.core.spi.ConfigurationView} (credentials, share and volume events); a {@link dev.sgw.core.spi.NettyListener} is the listening socket each server
 * runs on. Protocol modules see nothing else of the core.
 */
package dev.sgw.core.spi;
