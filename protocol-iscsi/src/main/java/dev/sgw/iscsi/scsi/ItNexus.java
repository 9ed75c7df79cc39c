package dev.sgw.iscsi.scsi;

import java.util.Objects;

/**
 * The I_T nexus a command arrived on (SAM-5): which initiator port talks to which target port. The SCSI
 * layer keys reservations and unit attentions by it.
 *
 * @param initiatorName the initiator's iSCSI name, e.g. {@code iqn.1993-08.org.debian:01:abc}
 * @param isid          the initiator session id, 6 bytes as a number
 * @param targetName    the target's iSCSI name
 * @param portalGroup   the target portal group tag (1 for sgw)
 */
public record ItNexus(String initiatorName, long isid, String targetName, int portalGroup) {

    public ItNexus {
        Objects.requireNonNull(initiatorName, "initiatorName");
        Objects.requireNonNull(targetName, "targetName");
    }

    /** The SCSI initiator port name, {@code <name>,i,0x<isid>} (RFC 7143 section 4.2.7.2). */
    public String initiatorPortName() {
        return initiatorName + ",i,0x" + String.format("%012x", isid);
    }

    /** The SCSI target port name, {@code <name>,t,0x<tpgt>}. */
    public String targetPortName() {
        return targetName + ",t,0x" + String.format("%04x", portalGroup);
    }
}
