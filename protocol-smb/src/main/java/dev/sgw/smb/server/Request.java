package dev.sgw.smb.server;

import java.util.function.Consumer;

import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;

/**
 * One request of a message as the dispatcher and handlers see it, with what the dispatcher's own commands
 * set for the response header (a new session or tree id) and for the pre-authentication hash.
 */
final class Request implements SmbRequest {
    /** What the requests of one compound share: the file related requests mean. */
    static final class Compound {
        FileId file;
        boolean createFailed;
        long sessionId;
        int treeId;
        /** The status a failed CREATE gives the related requests after it; 0 when none failed. */
        int failedCreate;
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
    /** Called with the encoded response (header and body) before it is signed and sent; may be null. */
    Consumer<ByteBuf> afterEncode;

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
        if (compound.file != null) {
            return compound.file;
        }
        if (compound.createFailed) {
            throw new SmbException(NtStatus.FILE_CLOSED, "the compound's CREATE failed");
        }
        throw new SmbException(NtStatus.INVALID_PARAMETER, "a related file id without a file before it");
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
