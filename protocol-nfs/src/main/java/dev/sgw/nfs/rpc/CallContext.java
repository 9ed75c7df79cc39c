package dev.sgw.nfs.rpc;

import java.net.InetSocketAddress;

/**
 * Where a call arrived: the client's address and the local address it connected to (rpcbind answers
 * with the latter for wildcard registrations).
 *
 * @param client the peer's address and port
 * @param local  our address and port on this connection
 */
public record CallContext(InetSocketAddress client, InetSocketAddress local) {}
