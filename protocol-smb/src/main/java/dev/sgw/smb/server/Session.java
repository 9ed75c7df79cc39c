package dev.sgw.smb.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.core.manage.SmbShare;
import dev.sgw.smb.auth.SecurityExchange;
import dev.sgw.smb.crypto.MessageSealer;
import dev.sgw.smb.crypto.MessageSigner;
import dev.sgw.smb.crypto.PreauthIntegrity;

/**
 * A session (MS-SMB2 3.3.1.8) and its channels (3.3.1.14): the connections it is used on, each with the key
 * that signs there. A session is set up on one connection and may be bound to more (multichannel, 3.x); its
 * trees, and through them its opens, belong to the session, so every channel reaches them. Its encryption
 * keys are the session's, on every channel.
 *
 * <pre>
 * state       | event                                             | next        | effect
 * ------------+---------------------------------------------------+-------------+--------------------------------
 * IN_PROGRESS | SESSION_SETUP step gives More                     | IN_PROGRESS | preauth hash over request, response
 * IN_PROGRESS | step gives Done                                   | VALID       | identity, keys, signer, sealer
 * IN_PROGRESS | step gives Failed, or its connection closes       | ENDED       | failure logged, throttled
 * VALID       | SESSION_SETUP without binding (reauthentication)  | VALID       | new identity; keys, channels, trees kept
 * VALID       | reauthentication fails                            | ENDED       | on every channel
 * VALID       | binding SESSION_SETUP on another connection       | VALID       | a BINDING channel there; bound (with
 *             |                                                   |             | its own signing key) once the same
 *             |                                                   |             | user authenticates, dropped otherwise
 * VALID       | a channel's connection closes, others remain      | VALID       | that channel gone; trees kept
 * VALID       | LOGOFF; its last channel's connection closes; a   | ENDED       | off the SessionTable and every
 *             | new session names it as PreviousSessionId         |             | connection; its trees gone
 * </pre>
 *
 * The setups of one session run one at a time ({@code synchronized} on the session, the client waits for each
 * response); the fields they set are volatile so that requests on other threads see them.
 */
final class Session implements SmbSession {
    /** Where the session is in its life. */
    enum State {
        IN_PROGRESS,
        VALID,
        ENDED
    }

    /** One connection of the session: where it was set up, or one bound (or being bound) to it. */
    static final class Channel {
        final Connection connection;
        /** The binding's authentication while it runs; null otherwise. */
        SecurityExchange exchange;
        /** The binding's pre-authentication hash (3.1.1), from the connection's NEGOTIATE hash on. */
        PreauthIntegrity preauth;

        private volatile boolean bound;
        private volatile MessageSigner signer;

        Channel(Connection connection, boolean bound) {
            this.connection = connection;
            this.bound = bound;
        }

        boolean bound() {
            return bound;
        }

        /** Signs on this connection (Channel.SigningKey); null while binding and for an anonymous session. */
        MessageSigner signer() {
            return signer;
        }
    }

    private final long id;
    private final Connection connection;
    private final Map<Long, Channel> channels = new ConcurrentHashMap<>();
    private final Map<Integer, Tree> trees = new ConcurrentHashMap<>();
    private final AtomicInteger nextTreeId = new AtomicInteger(1);
    private volatile State state = State.IN_PROGRESS;
    private volatile String user = "";
    private volatile boolean anonymous;
    private volatile MessageSigner signer;
    private volatile MessageSealer sealer;
    private volatile boolean signingRequired;
    private volatile boolean encryptData;
    /** The running (re)authentication on the session's own connections; null between setups. */
    SecurityExchange exchange;
    /** The session's pre-authentication hash (3.1.1 during the first setup). */
    PreauthIntegrity preauth;

    /** A new IN_PROGRESS session set up on {@code connection} (use {@link SessionTable#create}). */
    Session(long id, Connection connection) {
        this.id = id;
        this.connection = connection;
        channels.put(connection.id(), new Channel(connection, true));
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public boolean anonymous() {
        return anonymous;
    }

    /** The connection the session was set up on (it may be bound to others too). */
    @Override
    public Connection connection() {
        return connection;
    }

    /** Whether the session's user (as it is now, after any reauthentication) may use {@code share}. */
    boolean mayUse(SmbShare share) {
        return !anonymous && share.allows(user);
    }

    State state() {
        return state;
    }

    boolean valid() {
        return state == State.VALID;
    }

    /** The session is set up for {@code name}: keys in place, requests accepted on its first channel. */
    void established(
            String name,
            boolean isAnonymous,
            MessageSigner newSigner,
            MessageSealer newSealer,
            boolean sign,
            boolean encrypt) {
        this.user = name;
        this.anonymous = isAnonymous;
        this.signer = newSigner;
        this.sealer = newSealer;
        this.signingRequired = sign;
        this.encryptData = encrypt;
        Channel first = channels.get(connection.id());
        if (first != null) {
            first.signer = newSigner;
        }
        this.state = State.VALID;
    }

    /** A reauthentication succeeded as {@code name}: the session goes on with the new identity, same keys. */
    void reauthenticated(String name, boolean isAnonymous) {
        this.user = name;
        this.anonymous = isAnonymous;
    }

    /** Marks the session ended; false when it had ended already. */
    synchronized boolean end() {
        if (state == State.ENDED) {
            return false;
        }
        state = State.ENDED;
        return true;
    }

    /**
     * Signs and verifies the session's messages (Session.SigningKey: SESSION_SETUP responses other than the
     * final success, binding requests); null for an anonymous session or before setup ends.
     */
    MessageSigner signer() {
        return signer;
    }

    /** Signs and verifies on {@code c}: the channel's key when the session is bound there, else the session's. */
    MessageSigner signerOn(Connection c) {
        Channel ch = channels.get(c.id());
        MessageSigner s = ch == null || !ch.bound ? null : ch.signer;
        return s != null ? s : signer;
    }

    /** Encrypts and decrypts this session's messages on every channel; null when the session cannot encrypt. */
    MessageSealer sealer() {
        return sealer;
    }

    boolean signingRequired() {
        return signingRequired;
    }

    /** Whether plaintext requests are refused (the server requires encryption). */
    boolean encryptData() {
        return encryptData;
    }

    /** The channel on {@code c}, bound or binding; null when there is none. */
    Channel channel(Connection c) {
        return channels.get(c.id());
    }

    /** Starts binding the session to {@code c} (a BINDING channel); null when it has a channel there already. */
    Channel beginBinding(Connection c, SecurityExchange authentication, PreauthIntegrity hash) {
        Channel ch = new Channel(c, false);
        ch.exchange = authentication;
        ch.preauth = hash;
        return channels.putIfAbsent(c.id(), ch) == null ? ch : null;
    }

    /** The binding to {@code c} succeeded: requests are accepted there, signed with {@code channelSigner}. */
    void bound(Channel ch, MessageSigner channelSigner) {
        ch.exchange = null;
        ch.preauth = null;
        ch.signer = channelSigner;
        ch.bound = true;
    }

    /** Drops the channel on {@code c}, if any; true when the session has no bound channel left. */
    boolean drop(Connection c) {
        channels.remove(c.id());
        return channels.values().stream().noneMatch(Channel::bound);
    }

    /** The connections of the session's channels, bound or binding. */
    List<Connection> connections() {
        List<Connection> all = new ArrayList<>();
        channels.values().forEach(ch -> all.add(ch.connection));
        return all;
    }

    /** How many bound channels the session has. */
    int boundChannels() {
        return (int) channels.values().stream().filter(Channel::bound).count();
    }

    Tree tree(int treeId) {
        return trees.get(treeId);
    }

    int treeCount() {
        return trees.size();
    }

    int newTreeId() {
        return nextTreeId.getAndIncrement();
    }

    void add(Tree tree) {
        trees.put(tree.id(), tree);
    }

    Tree remove(int treeId) {
        return trees.remove(treeId);
    }

    /** Removes and returns every tree. */
    List<Tree> removeAll() {
        List<Tree> all = List.copyOf(trees.values());
        all.forEach(t -> trees.remove(t.id()));
        return all;
    }
}
