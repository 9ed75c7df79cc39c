package dev.sgw.iscsi.scsi;

/**
 * A SCSI logical unit as the iSCSI transport drives it. {@link #execute} is called on a virtual thread,
 * concurrently for many commands of one or several sessions; it blocks for I/O and always returns a
 * response (errors become CHECK CONDITION with sense data, never an exception).
 */
public interface LogicalUnit {

    /** Executes one command and answers it. */
    ScsiResponse execute(ScsiCommand command);

    /** A LOGICAL UNIT RESET or TARGET (WARM/COLD) RESET task management function from {@code nexus}. */
    void reset(ItNexus nexus);

    /** The nexus is gone (session logged out or dropped): release what it held that does not persist. */
    void nexusLost(ItNexus nexus);
}
