package dev.sgw.core.spi;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import dev.sgw.core.manage.ChapCredentials;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.NtHash;
import dev.sgw.core.manage.SmbUser;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What a {@link ProtocolServer} is given to run.
 *
 * @param bind          the address and port to listen on (port 0: any free port; see
 *                      {@link ProtocolServer#endpoints()})
 * @param volumes       the open shares and volumes
 * @param meters        where to publish metrics
 * @param configuration the read-only configuration: credential lookups and share and volume events (never
 *                      the management service itself)
 * @param stateDirectory an existing directory of the server's own, for durable state of the protocol (e.g.
 *                      the NFSv4 clients to expect back after a restart)
 */
public record ProtocolContext(
        InetSocketAddress bind,
        VolumeDirectory volumes,
        MeterRegistry meters,
        ConfigurationView configuration,
        Path stateDirectory) {

    public ProtocolContext {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(meters, "meters");
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
    }

    /** The context whose configuration is the read-only view of {@code management}. */
    public ProtocolContext(
            InetSocketAddress bind,
            VolumeDirectory volumes,
            MeterRegistry meters,
            ManagementService management,
            Path stateDirectory) {
        this(bind, volumes, meters, ConfigurationView.of(management), stateDirectory);
    }

    /** The NT hash of SMB user {@code name} (any case), for NTLMv2; empty for an unknown user. */
    public Optional<NtHash> smbNtHash(String name) {
        return configuration.smbNtHash(name);
    }

    /** SMB user {@code name} (any case); empty for an unknown user. */
    public Optional<SmbUser> smbUser(String name) {
        return configuration.smbUser(name);
    }

    /** The CHAP settings of iSCSI volume {@code name}; empty when it has none or does not exist. */
    public Optional<ChapCredentials> chap(String volumeName) {
        return configuration.chap(volumeName);
    }
}
