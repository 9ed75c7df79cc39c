/**
 * iSCSI PDUs (RFC 7143 section 11) and their framing: {@link dev.sgw.iscsi.pdu.FrameDecoder} cuts the byte
 * stream into frames (with optional CRC32C digests), {@link dev.sgw.iscsi.pdu.PduDecoder} types them, one
 * record per PDU kind; {@link dev.sgw.iscsi.pdu.PduEncoder} and {@link dev.sgw.iscsi.pdu.FrameEncoder} go back.
 * Nothing here calls the volume layer.
 */
package dev.sgw.iscsi.pdu;
