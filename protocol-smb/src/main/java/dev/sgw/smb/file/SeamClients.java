package dev.sgw.smb.file;

import java.util.concurrent.atomic.AtomicLong;

import dev.sgw.core.sharing.FileProtocol;
import dev.sgw.core.sharing.StateOwner;
import dev.sgw.smb.server.FileId;

/**
 * The client ids SMB state has in the sharing seam ({@link StateOwner#client()}), chosen by how long the state
 * may live: the dispatcher releases a connection's id when the connection closes, so state that may outlive its
 * connection (a durable open, a lease a durable open caches under) has an id of its own.
 *
 * <pre>
 * client id            | owns                                        | released by
 * ---------------------+---------------------------------------------+----------------------------------------
 * connection id (> 0)  | an open that cannot become durable, its     | its CLOSE or tree's end; release(SMB, id)
 *                      | locks and oplock                            | when the connection closes
 * -persistent id (< 0) | an open that asked for durability, its      | its CLOSE, tree's end, or (disconnected)
 *                      | locks and oplock                            | its timeout, a purge, a replacing open
 * MIN_VALUE + n        | a lease (RqLs): every open under its key    | the close of its last open
 * </pre>
 */
final class SeamClients {
    private static final AtomicLong LEASES = new AtomicLong();

    private SeamClients() {}

    /** The owner of an open with file id {@code id} on connection {@code connection}, durable or not. */
    static StateOwner openOwner(long connection, FileId id, boolean mayBeDurable) {
        long client = mayBeDurable ? -id.persistent() : connection;
        return StateOwner.of(FileProtocol.SMB, client, id.volatileId());
    }

    /** The holder of an oplock of the open {@code owner} names. */
    static StateOwner oplockHolder(StateOwner owner) {
        return StateOwner.of(FileProtocol.SMB, owner.client(), 0L);
    }

    /** A new lease's holder, its own client. */
    static StateOwner newLeaseHolder() {
        return StateOwner.of(FileProtocol.SMB, Long.MIN_VALUE + LEASES.incrementAndGet(), 0L);
    }
}
