package dev.sgw.nfs.v4;

import java.util.function.LongSupplier;

import dev.sgw.nfs.ExportAccess;

/**
 * What every operation of every compound shares: export enforcement, the pseudo file system, clients and
 * sessions, open and lock state, settings and the wall clock (nanoseconds since the epoch, for times set
 * to the server's time).
 */
record ServerState(
        ExportAccess access,
        PseudoFs pseudo,
        Sessions sessions,
        StateTable states,
        Nfs4Settings settings,
        LongSupplier wallClock) {

    long now() {
        return wallClock.getAsLong();
    }
}
