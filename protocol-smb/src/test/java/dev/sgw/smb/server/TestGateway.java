package dev.sgw.smb.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.core.manage.ChapCredentials;
import dev.sgw.core.manage.NtHash;
import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.manage.SmbUser;
import dev.sgw.core.spi.ConfigurationView;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.spi.VolumeEvent;
import dev.sgw.smb.auth.SecurityExchange;
import dev.sgw.smb.file.DiskTreeCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The gateway as an SMB server's tests see it: SMB shares over {@link MemoryFileVolume}s and SMB users with
 * passwords, both changeable while the server runs.
 */
public final class TestGateway implements VolumeDirectory, ConfigurationView {
    final List<SmbExport> shares = new CopyOnWriteArrayList<>();
    final Map<String, NtHash> users = new ConcurrentHashMap<>();
    /** Users with settings of their own (disabled, own uid/gid); the others are enabled, as the share's owner. */
    final Map<String, SmbUser> accounts = new ConcurrentHashMap<>();

    /** Adds share {@code name} over a fresh in-memory volume owned by 1000:1000 (its owner), open to {@code allowed}. */
    TestGateway share(String name, String... allowed) {
        return share(shareBuilder(name).allowedUsers(List.of(allowed)).build());
    }

    /** A share builder with the settings {@link #share(String, String...)} gives. */
    static SmbShare.Builder shareBuilder(String name) {
        return SmbShare.builder(name)
                .resource("bucket")
                .cacheDisk("disk")
                .ownerUid(1000)
                .ownerGid(1000);
    }

    /** Adds share {@code name} over {@code volume}, open to {@code allowed}. */
    public TestGateway share(String name, MemoryFileVolume volume, String... allowed) {
        shares.add(
                new SmbExport(shareBuilder(name).allowedUsers(List.of(allowed)).build(), volume));
        return this;
    }

    /** Adds {@code share} over a fresh in-memory volume owned by 1000:1000, files 0644 and directories 0755. */
    TestGateway share(SmbShare share) {
        shares.add(new SmbExport(
                share,
                new MemoryFileVolume(share.name(), new MemoryFileVolume.Settings(1L << 40, 1000, 1000, 0644, 0755))));
        return this;
    }

    /** Replaces the settings of share {@code share.name()}, keeping its volume (a management change). */
    void change(SmbShare share) {
        SmbExport old = smb(share.name()).orElseThrow();
        shares.set(shares.indexOf(old), new SmbExport(share, old.volume(), old.sharing()));
    }

    /**
     * An SMB server over {@code disk} started on a free loopback port (state under {@code dir}): users alice
     * (Secret-1) and bob (Secret-2), share "share" open to alice.
     */
    static SmbServer startAliceAndBob(DiskTreeCommands disk, Path dir) throws Exception {
        TestGateway gateway = new TestGateway()
                .user("alice", "Secret-1")
                .user("bob", "Secret-2")
                .share("share", "alice");
        SmbServer server = new SmbServer(SmbSettings.defaults(), SecurityExchange::negotiateToken, () -> disk);
        server.start(new ProtocolContext(
                new InetSocketAddress("127.0.0.1", 0), gateway, new SimpleMeterRegistry(), gateway, dir));
        return server;
    }

    public TestGateway user(String name, String password) {
        users.put(name.toLowerCase(java.util.Locale.ROOT), NtHash.ofPassword(password));
        return this;
    }

    /** Adds or changes user {@code user} with its own settings. */
    TestGateway user(SmbUser user) {
        users.put(user.name().toLowerCase(java.util.Locale.ROOT), user.ntHash());
        accounts.put(user.name().toLowerCase(java.util.Locale.ROOT), user);
        return this;
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
        return shares.stream()
                .filter(e -> e.share().name().equalsIgnoreCase(name))
                .findFirst();
    }

    @Override
    public List<SmbExport> smbExports() {
        return List.copyOf(shares);
    }

    @Override
    public Optional<IscsiLun> iscsi(String volumeName) {
        return Optional.empty();
    }

    @Override
    public List<IscsiLun> iscsiLuns() {
        return List.of();
    }

    @Override
    public Optional<NtHash> smbNtHash(String name) {
        return Optional.ofNullable(users.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public Optional<SmbUser> smbUser(String name) {
        SmbUser own = accounts.get(name.toLowerCase(java.util.Locale.ROOT));
        return own != null ? Optional.of(own) : smbNtHash(name).map(hash -> new SmbUser(name, hash));
    }

    @Override
    public Optional<ChapCredentials> chap(String volumeName) {
        return Optional.empty();
    }

    @Override
    public void addVolumeListener(Consumer<VolumeEvent> listener) {}

    @Override
    public void removeVolumeListener(Consumer<VolumeEvent> listener) {}
}
