package dev.sgw.nfs.v3;

import java.io.IOException;
import java.time.Instant;

import dev.sgw.nfs.BadHandleException;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.Credential;

/**
 * Who sent one NFSv3 call and from where: what {@link ExportAccess} needs to decide each handle's volume.
 *
 * @param context    the connection's addresses
 * @param credential the call's credential
 */
record Nfs3Request(CallContext context, Credential credential) {

    /** Resolves a handle of this call (BADHANDLE, STALE, ACCES). */
    ResolvedHandle resolve(ExportAccess access, byte[] handle) throws BadHandleException, IOException {
        return ResolvedHandle.of(handle, access, context, credential);
    }

    /** The server's time, nanoseconds since the epoch (SET_TO_SERVER_TIME). */
    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
