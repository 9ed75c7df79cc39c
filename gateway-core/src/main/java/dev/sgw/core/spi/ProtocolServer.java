package dev.sgw.core.spi;

import java.io.IOException;
import java.util.List;

/**
 * A protocol front end (NFS, SMB, iSCSI) as the gateway's wiring sees it. Lifecycle: created idle,
 * {@link #start} once (binds its listeners; fails with an {@link IOException} if it cannot), then
 * {@link #close} once (stops accepting, closes connections, releases ports; idempotent). A server finds
 * shares and volumes through the context on every new mount, tree connect or login, so shares created
 * later are served without a restart.
 */
public interface ProtocolServer extends AutoCloseable {

    /** "nfs", "smb" or "iscsi". */
    String protocol();

    /** Binds and starts serving. */
    void start(ProtocolContext context) throws IOException;

    /** Where the server listens once started (an NFS server also lists its MOUNT and portmap ports). */
    List<Endpoint> endpoints();

    @Override
    void close();
}
