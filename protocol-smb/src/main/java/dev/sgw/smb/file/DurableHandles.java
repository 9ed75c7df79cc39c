package dev.sgw.smb.file;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.sgw.core.sharing.LeaseState;
import dev.sgw.core.sharing.ShareAccess;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable opens of the server (MS-SMB2 3.3.5.9.6, 3.3.5.9.10, 3.3.5.9.13, 3.3.7.1): which opens get
 * durability, what happens to them when their session goes, how long they wait for their client, and what
 * closes them early. Each one's life is the state table of {@link DurableOpen}; reconnects are
 * {@link DurableReconnect}.
 *
 * <pre>
 * event                                          | what happens here
 * -----------------------------------------------+----------------------------------------------------------
 * CREATE with DHnQ or DH2Q, granted a batch      | durable: DHnQ answered, or DH2Q with the timeout (0: the
 *   oplock or a lease with HANDLE, not a dir     | default, at most 5 min); v1 opens wait the default
 * DH2Q with an AppInstanceId                     | another client's open of that file with that id is closed
 * connection lost, LOGOFF, session replaced      | an open still caching handles, no break of it running:
 *   (TreeCommands.treeGone with keepDurable)     | disconnected, kept for its timeout with its share modes,
 *                                                | locks and lease; else closed (a break sent to the lost
 *                                                | connection would wait for an acknowledgment in vain)
 * another client's CREATE would break the lease  | the disconnected opens are closed first (their client
 *   of disconnected opens (write caching, handle | cannot answer a break), then that CREATE goes on as if
 *   caching meeting its share modes, overwrite)  | they never were (Windows)
 * any other break of a detached lease (a write,  | the disconnected opens are closed (on their own thread);
 *   a rename, NFS)                               | the break's waiter goes on once their lease is released
 * the timeout passes                             | closed as by CLOSE (delete on close done then)
 * CLOSE, TREE_DISCONNECT                         | closed; no longer durable
 * </pre>
 *
 * The opens themselves stay in the {@link OpenTable} while disconnected; this keeps them by persistent id.
 * Thread-safe.
 */
final class DurableHandles {
    private static final Logger LOG = LoggerFactory.getLogger(DurableHandles.class);

    /** How long a v1 open, or a v2 open asking for no time of its own, waits for its client (Samba's). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** The longest a v2 open waits (Windows and Samba cap DH2Q's Timeout at 5 minutes). */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    private final OpenTable opens;
    private final Leases leases;
    private final Consumer<SmbOpen> closer;
    private final ConcurrentHashMap<Long, DurableOpen> byPersistentId = new ConcurrentHashMap<>();
    private volatile Duration defaultTimeout = DEFAULT_TIMEOUT;

    /**
     * @param closer closes an open as CLOSE does (sharing state released, delete on close done)
     */
    DurableHandles(OpenTable opens, Leases leases, Consumer<SmbOpen> closer) {
        this.opens = opens;
        this.leases = leases;
        this.closer = closer;
    }

    /** How long v1 opens wait (tests shorten it). */
    void defaultTimeout(Duration timeout) {
        this.defaultTimeout = timeout;
    }

    /** How many durable opens there are, connected or not (for tests and metrics). */
    int count() {
        return byPersistentId.size();
    }

    /**
     * Whether an open may become durable: it asks (DHnQ, DH2Q) with a batch oplock or a lease with HANDLE
     * caching, and is not of a directory. Such an open is its own client in the sharing seam.
     */
    boolean mayBeDurable(DurableRequest durable, Leases.Wanted wanted, boolean directory) {
        return durable.kind().request() && !directory && (wanted.state() & LeaseState.HANDLE) != 0;
    }

    /**
     * Makes {@code open} durable when {@code durable} asks and the open got handle caching; the response
     * context to answer, or null.
     */
    CreateResponse.Context grant(SmbRequest request, SmbOpen open, DurableRequest durable) {
        Leases.SmbLease caching = open.lease;
        if (!durable.kind().request()
                || open.directory
                || open.owner.client() >= 0
                || caching == null
                || !caching.cachesHandles()) {
            return null;
        }
        boolean v1 = durable.kind() == DurableRequest.Kind.REQUEST_V1;
        Duration timeout = v1 ? defaultTimeout : v2Timeout(durable.timeoutMillis());
        DurableOpen d = new DurableOpen(
                open,
                v1 ? DurableOpen.Version.V1 : DurableOpen.Version.V2,
                durable.createGuid(),
                request.connection().clientGuid(),
                request.session().user(),
                timeout,
                durable.appInstanceId());
        open.durable = d;
        byPersistentId.put(d.persistentId, d);
        return v1
                ? new CreateResponse.Context(DurableRequest.V1_REQUEST, DurableRequest.v1Response())
                : new CreateResponse.Context(DurableRequest.V2_REQUEST, DurableRequest.v2Response(timeout.toMillis()));
    }

    private Duration v2Timeout(long millis) {
        if (millis == 0) {
            return defaultTimeout;
        }
        Duration asked = Duration.ofMillis(millis);
        return asked.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : asked;
    }

    /** The durable open with persistent id {@code persistentId} in any state but CLOSED, or null. */
    DurableOpen find(long persistentId) {
        DurableOpen d = byPersistentId.get(persistentId);
        return d == null || d.state() == DurableOpen.State.CLOSED ? null : d;
    }

    /**
     * SMB2_CREATE_APP_INSTANCE_ID (3.3.5.9.13): the open another client made of the same file in the same
     * share with the same AppInstanceId is closed (a failed-over application takes its file back).
     */
    void replaceAppInstance(SmbRequest request, DurableRequest durable, SharePath path) {
        byte[] id = durable.appInstanceId();
        if (id == null) {
            return;
        }
        SmbTree tree = request.tree();
        byte[] client = request.connection().clientGuid();
        for (DurableOpen d : byPersistentId.values()) {
            SmbOpen open = d.open();
            if (d.hasAppInstance(id)
                    && !d.ofClient(client)
                    && open.holdsState()
                    && open.tree.sharing() == tree.sharing()
                    && samePath(open.path(), path.toString())) {
                LOG.debug("{}: replaced by an open with its AppInstanceId", open);
                closer.accept(open);
            }
        }
    }

    /** Whether two share-relative paths name the same file (names are case-insensitive). */
    static boolean samePath(String a, String b) {
        return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }

    /** {@code open} is closed (CLOSE, tree gone, timeout, purge): it is no longer durable. */
    void closed(SmbOpen open) {
        DurableOpen d = open.durable;
        if (d != null && d.open() == open) {
            d.closed();
            byPersistentId.remove(d.persistentId, d);
        }
    }

    /**
     * The session of {@code open} is gone without its client closing it (3.3.7.1): a durable open that still
     * caches handles is kept, disconnected, for its timeout; false when the caller is to close it.
     */
    boolean disconnect(SmbOpen open) {
        DurableOpen d = open.durable;
        Leases.SmbLease caching = open.lease;
        if (d == null || d.open() != open || caching == null || !caching.cachesHandles()) {
            return false;
        }
        if (!open.markDisconnected()) {
            return false;
        }
        long disconnect = d.disconnected();
        leases.detachIfDisconnected(caching);
        Duration timeout = d.timeout;
        Thread.ofVirtual().name("smb-durable-expiry-" + d.persistentId).start(() -> {
            try {
                Thread.sleep(timeout);
            } catch (InterruptedException e) {
                return;
            }
            if (d.expired(disconnect)) {
                LOG.debug("{}: its client did not come back in {}; closed", d, timeout);
                closer.accept(d.open());
            }
        });
        LOG.debug("{}: disconnected, kept for {}", d, timeout);
        return true;
    }

    /**
     * The seam broke {@code lease}, detached: its disconnected durable opens are closed on a thread of their
     * own (a break must not block), which releases the lease and lets the change that broke it go on.
     */
    void purge(Leases.SmbLease lease) {
        Thread.ofVirtual().name("smb-durable-purge").start(() -> {
            for (SmbOpen o : opens.under(lease)) {
                purge(o, "its lease was broken");
            }
        });
    }

    private boolean purge(SmbOpen o, String why) {
        DurableOpen d = o.durable;
        if (!o.isDisconnected() || d == null || d.open() != o || !d.expired(-1)) {
            return false;
        }
        LOG.debug("{}: closed while disconnected: {}", d, why);
        closer.accept(o);
        return true;
    }

    /**
     * Closes the disconnected durable opens of {@code inode} whose caching an open under {@code key} (null:
     * none) with {@code access} and {@code deny} would break: their write caching (any other key's open with
     * data access), their handle caching (share modes meeting theirs), everything (an overwrite). Whether any
     * was closed.
     */
    boolean purgeBrokenBy(SmbTree tree, long inode, ByteBuffer key, int access, int deny, boolean overwriting) {
        boolean closed = false;
        for (SmbOpen o : opens.ofInode(tree, inode)) {
            Leases.SmbLease caching = o.lease;
            if (!o.isDisconnected() || caching == null || caching.lease == null || caching.key.equals(key)) {
                continue;
            }
            int state = caching.lease.breakingTo();
            boolean meets =
                    access != 0 && ShareAccess.conflict(access, deny, o.sharingOpen.access(), o.sharingOpen.deny());
            boolean breaks = (access != 0 && (state & LeaseState.WRITE) != 0)
                    || (meets && (state & LeaseState.HANDLE) != 0)
                    || (overwriting && state != LeaseState.NONE);
            if (breaks) {
                closed |= purge(o, "another open breaks its caching");
            }
        }
        return closed;
    }
}
