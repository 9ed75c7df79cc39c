package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One SCSI command as the transport hands it to a {@link LogicalUnit}: the CDB and, for a command that
 * carries data to the target, every data-out byte the initiator sent (the transport has gathered the
 * immediate, unsolicited and R2T-solicited data before executing).
 *
 * @param nexus                    the I_T nexus the command came on
 * @param lun                      the addressed logical unit number (flat, 0 for sgw's single LUN)
 * @param cdb                      the command descriptor block, 6 to 16 bytes (never modified)
 * @param read                     the initiator expects data from the target (iSCSI R bit)
 * @param write                    the initiator sends data to the target (iSCSI W bit)
 * @param expectedTransferLength   the iSCSI Expected Data Transfer Length: the bytes the initiator
 *                                 allocated for data-in (read) or sends as data-out (write)
 * @param dataOut                  the data-out bytes, {@code expectedTransferLength} of them; empty when
 *                                 {@code write} is false
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record ScsiCommand(
        ItNexus nexus,
        long lun,
        byte[] cdb,
        boolean read,
        boolean write,
        int expectedTransferLength,
        ByteBuffer dataOut) {

    public ScsiCommand {
        Objects.requireNonNull(nexus, "nexus");
        Objects.requireNonNull(cdb, "cdb");
        Objects.requireNonNull(dataOut, "dataOut");
    }

    /** The operation code, CDB byte 0. */
    public int opcode() {
        return cdb.length == 0 ? -1 : cdb[0] & 0xff;
    }
}
