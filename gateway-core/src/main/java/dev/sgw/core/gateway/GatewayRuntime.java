package dev.sgw.core.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.sgw.cache.CacheConfig;
import dev.sgw.cache.CacheMode;
import dev.sgw.cache.CacheStats;
import dev.sgw.core.block.BlockVolumeConfig;
import dev.sgw.core.block.ChunkedBlockVolume;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.file.FileShareConfig;
import dev.sgw.core.file.ShareVolume;
import dev.sgw.core.file.writeback.ShareUploader;
import dev.sgw.core.file.writeback.WritebackSettings;
import dev.sgw.core.manage.CacheDiskConfig;
import dev.sgw.core.manage.CloudResource;
import dev.sgw.core.manage.ConfigChange;
import dev.sgw.core.manage.EntityKind;
import dev.sgw.core.manage.GatewayState;
import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.meta.Durability;
import dev.sgw.core.meta.MetaKeys;
import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.PrefixedObjectStore;
import dev.sgw.core.sync.ReverseSync;
import dev.sgw.core.sync.ReverseSyncSettings;
import dev.sgw.core.sync.ScanProgress;
import dev.sgw.core.volume.BlockVolume;
import dev.sgw.core.volume.BucketSync;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: the volumes the management service describes, opened over one metadata store,
 * the cache disks and the resources' object stores, and kept in step with every committed change. It is
 * the {@link VolumeDirectory} protocol servers look volumes up in.
 *
 * <pre>
 * volume kind        opened as                                        key in the metadata store
 * -----------------  -----------------------------------------------  -------------------------
 * NFS / SMB share    ShareVolume + ShareUploader + ReverseSync, one    the share's id (an NFS and
 *                    set per bucket location (an NFS and an SMB share  an SMB share on one
 *                    on one location are one volume)                   location share it)
 *                    capacity and owner: the share's (an NFS and an
 *                    SMB share on one location must agree on them)
 * iSCSI volume       ChunkedBlockVolume (created the first time,       the volume's id
 *                    recovered from volume.json after that)
 * </pre>
 *
 * <p>A change of an open share or volume is classified by {@link SpecChange} (its table says which fields
 * apply live, which reopen the volume and which grow it) and applied here: the upload delay and the reverse
 * sync interval are set on the running uploader and scan, a grown iSCSI volume is grown in place, and a
 * mode or cache disk change closes the volume and opens it again.
 *
 * <p>Names: a share's volume is case-insensitive and case-preserving ({@link FileShareConfig#caseInsensitive})
 * when only an SMB share is on its location, as Windows clients expect (unless that share is {@link
 * SmbShare#caseSensitive()}: changing it reopens the volume), and case-sensitive when an NFS share is on it
 * (with or without an SMB share): one volume cannot have two answers to "does 'a' exist" while 'A' does, and
 * POSIX clients must keep names that differ only in case (a Linux source tree holds both {@code xt_MARK.h}
 * and {@code xt_mark.h}). Adding or removing a share takes effect when the volume is next opened.
 *
 * <p>A volume whose opening fails is logged and left closed; the others carry on. Closing uploads what is
 * dirty (showing progress) for up to the drain timeout, then closes everything; what is left resumes at
 * the next start.
 */
public final class GatewayRuntime implements VolumeDirectory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayRuntime.class);
    private static final Duration SPACE_WAIT = Duration.ofSeconds(30);

    private final ManagementService management;
    private final MeterRegistry registry;
    private final MetadataStore metadata;
    private final BucketConnections buckets;
    private final Map<String, CacheDisk> disks = new ConcurrentHashMap<>();
    /** Open file volumes by volume id. */
    private final Map<Integer, OpenShare> shares = new ConcurrentHashMap<>();
    /** Open block volumes by name. */
    private final Map<String, OpenBlock> blocks = new ConcurrentHashMap<>();

    private final Object reconcileLock = new Object();
    private volatile boolean closed;

    /** A file share's open parts, and the spec they run with now. */
    private record OpenShare(
            int id, ShareSpec spec, ShareVolume volume, ShareUploader uploader, ReverseSync reverseSync) {
        String name() {
            return spec.name();
        }

        OpenShare with(ShareSpec now) {
            return new OpenShare(id, now, volume, uploader, reverseSync);
        }
    }

    /** An open block volume and the configuration it runs with now. */
    private record OpenBlock(IscsiVolume spec, ChunkedBlockVolume volume) {}

    private GatewayRuntime(ManagementService management, MeterRegistry registry, MetadataStore metadata) {
        this.management = management;
        this.registry = registry;
        this.metadata = metadata;
        this.buckets = new BucketConnections(registry);
    }

    /**
     * Opens the metadata store in {@code dataDirectory}/metadata and every volume of the management
     * state, and follows the service's changes from now on.
     */
    public static GatewayRuntime start(Path dataDirectory, ManagementService management, MeterRegistry registry)
            throws IOException {
        MetadataStore metadata = MetadataStore.open(dataDirectory.resolve("metadata"));
        GatewayRuntime runtime = new GatewayRuntime(management, registry, metadata);
        management.addListener(runtime::changed);
        runtime.reconcile();
        return runtime;
    }

    public ManagementService management() {
        return management;
    }

    public MeterRegistry registry() {
        return registry;
    }

    // ---- keeping in step with the configuration ------------------------------------------------------

    private void changed(ConfigChange change) {
        if (change.kind() == EntityKind.RESOURCE && change.action() == ConfigChange.Action.UPDATED) {
            reopenUsersOf(change.name());
        }
        reconcile();
    }

    /** Closes the volumes on resource {@code name} (its endpoint or credentials changed); reconcile opens them again. */
    private void reopenUsersOf(String name) {
        synchronized (reconcileLock) {
            GatewayState state = management.state();
            Set<Integer> shareIds = new HashSet<>();
            state.nfsShares().stream().filter(s -> s.resource().equals(name)).forEach(s -> shareIds.add(s.id()));
            state.smbShares().stream().filter(s -> s.resource().equals(name)).forEach(s -> shareIds.add(s.id()));
            shareIds.forEach(id -> closeShare(shares.remove(id), false));
            state.iscsiVolumes().stream()
                    .filter(v -> v.resource().equals(name))
                    .forEach(v -> closeBlock(blocks.remove(v.name())));
        }
    }

    /**
     * Opens what the state has and this runtime has not, closes what the state no longer has, and applies
     * the changes of what both have ({@link SpecChange}).
     */
    public void reconcile() {
        synchronized (reconcileLock) {
            if (closed) {
                return;
            }
            GatewayState state = management.state();
            reconcileShares(state);
            reconcileBlocks(state);
        }
    }

    private void reconcileShares(GatewayState state) {
        Map<Integer, ShareSpec> wanted = new LinkedHashMap<>();
        state.nfsShares()
                .forEach(s -> wanted.computeIfAbsent(
                        s.id(), id -> ShareSpec.of(state, id).orElseThrow()));
        state.smbShares()
                .forEach(s -> wanted.computeIfAbsent(
                        s.id(), id -> ShareSpec.of(state, id).orElseThrow()));
        for (Integer id : new ArrayList<>(shares.keySet())) {
            if (!wanted.containsKey(id)) {
                closeShare(shares.remove(id), true);
            }
        }
        wanted.forEach((id, spec) -> {
            OpenShare open = shares.get(id);
            if (open != null && !applyShareChange(open, spec)) {
                return;
            }
            try {
                shares.put(id, openShare(state, id, spec));
            } catch (IOException | RuntimeException e) {
                LOG.error("share {} could not be opened: {}", spec.name(), e.getMessage(), e);
            }
        });
    }

    /** Applies what changed in an open share live; returns whether it must be (re)opened instead. */
    private boolean applyShareChange(OpenShare open, ShareSpec wanted) {
        SpecChange change = SpecChange.of(open.spec(), wanted);
        return switch (change.effect()) {
            case NONE -> {
                shares.put(open.id(), open.with(wanted));
                yield false;
            }
            case LIVE -> {
                if (change.changed("uploadDelay")) {
                    open.uploader().setUploadDelay(wanted.uploadDelay());
                }
                if (change.changed("reverseSyncInterval")) {
                    open.reverseSync().setInterval(wanted.reverseSyncInterval());
                }
                shares.put(open.id(), open.with(wanted));
                LOG.info("share {} changed live: {}", wanted.name(), change);
                yield false;
            }
            default -> {
                LOG.info("share {} reopens for {}", wanted.name(), change);
                closeShare(shares.remove(open.id()), false);
                yield true;
            }
        };
    }

    private void reconcileBlocks(GatewayState state) {
        Set<String> wanted = new HashSet<>();
        state.iscsiVolumes().stream().filter(IscsiVolume::enabled).forEach(v -> wanted.add(v.name()));
        for (String name : new ArrayList<>(blocks.keySet())) {
            if (!wanted.contains(name)) {
                closeBlock(blocks.remove(name));
            }
        }
        for (IscsiVolume v : state.iscsiVolumes()) {
            if (!v.enabled()) {
                continue;
            }
            OpenBlock open = blocks.get(v.name());
            if (open != null && !applyBlockChange(open, v)) {
                continue;
            }
            try {
                blocks.put(v.name(), new OpenBlock(v, openBlock(state, v)));
            } catch (IOException | RuntimeException e) {
                LOG.error("iSCSI volume {} could not be opened: {}", v.name(), e.getMessage(), e);
            }
        }
    }

    /** Applies what changed in an open block volume in place; returns whether it must be reopened instead. */
    private boolean applyBlockChange(OpenBlock open, IscsiVolume wanted) {
        SpecChange change = SpecChange.of(open.spec(), wanted);
        return switch (change.effect()) {
            case NONE, LIVE -> {
                blocks.put(wanted.name(), new OpenBlock(wanted, open.volume()));
                yield false;
            }
            case RESIZE -> {
                try {
                    open.volume().grow(wanted.capacityBytes());
                    blocks.put(wanted.name(), new OpenBlock(wanted, open.volume()));
                } catch (IOException e) {
                    // the volume keeps its capacity; the next change (or restart) tries again
                    LOG.error(
                            "iSCSI volume {} could not grow to {} bytes: {}",
                            wanted.name(),
                            wanted.capacityBytes(),
                            e.getMessage(),
                            e);
                }
                yield false;
            }
            default -> {
                LOG.info("iSCSI volume {} reopens for {}", wanted.name(), change);
                closeBlock(blocks.remove(wanted.name()));
                yield true;
            }
        };
    }

    // the scan logs and counts its own failures; nothing waits for it
    @SuppressWarnings("FutureReturnValueIgnored")
    private OpenShare openShare(GatewayState state, int id, ShareSpec spec) throws IOException {
        NfsShare nfs =
                state.nfsShares().stream().filter(s -> s.id() == id).findFirst().orElse(null);
        SmbShare smb =
                state.smbShares().stream().filter(s -> s.id() == id).findFirst().orElse(null);
        String name = spec.name();
        String resourceName = nfs != null ? nfs.resource() : smb.resource();
        String prefix = nfs != null ? nfs.prefix() : smb.prefix();
        CloudResource resource = state.resource(resourceName).orElseThrow();
        ObjectStore resourceStore = buckets.store(resource);
        ObjectStore store = prefix.isEmpty() ? resourceStore : new PrefixedObjectStore(resourceStore, prefix);
        CacheDisk disk = disk(state.cacheDisk(spec.cacheDisk()).orElseThrow());
        // The share's root, new files given no owner and the files reverse sync imports belong to the share's
        // owner (the NFS anonymous user, the SMB share's ownerUid/ownerGid: equal when both are on the location)
        // and are open to all: a squashed or ordinary client user must be able to use a new share without an
        // admin's chmod.
        FileShareConfig config = new FileShareConfig(
                name,
                id,
                "s" + id,
                spec.mode(),
                spec.capacity(),
                spec.owner(),
                spec.group(),
                0666,
                0777,
                spec.uploadDelay(),
                smb != null && nfs == null && !spec.smbCaseSensitive()); // see "Names" above
        rememberVolume(id, "share " + name);
        ShareVolume volume = ShareVolume.open(config, metadata, disk, store);
        ShareUploader uploader = ShareUploader.start(volume, store, WritebackSettings.defaults(), registry);
        ReverseSync reverseSync = new ReverseSync(
                name,
                store,
                volume.remoteChanges(),
                metadata,
                id,
                ReverseSyncSettings.defaults().withInterval(spec.reverseSyncInterval()),
                registry);
        reverseSync.start();
        reverseSync.scanNow(); // imports what the bucket holds, and what changed there while the gateway was down
        LOG.info(
                "share {} open: {} mode, bucket {} prefix '{}{}', cache disk {}, capacity {} bytes, owner {}:{}",
                name,
                config.mode(),
                resource.bucket(),
                resource.keyPrefix(),
                prefix,
                disk.name(),
                config.capacityBytes(),
                config.defaultUid(),
                config.defaultGid());
        return new OpenShare(id, spec, volume, uploader, reverseSync);
    }

    /**
     * How long a block volume's chunk stays dirty before its upload starts: the writes of a busy chunk in that
     * time (a file system's journal, random small writes) go up as one object rather than one each. Shutdown
     * and {@link BucketSync#uploadNow} do not wait for it.
     */
    static final Duration BLOCK_UPLOAD_DELAY = Duration.ofSeconds(5);

    private ChunkedBlockVolume openBlock(GatewayState state, IscsiVolume v) throws IOException {
        CloudResource resource = state.resource(v.resource()).orElseThrow();
        ObjectStore store = buckets.store(resource);
        CacheDisk disk = v.cacheDisk() == null
                ? null
                : disk(state.cacheDisk(v.cacheDisk()).orElseThrow());
        BlockVolumeConfig config = BlockVolumeConfig.of(
                        v.name(), "v" + v.id(), v.capacityBytes(), v.blockSize(), v.mode())
                .withChunkSize(v.chunkSize())
                .withUploads(BLOCK_UPLOAD_DELAY, BlockVolumeConfig.DEFAULT_UPLOAD_CONCURRENCY);
        boolean known = metadata.get(MetaKeys.volumeRecord(v.id())).isPresent();
        ChunkedBlockVolume volume;
        if (known) {
            // this gateway opened it before: the configuration's capacity may have grown since
            volume = ChunkedBlockVolume.recoverGrowing(config, store, disk);
        } else if (v.recover()) {
            volume = ChunkedBlockVolume.recover(config, store, disk);
        } else {
            volume = ChunkedBlockVolume.create(config, store, disk, Clock.systemUTC());
            rememberVolume(v.id(), "iscsi " + v.name());
        }
        if (v.recover()) {
            rememberVolume(v.id(), "iscsi " + v.name());
        }
        LOG.info(
                "iSCSI volume {} open: {} bytes, {}-byte blocks, {} mode",
                v.name(),
                v.capacityBytes(),
                v.blockSize(),
                v.mode());
        return volume;
    }

    private void rememberVolume(int id, String what) throws IOException {
        metadata.update(
                batch -> batch.put(MetaKeys.volumeRecord(id), what.getBytes(StandardCharsets.UTF_8)),
                Durability.DURABLE);
    }

    private CacheDisk disk(CacheDiskConfig config) throws IOException {
        CacheDisk disk = disks.get(config.name());
        if (disk == null) {
            disk = CacheDisk.open(
                    config.name(),
                    new CacheConfig(
                            config.directory(),
                            config.capacityBytes(),
                            CacheMode.EVICTING,
                            config.chunkSize(),
                            SPACE_WAIT));
            disks.put(config.name(), disk);
        }
        return disk;
    }

    private void closeShare(OpenShare s, boolean deleted) {
        if (s == null) {
            return;
        }
        s.reverseSync().close();
        s.uploader().close();
        try {
            s.volume().close();
            if (deleted) {
                metadata.deleteVolume(s.id(), Durability.DURABLE);
                LOG.info("share {} deleted: its objects stay in the bucket", s.name());
            }
        } catch (IOException e) {
            LOG.warn("share {} did not close cleanly: {}", s.name(), e.getMessage());
        }
    }

    private static void closeBlock(OpenBlock b) {
        if (b == null) {
            return;
        }
        try {
            b.volume().close();
        } catch (IOException e) {
            LOG.warn("iSCSI volume {} did not close cleanly: {}", b.spec().name(), e.getMessage());
        }
    }

    // ---- what operators see ------------------------------------------------------------------------

    /** One line of {@link #status()}: a volume's upload backlog and, for a share, its reverse sync. */
    public record VolumeStatus(String kind, String name, BucketSync.Backlog backlog, ScanProgress reverseSync) {}

    public List<VolumeStatus> status() {
        List<VolumeStatus> out = new ArrayList<>();
        shares.values()
                .forEach(s -> out.add(new VolumeStatus(
                        "share",
                        s.name(),
                        s.uploader().backlog(),
                        s.reverseSync().progress())));
        blocks.forEach((name, b) ->
                out.add(new VolumeStatus("iscsi", name, b.volume().bucketSync().backlog(), null)));
        return out;
    }

    /** How full one open cache disk is: {@link #cacheUse()}. */
    public record CacheUse(String disk, long capacityBytes, long usedBytes, long dirtyBytes, long hits, long misses) {}

    /** The open cache disks' use, by disk name. */
    public List<CacheUse> cacheUse() {
        List<CacheUse> out = new ArrayList<>();
        disks.forEach((name, d) -> {
            CacheStats s = d.cache().stats();
            out.add(new CacheUse(name, s.capacityBytes(), s.usedBytes(), s.dirtyBytes(), s.hits(), s.misses()));
        });
        return out;
    }

    /** Starts a reverse sync of the share {@code name} (an NFS path or SMB name) now. */
    // the scan logs and counts its own failures; nothing waits for it
    @SuppressWarnings("FutureReturnValueIgnored")
    public ScanProgress reverseSyncNow(String name) throws VolumeException {
        for (OpenShare s : shares.values()) {
            if (s.name().equals(name) || matchesSmb(s.id(), name)) {
                s.reverseSync().scanNow();
                return s.reverseSync().progress();
            }
        }
        throw new VolumeException(VolumeError.NOENT, "no open share " + name);
    }

    private boolean matchesSmb(int id, String name) {
        return management.state().smbShares().stream()
                .anyMatch(s -> s.id() == id && s.name().equalsIgnoreCase(name));
    }

    // ---- VolumeDirectory ---------------------------------------------------------------------------

    @Override
    public Optional<NfsExport> nfs(String path) {
        return management.state().nfsShare(path).flatMap(s -> fileVolume(s.id()).map(v -> new NfsExport(s, v)));
    }

    @Override
    public List<NfsExport> nfsExports() {
        return management.state().nfsShares().stream()
                .flatMap(s -> fileVolume(s.id()).map(v -> new NfsExport(s, v)).stream())
                .toList();
    }

    @Override
    public Optional<SmbExport> smb(String name) {
        return management.state().smbShare(name).flatMap(s -> fileVolume(s.id()).map(v -> new SmbExport(s, v)));
    }

    @Override
    public List<SmbExport> smbExports() {
        return management.state().smbShares().stream()
                .flatMap(s -> fileVolume(s.id()).map(v -> new SmbExport(s, v)).stream())
                .toList();
    }

    @Override
    public Optional<IscsiLun> iscsi(String volumeName) {
        return management
                .state()
                .iscsiVolume(volumeName)
                .flatMap(c -> blockVolume(c.name()).map(v -> new IscsiLun(c, v)));
    }

    @Override
    public List<IscsiLun> iscsiLuns() {
        return management.state().iscsiVolumes().stream()
                .flatMap(c -> blockVolume(c.name()).map(v -> new IscsiLun(c, v)).stream())
                .toList();
    }

    private Optional<BlockVolume> blockVolume(String name) {
        return Optional.ofNullable(blocks.get(name)).map(OpenBlock::volume);
    }

    private Optional<FileVolume> fileVolume(int id) {
        return Optional.ofNullable(shares.get(id)).map(OpenShare::volume);
    }

    // ---- shutdown ----------------------------------------------------------------------------------

    /**
     * Uploads everything dirty, logging progress, for at most {@code timeout}.
     *
     * @return whether every volume's backlog reached zero
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        List<BucketSync> syncs = new ArrayList<>();
        shares.values().forEach(s -> syncs.add(s.uploader()));
        blocks.values().forEach(b -> syncs.add(b.volume().bucketSync()));
        syncs.forEach(BucketSync::uploadNow);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (BucketSync sync : syncs) {
            boolean done = false;
            while (!done) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    done = sync.awaitUploaded(Duration.ofNanos(
                            Math.min(left, Duration.ofSeconds(2).toNanos())));
                } catch (IOException e) {
                    LOG.warn("upload before shutdown failed: {}", e.getMessage());
                    break;
                }
                if (!done) {
                    logBacklog();
                }
            }
            all &= done;
        }
        return all;
    }

    private void logBacklog() {
        Map<String, BucketSync.Backlog> pending = new HashMap<>();
        status().forEach(s -> {
            if (s.backlog().pendingItems() > 0) {
                pending.put(s.kind() + " " + s.name(), s.backlog());
            }
        });
        pending.forEach((name, b) -> LOG.info(
                "uploading before shutdown: {}: {} items, {} bytes left", name, b.pendingItems(), b.pendingBytes()));
    }

    @Override
    public void close() {
        synchronized (reconcileLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        shares.values().forEach(s -> closeShare(s, false));
        shares.clear();
        blocks.values().forEach(GatewayRuntime::closeBlock);
        blocks.clear();
        for (CacheDisk d : disks.values()) {
            try {
                d.close();
            } catch (IOException e) {
                LOG.warn("{} did not close cleanly: {}", d, e.getMessage());
            }
        }
        disks.clear();
        buckets.close();
        try {
            metadata.close();
        } catch (IOException e) {
            LOG.warn("the metadata store did not close cleanly: {}", e.getMessage());
        }
    }
}
