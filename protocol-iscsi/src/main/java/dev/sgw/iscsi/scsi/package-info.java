/** The SCSI block device (SPC-4, SBC-3) each iSCSI target serves over a BlockVolume: one opcode table, one sense mapping. */
package dev.sgw.iscsi.scsi;
