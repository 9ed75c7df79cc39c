package dev.sgw.smb.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.smb.auth.SecurityExchange;
import dev.sgw.smb.crypto.MessageSealer;
import dev.sgw.smb.crypto.MessageSigner;
import dev.sgw.smb.crypto.PreauthIntegrity;

/**
 * A session of a connection (MS-SMB2 3.3.1.8).
 *
 * <pre>
 * state       | event                                  | next        | effect
 * ------------+----------------------------------------+-------------+---------------------------------------
 * IN_PROGRESS | SESSION_SETUP step gives More          | IN_PROGRESS | preauth hash over request and response
 * IN_PROGRESS | step gives Done                        | VALID       | user, keys, signer, sealer set
 * IN_PROGRESS | step gives Failed                      | (removed)   | failure logged, throttled
 * VALID       | SESSION_SETUP (reauthentication)       | VALID       | new exchange; keys and trees kept
 * VALID       | reauthentication fails                 | (removed)   | its trees are gone
 * VALID       | LOGOFF or connection closed            | (removed)   | its trees are gone
 * </pre>
 *
 * Setups of one session run one at a time (the client waits for each response); the fields they set are
 * volatile so that requests on other threads see them.
 */
final class Session implements SmbSession {
    /** Where the session is in its life. */
    enum State {
        IN_PROGRESS,
        VALID
    }

    private final long id;
    private final Connection connection;
    private final Map<Integer, Tree> trees = new ConcurrentHashMap<>();
    private final AtomicInteger nextTreeId = new AtomicInteger(1);
    private volatile State state = State.IN_PROGRESS;
    private volatile String user = "";
    private volatile boolean anonymous;
    private volatile MessageSigner signer;
    private volatile MessageSealer sealer;
    private volatile boolean signingRequired;
    private volatile boolean encryptData;
    /** The running authentication; null between setups. */
    SecurityExchange exchange;
    /** The session's pre-authentication hash (3.1.1 during the first setup). */
    PreauthIntegrity preauth;

    Session(long id, Connection connection) {
        this.id = id;
        this.connection = connection;
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

    @Override
    public Connection connection() {
        return connection;
    }

    State state() {
        return state;
    }

    boolean valid() {
        return state == State.VALID;
    }

    /** The session is set up for {@code name}: keys in place, requests accepted. */
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
        this.state = State.VALID;
    }

    /** Signs and verifies this session's messages; null for an anonymous session or before setup ends. */
    MessageSigner signer() {
        return signer;
    }

    /** Encrypts and decrypts this session's messages; null when the connection cannot encrypt. */
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
