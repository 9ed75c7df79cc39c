package dev.sgw.iscsi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.spi.ConfigurationView;
import dev.sgw.core.spi.Endpoint;
import dev.sgw.core.spi.NettyListener;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.core.spi.ProtocolServer;
import dev.sgw.core.spi.VolumeDirectory.IscsiLun;
import dev.sgw.core.spi.VolumeEvent;
import dev.sgw.iscsi.scsi.BlockLimits;
import dev.sgw.iscsi.scsi.BlockLogicalUnit;
import dev.sgw.iscsi.scsi.LogicalUnit;
import dev.sgw.iscsi.scsi.UnitIdentity;
import dev.sgw.iscsi.session.IscsiChannelInitializer;
import dev.sgw.iscsi.session.IscsiSession;
import dev.sgw.iscsi.session.SessionTable;
import dev.sgw.iscsi.session.TargetSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iSCSI target portal (RFC 7143) of the gateway: one target per enabled iSCSI volume, named
 * {@code <prefix>:<volume name>} (prefix {@value #DEFAULT_IQN_PREFIX}, or the system property
 * {@value #IQN_PREFIX_PROPERTY}), each with LUN 0, portal group tag 1. Volumes and their CHAP settings are
 * read at every login; a volume that is deleted, disabled or whose CHAP changes has its sessions closed
 * (after an Asynchronous Message saying so). Logical units come from a factory, one per open volume.
 *
 * <p>Lifecycle as {@link ProtocolServer}: created idle, {@link #start} binds, {@link #close} stops.
 */
public final class IscsiServer implements ProtocolServer {
    private static final Logger LOG = LoggerFactory.getLogger(IscsiServer.class);

    /** The system property naming the target name prefix. */
    public static final String IQN_PREFIX_PROPERTY = "sgw.iscsi.iqn-prefix";

    public static final String DEFAULT_IQN_PREFIX = "iqn.2026-11.dev.sgw";
    /** The SCSI command set the no-argument constructor serves: a public constructor taking an {@link IscsiLun}. */
    private final String iqnPrefix;

    private final TargetSettings settings;
    private final Function<IscsiLun, LogicalUnit> logicalUnits;
    private final SessionTable sessions = new SessionTable();
    private NettyListener portal;
    private TargetCatalog catalog;
    private ConfigurationView configuration;
    private Consumer<VolumeEvent> listener;
    private volatile List<Endpoint> endpoints = List.of();

    /** The server the gateway loads: default settings, the block command set over each volume. */
    public IscsiServer() {
        this(
                System.getProperty(IQN_PREFIX_PROPERTY, DEFAULT_IQN_PREFIX),
                TargetSettings.defaults(),
                blockLogicalUnits());
    }

    /**
     * @param iqnPrefix    the target name prefix, e.g. {@code iqn.2026-11.dev.sgw}
     * @param settings     negotiation limits, command window, timers
     * @param logicalUnits creates the logical unit of a volume (called again when the volume is reopened)
     */
    public IscsiServer(String iqnPrefix, TargetSettings settings, Function<IscsiLun, LogicalUnit> logicalUnits) {
        this.iqnPrefix = Objects.requireNonNull(iqnPrefix, "iqnPrefix");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.logicalUnits = Objects.requireNonNull(logicalUnits, "logicalUnits");
    }

    /**
     * The one place that builds a volume's logical unit: the SBC command set over its block volume, with an
     * identity derived from the volume's stable id and the chunk size as UNMAP granularity (whole chunks are
     * what an UNMAP deletes from the bucket).
     */
    static Function<IscsiLun, LogicalUnit> blockLogicalUnits() {
        return lun -> {
            BlockLimits defaults = BlockLimits.defaults();
            BlockLimits limits = new BlockLimits(
                    defaults.maxTransferBytes(),
                    defaults.optimalTransferBytes(),
                    defaults.optimalGranularityBytes(),
                    lun.config().chunkSize(),
                    defaults.maxUnmapBytes(),
                    defaults.maxUnmapDescriptors(),
                    defaults.maxWriteSameBytes(),
                    defaults.maxCompareAndWriteBlocks());
            return new BlockLogicalUnit(
                    lun.volume(),
                    UnitIdentity.forVolume(Integer.toString(lun.config().id())),
                    limits);
        };
    }

    @Override
    public String protocol() {
        return "iscsi";
    }

    @Override
    public synchronized void start(ProtocolContext context) throws IOException {
        if (portal != null) {
            throw new IllegalStateException("already started");
        }
        catalog = new TargetCatalog(iqnPrefix, context.volumes(), logicalUnits);
        portal = NettyListener.open(
                "iSCSI",
                context.bind(),
                "iscsi-task-",
                executor -> new IscsiChannelInitializer(catalog, sessions, settings, executor));
        InetSocketAddress local = portal.localAddress();
        endpoints = List.of(new Endpoint(local.getAddress().getHostAddress(), local.getPort(), "iscsi"));
        configuration = context.configuration();
        listener = this::changed;
        configuration.addVolumeListener(listener);
        LOG.info(
                "iSCSI portal on {}:{}, targets {}:<volume>",
                local.getAddress().getHostAddress(),
                local.getPort(),
                iqnPrefix);
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** The iSCSI name of the target serving volume {@code volumeName}. */
    public String targetName(String volumeName) {
        return iqnPrefix.toLowerCase(Locale.ROOT) + ":" + volumeName;
    }

    /** The sessions currently logged in (for status and tests). */
    public List<IscsiSession> sessions() {
        return sessions.all();
    }

    private void changed(VolumeEvent change) {
        if (change.kind() != VolumeEvent.Kind.ISCSI_VOLUME) {
            return;
        }
        IscsiVolume before = change.before(IscsiVolume.class);
        IscsiVolume after = change.after(IscsiVolume.class);
        String reason = switch (change.action()) {
            case DELETED -> "volume deleted";
            case UPDATED ->
                !after.enabled()
                        ? "volume disabled"
                        : !Objects.equals(before.chap(), after.chap()) ? "volume CHAP settings changed" : null;
            case CREATED -> null;
        };
        if (reason == null) {
            return;
        }
        if (after == null || !after.enabled()) {
            catalog.forget(change.name());
        }
        for (IscsiSession s : sessions.onTarget(targetName(change.name()))) {
            s.connection().closeFromElsewhere(reason, true);
        }
    }

    @Override
    public synchronized void close() {
        if (portal == null) {
            return;
        }
        if (listener != null) {
            configuration.removeVolumeListener(listener);
        }
        portal.stopAccepting();
        for (IscsiSession s : sessions.all()) {
            s.connection().closeFromElsewhere("portal stopping", false);
        }
        portal.close();
        portal = null;
        endpoints = List.of();
    }
}
