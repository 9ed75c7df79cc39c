package dev.sgw.iscsi.scsi;

/**
 * The SPC-2 reservation that RESERVE(6)/(10) take and RELEASE(6)/(10) give back: one I_T nexus holds the
 * whole logical unit.
 *
 * <pre>
 * state    | holder      | transitions
 * ---------+-------------+------------------------------------------------------------------------------
 * RELEASED | none        | RESERVE from any nexus -> RESERVED
 * RESERVED | one nexus   | RESERVE from the holder: stays; RESERVE from another: RESERVATION CONFLICT;
 *          |             | RELEASE from the holder, a logical unit reset, or the holder's nexus loss
 *          |             | -> RELEASED; RELEASE from another nexus: no effect (GOOD)
 * </pre>
 *
 * <p>While RESERVED, commands from other nexuses end in RESERVATION CONFLICT unless their {@link Access} is
 * {@link Access#ANY}. Thread-safe.
 */
final class LegacyReservation {

    /** Whether the logical unit is reserved. */
    enum State {
        RELEASED,
        RESERVED
    }

    private ItNexus holder;

    synchronized State state() {
        return holder == null ? State.RELEASED : State.RESERVED;
    }

    /** Takes the reservation for {@code nexus}; false if another nexus holds it. */
    synchronized boolean reserve(ItNexus nexus) {
        if (holder != null && !holder.equals(nexus)) {
            return false;
        }
        holder = nexus;
        return true;
    }

    /** Gives the reservation back if {@code nexus} holds it. */
    synchronized void release(ItNexus nexus) {
        if (nexus.equals(holder)) {
            holder = null;
        }
    }

    /** A logical unit reset releases the reservation. */
    synchronized void clear() {
        holder = null;
    }

    /** Whether a command from {@code nexus} with {@code access} conflicts with the reservation. */
    synchronized boolean conflicts(ItNexus nexus, Access access) {
        return holder != null && !holder.equals(nexus) && access != Access.ANY;
    }
}
