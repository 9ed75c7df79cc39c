package dev.sgw.iscsi.scsi;

import java.util.ArrayList;
import java.util.List;

/**
 * The persistent reservation state of a logical unit (SPC-4), in memory (APTPL is not supported: it
 * does not survive a restart of the gateway, but it does survive I_T nexus loss and logical unit resets).
 *
 * <pre>
 * state        | registrations | reservation            | transitions
 * -------------+---------------+------------------------+------------------------------------------------
 * UNREGISTERED | none          | none                   | REGISTER (key != 0) -> REGISTERED
 * REGISTERED   | one or more   | none                   | RESERVE by a registrant -> RESERVED;
 *              |               |                        | last registration removed -> UNREGISTERED
 * RESERVED     | one or more   | a type, held by one    | RELEASE by the holder, the holder unregistering
 *              |               | registrant (or by all  | (all-registrants types: the last one), CLEAR
 *              |               | for *_ALL_REGISTRANTS) | -> REGISTERED / UNREGISTERED; PREEMPT of the
 *              |               |                        | holder's key -> RESERVED by the preempting nexus
 * </pre>
 *
 * <p>Registrations belong to I_T nexuses (or, with ALL_TG_PT, to an initiator port on every target port).
 * Unit attentions: CLEAR sends RESERVATIONS PREEMPTED to the other registrants; PREEMPT sends
 * REGISTRATIONS PREEMPTED to those it removed (and RESERVATIONS RELEASED to the rest if the reservation's
 * type changed); releasing a registrants-only or all-registrants reservation sends RESERVATIONS RELEASED to
 * the other registrants. PREEMPT AND ABORT does not abort tasks (the transport owns them). The generation
 * counts REGISTER, REGISTER AND IGNORE EXISTING KEY, CLEAR, PREEMPT and PREEMPT AND ABORT. Thread-safe;
 * no method does I/O.
 */
final class PersistentReservations {

    /** Where the logical unit stands. */
    enum State {
        UNREGISTERED,
        REGISTERED,
        RESERVED
    }

    /** The persistent reservation types (SPC-4 table 179) and their codes. */
    enum Type {
        WRITE_EXCLUSIVE(1),
        EXCLUSIVE_ACCESS(3),
        WRITE_EXCLUSIVE_REGISTRANTS_ONLY(5),
        EXCLUSIVE_ACCESS_REGISTRANTS_ONLY(6),
        WRITE_EXCLUSIVE_ALL_REGISTRANTS(7),
        EXCLUSIVE_ACCESS_ALL_REGISTRANTS(8);

        final int code;

        Type(int code) {
            this.code = code;
        }

        /** The type with {@code code}, or null. */
        static Type of(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }

        boolean allRegistrants() {
            return this == WRITE_EXCLUSIVE_ALL_REGISTRANTS || this == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
        }

        boolean registrantsOnly() {
            return this == WRITE_EXCLUSIVE_REGISTRANTS_ONLY || this == EXCLUSIVE_ACCESS_REGISTRANTS_ONLY;
        }

        boolean writeExclusive() {
            return this == WRITE_EXCLUSIVE
                    || this == WRITE_EXCLUSIVE_REGISTRANTS_ONLY
                    || this == WRITE_EXCLUSIVE_ALL_REGISTRANTS;
        }
    }

    /** One registered key, as READ FULL STATUS reports it. */
    record Registrant(long key, ItNexus nexus, boolean allTargetPorts, boolean holder) {}

    /** A consistent copy of the state for PERSISTENT RESERVE IN. */
    record Snapshot(int generation, List<Registrant> registrants, Type type, long reservationKey) {}

    private static final class Registration {
        long key;
        final ItNexus nexus;
        final boolean allTargetPorts;

        Registration(long key, ItNexus nexus, boolean allTargetPorts) {
            this.key = key;
            this.nexus = nexus;
            this.allTargetPorts = allTargetPorts;
        }

        boolean covers(ItNexus other) {
            return allTargetPorts ? other.initiatorPortName().equals(nexus.initiatorPortName()) : other.equals(nexus);
        }
    }

    private final UnitAttentions attentions;
    private final List<Registration> registrations = new ArrayList<>();
    private Type type;
    /** The holder of a single-holder reservation; null when unreserved or for all-registrants types. */
    private Registration holder;

    private int generation;

    PersistentReservations(UnitAttentions attentions) {
        this.attentions = attentions;
    }

    synchronized State state() {
        return type != null ? State.RESERVED : registrations.isEmpty() ? State.UNREGISTERED : State.REGISTERED;
    }

    /** Whether a persistent reservation is held (RESERVE(6)/(10) then conflict). */
    synchronized boolean reserved() {
        return type != null;
    }

    /** Whether a command from {@code nexus} with {@code access} may run under the current reservation. */
    synchronized boolean permits(ItNexus nexus, Access access) {
        if (type == null || access == Access.ANY || access == Access.STATUS) {
            return true;
        }
        Registration own = find(nexus);
        if (own != null && (type.allRegistrants() || own == holder)) {
            return true;
        }
        return switch (type) {
            case WRITE_EXCLUSIVE -> access == Access.READ;
            case EXCLUSIVE_ACCESS -> false;
            case WRITE_EXCLUSIVE_REGISTRANTS_ONLY, WRITE_EXCLUSIVE_ALL_REGISTRANTS ->
                access == Access.READ || own != null;
            case EXCLUSIVE_ACCESS_REGISTRANTS_ONLY, EXCLUSIVE_ACCESS_ALL_REGISTRANTS -> own != null;
        };
    }

    /**
     * REGISTER ({@code ignoreExisting} false) or REGISTER AND IGNORE EXISTING KEY: registers, changes or
     * (with {@code serviceActionKey} 0) removes the key of {@code nexus}.
     */
    synchronized void register(
            ItNexus nexus, long reservationKey, long serviceActionKey, boolean ignoreExisting, boolean allTargetPorts)
            throws ScsiError {
        Registration own = find(nexus);
        if (own == null) {
            if (!ignoreExisting && reservationKey != 0) {
                throw ScsiError.reservationConflict();
            }
            if (serviceActionKey != 0) {
                registrations.add(new Registration(serviceActionKey, nexus, allTargetPorts));
                generation++;
            }
            return;
        }
        if (!ignoreExisting && reservationKey != own.key) {
            throw ScsiError.reservationConflict();
        }
        if (serviceActionKey == 0) {
            unregister(own);
        } else {
            own.key = serviceActionKey;
        }
        generation++;
    }

    /** RESERVE: {@code nexus}, registered with {@code reservationKey}, takes a reservation of {@code newType}. */
    synchronized void reserve(ItNexus nexus, long reservationKey, Type newType) throws ScsiError {
        Registration own = registered(nexus, reservationKey);
        if (type != null) {
            boolean holds = type.allRegistrants() || own == holder;
            if (!holds || type != newType) {
                throw ScsiError.reservationConflict();
            }
            return;
        }
        type = newType;
        holder = newType.allRegistrants() ? null : own;
    }

    /** RELEASE of the reservation of {@code releasedType} that {@code nexus} holds. */
    synchronized void release(ItNexus nexus, long reservationKey, Type releasedType) throws ScsiError {
        Registration own = registered(nexus, reservationKey);
        if (type == null || !(type.allRegistrants() || own == holder)) {
            return;
        }
        if (type != releasedType) {
            throw ScsiError.check(SenseData.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
        }
        dropReservation(own);
    }

    /** CLEAR: removes every registration and the reservation. */
    synchronized void clear(ItNexus nexus, long reservationKey) throws ScsiError {
        Registration own = registered(nexus, reservationKey);
        List<Registration> others = new ArrayList<>(registrations);
        others.remove(own);
        registrations.clear();
        type = null;
        holder = null;
        generation++;
        notify(others, nexus, SenseData.RESERVATIONS_PREEMPTED);
    }

    /** PREEMPT (and PREEMPT AND ABORT): removes the registrations with {@code preemptedKey} (SPC-4 "Preempting"). */
    synchronized void preempt(ItNexus nexus, long reservationKey, long preemptedKey, Type newType) throws ScsiError {
        Registration own = registered(nexus, reservationKey);
        boolean takesReservation;
        List<Registration> removed;
        if (type != null && type.allRegistrants() && preemptedKey == 0) {
            removed = new ArrayList<>(registrations);
            removed.remove(own);
            takesReservation = true;
        } else {
            if (preemptedKey == 0) {
                throw ScsiError.check(SenseData.INVALID_FIELD_IN_PARAMETER_LIST);
            }
            takesReservation = type != null && !type.allRegistrants() && holder.key == preemptedKey;
            removed = registrations.stream()
                    .filter(r -> r.key == preemptedKey && r != own)
                    .toList();
            if (removed.isEmpty() && !takesReservation && (own.key != preemptedKey)) {
                throw ScsiError.reservationConflict();
            }
        }
        registrations.removeAll(removed);
        Type oldType = type;
        if (takesReservation) {
            type = newType;
            holder = newType.allRegistrants() ? null : own;
        }
        generation++;
        notify(removed, nexus, SenseData.REGISTRATIONS_PREEMPTED);
        if (takesReservation && oldType != newType) {
            List<Registration> rest = new ArrayList<>(registrations);
            rest.remove(own);
            notify(rest, nexus, SenseData.RESERVATIONS_RELEASED);
        }
    }

    synchronized Snapshot snapshot() {
        List<Registrant> list = registrations.stream()
                .map(r -> new Registrant(
                        r.key, r.nexus, r.allTargetPorts, type != null && (type.allRegistrants() || r == holder)))
                .toList();
        long key = type == null || type.allRegistrants() ? 0 : holder.key;
        return new Snapshot(generation, list, type, key);
    }

    private Registration find(ItNexus nexus) {
        for (Registration r : registrations) {
            if (r.covers(nexus)) {
                return r;
            }
        }
        return null;
    }

    /** The registration of {@code nexus} if its key is {@code reservationKey}; RESERVATION CONFLICT otherwise. */
    private Registration registered(ItNexus nexus, long reservationKey) throws ScsiError {
        Registration own = find(nexus);
        if (own == null || own.key != reservationKey) {
            throw ScsiError.reservationConflict();
        }
        return own;
    }

    private void unregister(Registration own) {
        registrations.remove(own);
        if (type == null) {
            return;
        }
        if (type.allRegistrants() ? registrations.isEmpty() : own == holder) {
            dropReservation(own);
        }
    }

    private void dropReservation(Registration by) {
        Type released = type;
        type = null;
        holder = null;
        if (released.registrantsOnly() || released.allRegistrants()) {
            List<Registration> others = new ArrayList<>(registrations);
            others.remove(by);
            notify(others, by.nexus, SenseData.RESERVATIONS_RELEASED);
        }
    }

    /** Raises {@code condition} for every known nexus one of {@code affected} covers, except {@code sender}. */
    private void notify(List<Registration> affected, ItNexus sender, SenseData condition) {
        for (ItNexus n : attentions.nexuses()) {
            if (!n.equals(sender) && affected.stream().anyMatch(r -> r.covers(n))) {
                attentions.raise(n, condition);
            }
        }
    }
}
