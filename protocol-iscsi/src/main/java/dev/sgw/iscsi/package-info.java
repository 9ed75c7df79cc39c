/**
 * The iSCSI target over BlockVolume: {@link dev.sgw.iscsi.IscsiServer} (the portal, a
 * {@link dev.sgw.core.spi.ProtocolServer}) over the packages {@code pdu} (framing and PDUs), {@code login}
 * (negotiation and CHAP), {@code session} (full feature phase) and {@code scsi} (the SCSI command set).
 */
package dev.sgw.iscsi;
