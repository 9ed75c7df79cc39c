package dev.sgw.smb.server;

import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;

/**
 * One request of a (possibly compounded) message, as a handler sees it. {@link #message()} holds this
 * request from its header on (offsets in SMB2 bodies count from the header's first byte, index 0), with its
 * reader index at the body (64). Valid only during {@link CommandHandler#handle}; a handler that answers
 * asynchronously copies what it needs.
 */
public interface SmbRequest {
    Smb2Header header();

    ByteBuf message();

    SmbConnection connection();

    /** The session the header names; null for NEGOTIATE and the first SESSION_SETUP. */
    SmbSession session();

    /** The tree the header names; null for commands outside a tree. */
    SmbTree tree();

    /**
     * The file a request means: {@code sent} itself, or for {@link FileId#RELATED} in a related compound
     * the file id the previous request of the compound opened or used.
     *
     * @throws SmbException INVALID_PARAMETER (FILE_CLOSED for a related request after a failed CREATE) when
     *     there is none
     */
    FileId resolve(FileId sent) throws SmbException;

    /** Records {@code id} as the file the following related requests of the compound mean. */
    void use(FileId id);
}
