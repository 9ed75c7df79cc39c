package dev.sgw.smb.server;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every session of the server by id, whatever connection it was set up on (MS-SMB2 3.3.1.1
 * GlobalSessionTable): a binding SESSION_SETUP finds the session it binds here, a new session's
 * PreviousSessionId names the one it replaces, and a signed SESSION_SETUP naming a session of another
 * connection is answered signed with that session's key (as Windows and Samba do). Thread-safe.
 *
 * <p>Session ids are 32-bit numbers (never 0), counted up from a random start and never two alive at once:
 * smbtorture's smb2.session-id keeps the id in 32 bits, and Samba's ids fit in them too.
 */
final class SessionTable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTable.class);
    private static final long ID_MASK = 0xFFFF_FFFFL;

    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(new SecureRandom().nextInt() & ID_MASK);

    /** A new IN_PROGRESS session set up on {@code connection}, with a fresh id, in the table and on the connection. */
    Session create(Connection connection) {
        while (true) {
            long id = nextId.getAndIncrement() & ID_MASK;
            Session s = id == 0 ? null : create(connection, id);
            if (s != null) {
                return s;
            }
        }
    }

    /** A new IN_PROGRESS session with id {@code id} (tests choose it); null when that id is taken. */
    Session create(Connection connection, long id) {
        Session s = new Session(id, connection);
        if (sessions.putIfAbsent(id, s) != null) {
            return null;
        }
        connection.add(s);
        return s;
    }

    /** The session {@code id} names, or null (none, or it ended). */
    Session find(long id) {
        return sessions.get(id);
    }

    int size() {
        return sessions.size();
    }

    /**
     * Ends {@code s} once (LOGOFF, a failed reauthentication, its last channel gone, or replaced through
     * PreviousSessionId): out of the table and off every connection it was bound to, then its trees end
     * ({@code connectionLost}: their durable opens are kept for a reconnect).
     *
     * @return the trees that ended (none when the session had ended already)
     */
    List<Tree> end(Session s, boolean connectionLost) {
        if (!s.end()) {
            return List.of();
        }
        sessions.remove(s.id(), s);
        for (Connection c : s.connections()) {
            c.remove(s);
        }
        List<Tree> trees = s.removeAll();
        for (Tree t : trees) {
            try {
                t.commands().treeGone(t, connectionLost);
            } catch (RuntimeException e) {
                LOG.warn("ending tree {} of share {} of session {} failed", t.id(), t.shareName(), hex(s.id()), e);
            }
        }
        return trees;
    }

    /** Every session, for tests. */
    List<Session> all() {
        return List.copyOf(sessions.values());
    }

    static String hex(long id) {
        return Long.toHexString(id);
    }
}
