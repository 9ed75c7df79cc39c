package dev.sgw.nfs;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sgw.core.spi.VolumeDirectory;

/** A {@link VolumeDirectory} of NFS exports kept in a list that tests change while servers run. */
public final class ListDirectory implements VolumeDirectory {
    public final List<NfsExport> exports = new CopyOnWriteArrayList<>();

    @Override
    public Optional<NfsExport> nfs(String path) {
        return exports.stream().filter(e -> e.share().path().equals(path)).findFirst();
    }

    @Override
    public List<NfsExport> nfsExports() {
        return List.copyOf(exports);
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
        return Optional.empty();
    }

    @Override
    public List<IscsiLun> iscsiLuns() {
        return List.of();
    }
}
