package dev.sgw.smb.server;

import java.util.function.Consumer;

import dev.sgw.smb.crypto.MessageSigner;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;

/**
 * One request of a message as the dispatcher and handlers see it, with what the dispatcher's own commands
 * set for the response header (a new session or tree id) and for the pre-authentication hash.
 */
final class Request implements SmbRequest {
    /**
     * What the requests of one compound share (MS-SMB2 3.3.5.2.7, checked against smbtorture's smb2.compound):
     * the file, session and tree related requests mean; a failed CREATE fails the related requests after it
     * with its status; the all-ones file id without a file before it (or in an unrelated request) is
     * FILE_CLOSED.
     */
    static final class Compound {
        FileId file;
        boolean createFailed;
        long sessionId;
        int treeId;
        /** The status a failed CREATE gives the related requests after it; 0 when none failed. */
        int failedCreate;
        /** Whether the previous request named no valid session: related requests after it are invalid. */
        boolean sessionInvalid;
    }

    private final Smb2Header header;
    private final ByteBuf message;
    private final Connection connection;
    private final Session session;
    private final Tree tree;
    private final Compound compound;
    private final boolean encrypted;
    long responseSessionId;
    int responseTreeId;
    /**
     * Called with the response (header and body) as it goes out, signed, before it is encrypted (for the
     * pre-authentication hash); may be null.
     */
    Consumer<ByteBuf> afterEncode;
    /**
     * Signs the answer to a signed request that is a SESSION_SETUP step or error, or USER_SESSION_DELETED for a
     * session of another connection; may be null.
     */
    MessageSigner errorSigner;

    Request(
            Smb2Header header,
            ByteBuf message,
            Connection connection,
            Session session,
            Tree tree,
            Compound compound,
            boolean encrypted) {
        this.header = header;
        this.message = message;
        this.connection = connection;
        this.session = session;
        this.tree = tree;
        this.compound = compound;
        this.encrypted = encrypted;
        this.responseSessionId = session == null ? header.sessionId() : session.id();
        this.responseTreeId = tree == null ? header.treeId() : tree.id();
    }

    @Override
    public Smb2Header header() {
        return header;
    }

    @Override
    public ByteBuf message() {
        return message;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public Tree tree() {
        return tree;
    }

    boolean encrypted() {
        return encrypted;
    }

    @Override
    public FileId resolve(FileId sent) throws SmbException {
        if (!sent.isRelated()) {
            compound.file = sent;
            return sent;
        }
        if (compound.file != null && header.isRelated()) {
            return compound.file;
        }
        throw new SmbException(NtStatus.FILE_CLOSED, "the all-ones file id without a file before it");
    }

    @Override
    public void use(FileId id) {
        compound.file = id;
    }

    /** The request's bytes from its header on, as a new array (for hashing). */
    byte[] bytes() {
        byte[] b = new byte[message.writerIndex()];
        message.getBytes(0, b);
        return b;
    }
}
