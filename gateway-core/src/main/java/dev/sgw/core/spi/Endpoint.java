package dev.sgw.core.spi;

import java.util.Objects;

/**
 * An address a protocol server listens on.
 *
 * @param host     the bound address, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port     the bound port (the real one when 0 was asked for)
 * @param protocol what is served there: "nfs", "mount", "portmap", "smb", "iscsi"
 */
public record Endpoint(String host, int port, String protocol) {
    public Endpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(protocol, "protocol");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
    }
}
