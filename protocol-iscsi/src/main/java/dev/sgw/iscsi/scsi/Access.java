package dev.sgw.iscsi.scsi;

/**
 * How a command relates to reservations (the tables of allowed commands in SPC-4 and SBC-3): which reservation holders
 * it must be, or may not be, to run.
 */
enum Access {
    /** Never conflicts: INQUIRY, REPORT LUNS, REQUEST SENSE, the REPORT SUPPORTED ... commands, and
     * RESERVE/RELEASE, which apply their own rules. */
    ANY,
    /** Conflicts only with another nexus's RESERVE reservation: TEST UNIT READY, READ CAPACITY, and
     * PERSISTENT RESERVE IN/OUT (which apply their own rules to persistent reservations). */
    STATUS,
    /** Reads the medium or the logical unit's settings: allowed to everyone under Write Exclusive types. */
    READ,
    /** Changes the medium or the logical unit's settings. */
    WRITE
}
