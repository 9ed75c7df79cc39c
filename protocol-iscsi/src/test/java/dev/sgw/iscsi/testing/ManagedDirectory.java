package dev.sgw.iscsi.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.spi.VolumeDirectory;

/**
 * A volume directory that follows a real management service, as the gateway runtime does, with each iSCSI
 * volume in memory (enabled or not, so that the server's own filtering is what tests see).
 */
public final class ManagedDirectory implements VolumeDirectory {
    private final ManagementService management;
    private final Map<String, MemoryBlockVolume> volumes = new ConcurrentHashMap<>();

    public ManagedDirectory(ManagementService management) {
        this.management = management;
    }

    public MemoryBlockVolume volume(String name) {
        IscsiVolume v = management.state().iscsiVolume(name).orElseThrow();
        return volumes.computeIfAbsent(name, n -> new MemoryBlockVolume(n, v.capacityBytes(), v.blockSize()));
    }

    @Override
    public Optional<NfsExport> nfs(String path) {
        return Optional.empty();
    }

    @Override
    public List<NfsExport> nfsExports() {
        return List.of();
    }

    @Override
    public Optional<SmbExport> smb(String name) {
        return Optional.empty();
    }

    @Override
    public List<SmbExport> smbExports() {
        return List.of();
    }

    @Override
    public Optional<IscsiLun> iscsi(String volumeName) {
        return management.state().iscsiVolume(volumeName).map(v -> new IscsiLun(v, volume(v.name())));
    }

    @Override
    public List<IscsiLun> iscsiLuns() {
        return management.state().iscsiVolumes().stream()
                .map(v -> new IscsiLun(v, volume(v.name())))
                .toList();
    }
}
