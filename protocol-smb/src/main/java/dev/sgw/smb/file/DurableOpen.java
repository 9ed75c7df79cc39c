package dev.sgw.smb.file;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * One durable open (MS-SMB2 3.3.1.10 Open.IsDurable): what survives the open's connection, session and tree
 * while its client comes back, and which {@link SmbOpen} stands for it now. One object lives through all the
 * reconnects of an open; each reconnect gives it a new {@link SmbOpen} (same persistent id, new volatile id,
 * new tree) holding the same sharing-seam open, locks and lease.
 *
 * <pre>
 * state        | event                                              | next         | effect
 * -------------+----------------------------------------------------+--------------+-------------------------------
 * CONNECTED    | connection lost, LOGOFF, session replaced, and the | DISCONNECTED | SmbOpen DISCONNECTED (kept in
 *              | open still caches handles (batch, or lease with H) |              | the table), lease detached,
 *              | with no break of its caching running               |              | expiry timer started
 * CONNECTED    | CLOSE, TREE_DISCONNECT; lost without H caching or  | CLOSED       | closed as any open
 *              | during a break; replaced by an open with its       |              |
 *              | AppInstanceId                                      |              |
 * DISCONNECTED | DHnC/DH2C by the same user (and the same client for| CONNECTED    | new SmbOpen in the client's
 *              | a lease; the CreateGuid for DH2C, the lease key    |              | tree; lease reattached to the
 *              | and the file name for a lease)                     |              | connection
 * DISCONNECTED | its timeout passes                                 | CLOSED       | closed: share modes, locks and
 *              |                                                    |              | lease released, delete on close
 * DISCONNECTED | another open, write or rename breaks its lease or  | CLOSED       | closed (purged) before the
 *              | oplock (its holder cannot answer)                  |              | other one goes ahead
 * CLOSED       | anything                                           | CLOSED       | a reconnect: OBJECT_NAME_NOT_FOUND
 * </pre>
 *
 * State changes are synchronized on this object; closing the open itself happens outside, by whoever moved it
 * to CLOSED.
 */
final class DurableOpen {
    enum State {
        CONNECTED,
        DISCONNECTED,
        CLOSED
    }

    /** How the durability was asked for: DHnQ or DH2Q. */
    enum Version {
        V1,
        V2
    }

    final long persistentId;
    final Version version;
    /** DH2Q's CreateGuid; zeros for v1. */
    private final byte[] createGuid;
    /** The ClientGuid of the connection that made the open (leases are the client's). */
    private final byte[] clientGuid;
    /** Who may reconnect it: the gateway user of the session that made it (Open.DurableOwner). */
    final String user;
    /** How long it is kept while disconnected. */
    final Duration timeout;
    /** The AppInstanceId sent with DH2Q, or null. */
    private final byte[] appInstanceId;

    private State state = State.CONNECTED;
    private SmbOpen open;
    /** Counts disconnects, so that a timer of an earlier one does nothing. */
    private long disconnects;

    DurableOpen(
            SmbOpen open,
            Version version,
            byte[] createGuid,
            byte[] clientGuid,
            String user,
            Duration timeout,
            byte[] appInstanceId) {
        this.open = open;
        this.persistentId = open.fileId.persistent();
        this.version = version;
        this.createGuid = createGuid.clone();
        this.clientGuid = clientGuid.clone();
        this.user = user;
        this.timeout = timeout;
        this.appInstanceId = appInstanceId == null ? null : appInstanceId.clone();
    }

    synchronized State state() {
        return state;
    }

    /** The open that stands for it now. */
    synchronized SmbOpen open() {
        return open;
    }

    boolean createdBy(byte[] guid) {
        return Arrays.equals(createGuid, guid);
    }

    boolean ofClient(byte[] guid) {
        return Arrays.equals(clientGuid, guid);
    }

    boolean hasAppInstance(byte[] id) {
        return appInstanceId != null && Arrays.equals(appInstanceId, id);
    }

    /** CONNECTED to DISCONNECTED; the disconnect's number, or -1 when it was not connected. */
    synchronized long disconnected() {
        if (state != State.CONNECTED) {
            return -1;
        }
        state = State.DISCONNECTED;
        return ++disconnects;
    }

    /**
     * DISCONNECTED to CONNECTED: {@code reattach} makes the open that stands for it from the disconnected one
     * (null: it cannot). The new open, or null when this one is not disconnected (any more).
     */
    synchronized SmbOpen reconnect(UnaryOperator<SmbOpen> reattach) {
        if (state != State.DISCONNECTED) {
            return null;
        }
        SmbOpen next = reattach.apply(open);
        if (next == null) {
            return null;
        }
        open = next;
        state = State.CONNECTED;
        return next;
    }

    /**
     * To CLOSED when disconnected (and, with {@code disconnect} not -1, still in that disconnect): whether
     * the caller is to close the open now.
     */
    synchronized boolean expired(long disconnect) {
        if (state != State.DISCONNECTED || (disconnect != -1 && disconnect != disconnects)) {
            return false;
        }
        state = State.CLOSED;
        return true;
    }

    /** To CLOSED from any state (the open is being closed by its client or the server). */
    synchronized void closed() {
        state = State.CLOSED;
    }

    @Override
    public synchronized String toString() {
        return "durable " + version + " open " + persistentId + " (" + state + ")";
    }
}
