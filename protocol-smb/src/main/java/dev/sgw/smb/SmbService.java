package dev.sgw.smb;

import java.io.IOException;
import java.util.List;

import dev.sgw.core.spi.Endpoint;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.core.spi.ProtocolServer;
import dev.sgw.smb.auth.SecurityExchange;
import dev.sgw.smb.file.DiskTreeCommands;
import dev.sgw.smb.server.SmbServer;
import dev.sgw.smb.server.SmbSettings;

/**
 * The SMB server as the gateway loads it ({@code META-INF/services}): the settings from system properties
 * ({@link SmbSettings#defaults()}), SPNEGO/NTLMv2 logons and the disk share commands. It is the one place that
 * puts the module's packages together, so the server package does not depend on the file commands it
 * dispatches to.
 */
public final class SmbService implements ProtocolServer {
    private final SmbServer server =
            new SmbServer(SmbSettings.defaults(), SecurityExchange::negotiateToken, DiskTreeCommands::new);

    @Override
    public String protocol() {
        return server.protocol();
    }

    @Override
    public void start(ProtocolContext context) throws IOException {
        server.start(context);
    }

    @Override
    public List<Endpoint> endpoints() {
        return server.endpoints();
    }

    @Override
    public void close() {
        server.close();
    }
}
