package dev.sgw.iscsi.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.sgw.core.manage.BackendKind;
import dev.sgw.core.manage.CacheDiskConfig;
import dev.sgw.core.manage.ChapCredentials;
import dev.sgw.core.manage.CloudResource;
import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.Secret;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.core.spi.VolumeDirectory.IscsiLun;
import dev.sgw.iscsi.IscsiServer;
import dev.sgw.iscsi.scsi.LogicalUnit;
import dev.sgw.iscsi.session.TargetSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * An iSCSI portal on 127.0.0.1 over a real management service in a temporary directory, its volumes in
 * memory and served by {@link MemoryLogicalUnit}s.
 */
public final class TargetFixture implements AutoCloseable {
    public static final String PREFIX = "iqn.2026-11.dev.sgw";

    public final ManagementService management;
    public final ManagedDirectory directory;
    public final IscsiServer server;
    public final Map<String, MemoryLogicalUnit> units = new ConcurrentHashMap<>();

    private TargetFixture(
            ManagementService management,
            TargetSettings settings,
            int port,
            Function<IscsiLun, LogicalUnit> logicalUnits)
            throws IOException {
        this.management = management;
        this.directory = new ManagedDirectory(management);
        this.server = new IscsiServer(
                PREFIX,
                settings,
                logicalUnits != null
                        ? logicalUnits
                        : lun -> {
                            MemoryLogicalUnit unit = new MemoryLogicalUnit(lun.volume());
                            units.put(lun.config().name(), unit);
                            return unit;
                        });
        server.start(new ProtocolContext(
                new InetSocketAddress("127.0.0.1", port),
                directory,
                new SimpleMeterRegistry(),
                management,
                java.nio.file.Files.createTempDirectory("iscsi-state")));
    }

    public static TargetFixture start(Path stateDirectory, TargetSettings settings) throws IOException {
        return start(stateDirectory, settings, 0);
    }

    public static TargetFixture start(Path stateDirectory, TargetSettings settings, int port) throws IOException {
        return start(stateDirectory, settings, port, null);
    }

    /** A portal whose volumes are served by {@code logicalUnits} ({@link MemoryLogicalUnit}s when null). */
    public static TargetFixture start(
            Path stateDirectory, TargetSettings settings, int port, Function<IscsiLun, LogicalUnit> logicalUnits)
            throws IOException {
        ManagementService m = ManagementService.open(stateDirectory);
        m.createResource(
                new CloudResource("mem", BackendKind.MEMORY, (URI) null, null, "bkt", "", null, (Secret) null, false));
        m.createCacheDisk(CacheDiskConfig.of("ssd", stateDirectory.resolve("cache"), 1L << 30));
        return new TargetFixture(m, settings, port, logicalUnits);
    }

    public void addVolume(String name, long capacity, ChapCredentials chap) throws IOException {
        management.createIscsiVolume(IscsiVolume.builder(name)
                .capacityBytes(capacity)
                .resource("mem")
                .cacheDisk("ssd")
                .chap(chap)
                .build());
    }

    public void allowMultipleInitiators(String name) throws IOException {
        IscsiVolume v = management.iscsiVolume(name);
        management.updateIscsiVolume(new IscsiVolume(
                v.id(),
                v.name(),
                v.recover(),
                v.capacityBytes(),
                v.blockSize(),
                v.chunkSize(),
                v.resource(),
                v.enabled(),
                v.mode(),
                v.cacheDisk(),
                v.chap(),
                true));
    }

    public void setEnabled(String name, boolean enabled) throws IOException {
        IscsiVolume v = management.iscsiVolume(name);
        management.updateIscsiVolume(new IscsiVolume(
                v.id(),
                v.name(),
                v.recover(),
                v.capacityBytes(),
                v.blockSize(),
                v.chunkSize(),
                v.resource(),
                enabled,
                v.mode(),
                v.cacheDisk(),
                v.chap(),
                v.allowMultipleInitiators()));
    }

    public int port() {
        return server.endpoints().get(0).port();
    }

    public String target(String volume) {
        return PREFIX + ":" + volume;
    }

    @Override
    public void close() {
        server.close();
    }
}
