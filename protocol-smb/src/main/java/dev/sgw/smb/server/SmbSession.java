package dev.sgw.smb.server;

/** An authenticated session, as handlers see it. Implemented by the server. */
public interface SmbSession {
    long id();

    /** The gateway SMB user's name as configured ("" for an anonymous session). */
    String user();

    boolean anonymous();

    /** The connection the session was set up on (multichannel is not offered). */
    SmbConnection connection();
}
