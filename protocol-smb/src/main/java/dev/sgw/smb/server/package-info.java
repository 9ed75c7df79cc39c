/**
 * The SMB server: transport, connection state, NEGOTIATE, SESSION_SETUP, tree connects, the command dispatch
 * (credits, compounds, async replies) and the types handlers see.
 *
 * <pre>
 * bytes  -> DirectTcpFrameDecoder (4-byte header, 24-bit length)       DirectTcpFrameEncoder <- responses
 *        -> ConnectionHandler (a Connection per channel; each message on a virtual thread)
 *        -> MessageDispatcher: SMB1 upgrade | TRANSFORM (Session's MessageSealer) | SMB2 compound
 *             per request: CreditWindow, session + signature (the key of its channel), tree, then
 *               NEGOTIATE        NegotiateCommand     (dialect, 3.1.1 contexts, preauth hash, multichannel)
 *               SESSION_SETUP    SessionSetupCommand  (SecurityExchange, SessionKeys, LogonThrottle,
 *                                                      reauthentication, PreviousSessionId)
 *                 with BINDING   SessionBinding       (a session of the SessionTable bound to this connection)
 *               TREE_CONNECT     TreeConnectCommand   (IPC$ or an SMB share; CheckedFileVolume as its owner)
 *               IOCTL VALIDATE_NEGOTIATE_INFO          ValidateNegotiate
 *               IOCTL QUERY_NETWORK_INTERFACE_INFO     NetworkInterfaces
 *               LOGOFF, TREE_DISCONNECT, ECHO, CANCEL  MessageDispatcher itself
 *               anything else    the tree's TreeCommands: PipeTreeCommands (IPC$) or the disk commands
 *             responses: Outgoing (padded, chained, signed, sealed as a whole)
 * </pre>
 *
 * Sessions live in the server's {@code SessionTable}: a session belongs to no single connection once bound to
 * more (multichannel); its trees, and the opens in them, are the session's. Handlers see {@link
 * dev.sgw.smb.server.SmbRequest}, {@link dev.sgw.smb.server.SmbSession}, {@link dev.sgw.smb.server.SmbTree}
 * and {@link dev.sgw.smb.server.SmbConnection}; the sharing seam's SMB client id is {@link
 * dev.sgw.smb.server.SmbConnection#id()}, whose state is released when the connection closes (unless a
 * session bound to it goes on through another; state that may outlive it, a durable open or a lease, has an
 * id of its own: the file package's SeamClients).
 * Settings: {@link dev.sgw.smb.server.SmbSettings} (system properties {@code sgw.smb.signing=required},
 * {@code sgw.smb.encryption=required}).
 */
package dev.sgw.smb.server;
