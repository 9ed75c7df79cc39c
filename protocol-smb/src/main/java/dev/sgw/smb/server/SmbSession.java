package dev.sgw.smb.server;

/** An authenticated session, as handlers see it. Implemented by the server. */
public interface SmbSession {
    long id();

    /** The gateway SMB user's name as configured ("" for an anonymous session). */
    String user();

    boolean anonymous();

    /**
     * The connection the session was set up on; a multichannel session may be bound to more, and its
     * requests and opens may come through any of them ({@link SmbRequest#connection()}).
     */
    SmbConnection connection();
}
