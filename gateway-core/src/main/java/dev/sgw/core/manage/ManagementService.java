package dev.sgw.core.manage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.sgw.core.manage.ManagementException.Code.CONFLICT;
import static dev.sgw.core.manage.ManagementException.Code.INVALID;
import static dev.sgw.core.manage.ManagementException.Code.IN_USE;
import static dev.sgw.core.manage.ManagementException.Code.NOT_FOUND;

/**
 * The one place the console, the REST API and the CLI read and change the gateway's configuration.
 *
 * <p>Every change builds a new {@link GatewayState}, checks it whole ({@link StateRules}), saves it
 * atomically to {@code gateway-state.json} (secrets sealed under {@code state-key}), publishes it, then
 * tells the {@link ManagementListener}s after releasing its lock, each listener on a thread of its own in
 * commit order ({@link ListenerDelivery}): a call returns once the listeners have had its change, unless a
 * listener is still busy with an earlier one (blocked on a bucket, say), so that a stuck listener never
 * blocks another management call. A change that breaks a rule fails with a
 * {@link ManagementException} and changes nothing; a change that cannot be saved fails with an
 * {@link IOException} and changes nothing either. Reads never wait for changes.
 *
 * <p>Referential rules: a resource or cache disk in use by a share or volume cannot be deleted
 * ({@code IN_USE}), nor can an SMB user named in a share's allowed users (remove the user from the shares
 * first: the service never edits a share behind the caller's back). While in use, a resource's kind,
 * bucket and key prefix (its data's identity) do not change, though its endpoint and credentials may (the
 * gateway reopens the volumes on it); nor do a cache disk's directory and chunk size. A share
 * keeps its resource and prefix for life; a volume its resource, block size and chunk size, and its
 * capacity only grows.
 *
 * <p>Ids: each share and volume gets a small internal id (the metadata namespace of its volume) from
 * {@link GatewayState#nextId()}; ids are never reused. An NFS share and an SMB share over the same bucket
 * location are one volume and share one id; they must agree on mode, cache disk, capacity and owner, so a
 * change of those on one of them alone is refused (change both in one {@link #apply} of a config file, or
 * delete one front end first).
 */
public final class ManagementService {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementService.class);

    private final StateFile file;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<ListenerDelivery> listeners = new CopyOnWriteArrayList<>();
    private volatile GatewayState state;

    private ManagementService(StateFile file, GatewayState state) {
        this.file = file;
        this.state = state;
    }

    /**
     * Opens the state in {@code stateDirectory} (created, with a new key, on first start).
     *
     * @throws StateFileException when the state or its key cannot be read; the files are left untouched
     */
    public static ManagementService open(Path stateDirectory) throws IOException {
        return open(stateDirectory, StateFile.Faults.NONE);
    }

    static ManagementService open(Path stateDirectory, StateFile.Faults faults) throws IOException {
        StateFile file = StateFile.open(stateDirectory, faults);
        GatewayState state = file.load();
        LOG.info(
                "gateway state {}: {} resources, {} cache disks, {} NFS shares, {} SMB shares, {} SMB users, {} iSCSI volumes",
                file.path(),
                state.resources().size(),
                state.cacheDisks().size(),
                state.nfsShares().size(),
                state.smbShares().size(),
                state.smbUsers().size(),
                state.iscsiVolumes().size());
        return new ManagementService(file, state);
    }

    /** The state file's path. */
    public Path stateFile() {
        return file.path();
    }

    /** The current state: an immutable snapshot. */
    public GatewayState state() {
        return state;
    }

    public void addListener(ManagementListener listener) {
        listeners.add(new ListenerDelivery(Objects.requireNonNull(listener, "listener")));
    }

    /** Stops telling {@code listener}; changes already committed are still delivered to it. */
    // a listener is removed as the very object that was added
    @SuppressWarnings("ReferenceEquality")
    public void removeListener(ManagementListener listener) {
        List<ListenerDelivery> removed =
                listeners.stream().filter(d -> d.listener() == listener).toList();
        removed.forEach(d -> {
            if (listeners.remove(d)) {
                d.close();
            }
        });
    }

    // ---- the tables ----------------------------------------------------------------------------

    /** How the service handles one kind of entity. */
    private record Table<T>(
            EntityKind kind,
            Function<GatewayState, List<T>> list,
            BiFunction<GatewayState, List<T>, GatewayState> replaceList,
            Function<T, String> name,
            boolean ignoreCase,
            BiFunction<T, T, T> carryId) {

        boolean sameName(T item, String n) {
            return ignoreCase
                    ? name.apply(item).equalsIgnoreCase(n)
                    : name.apply(item).equals(n);
        }

        String key(T item) {
            return ignoreCase ? SmbNames.key(name.apply(item)) : name.apply(item);
        }

        String describe(String n) {
            return kind.label() + (kind == EntityKind.NFS_SHARE ? " " + n : " '" + n + "'");
        }
    }

    private static final Table<CloudResource> RESOURCES = new Table<>(
            EntityKind.RESOURCE,
            GatewayState::resources,
            GatewayState::withResources,
            CloudResource::name,
            false,
            (old, now) -> now);
    private static final Table<CacheDiskConfig> CACHE_DISKS = new Table<>(
            EntityKind.CACHE_DISK,
            GatewayState::cacheDisks,
            GatewayState::withCacheDisks,
            CacheDiskConfig::name,
            false,
            (old, now) -> now);
    private static final Table<SmbUser> SMB_USERS = new Table<>(
            EntityKind.SMB_USER,
            GatewayState::smbUsers,
            GatewayState::withSmbUsers,
            SmbUser::name,
            true,
            (old, now) -> now);
    private static final Table<NfsShare> NFS_SHARES = new Table<>(
            EntityKind.NFS_SHARE,
            GatewayState::nfsShares,
            GatewayState::withNfsShares,
            NfsShare::path,
            false,
            (old, now) -> now.withId(old.id()));
    private static final Table<SmbShare> SMB_SHARES = new Table<>(
            EntityKind.SMB_SHARE,
            GatewayState::smbShares,
            GatewayState::withSmbShares,
            SmbShare::name,
            true,
            (old, now) -> now.withId(old.id()));
    private static final Table<IscsiVolume> ISCSI_VOLUMES = new Table<>(
            EntityKind.ISCSI_VOLUME,
            GatewayState::iscsiVolumes,
            GatewayState::withIscsiVolumes,
            IscsiVolume::name,
            false,
            (old, now) -> now.withId(old.id()));
    private static final List<Table<?>> TABLES =
            List.of(RESOURCES, CACHE_DISKS, SMB_USERS, NFS_SHARES, SMB_SHARES, ISCSI_VOLUMES);

    // ---- resources -----------------------------------------------------------------------------

    public List<CloudResource> resources() {
        return state.resources();
    }

    /** The resource called {@code name}; NOT_FOUND if there is none. */
    public CloudResource resource(String name) {
        return get(RESOURCES, name);
    }

    public void createResource(CloudResource resource) throws IOException {
        create(RESOURCES, resource);
    }

    public void updateResource(CloudResource resource) throws IOException {
        update(RESOURCES, resource);
    }

    public void deleteResource(String name) throws IOException {
        delete(RESOURCES, name);
    }

    // ---- cache disks ---------------------------------------------------------------------------

    public List<CacheDiskConfig> cacheDisks() {
        return state.cacheDisks();
    }

    public CacheDiskConfig cacheDisk(String name) {
        return get(CACHE_DISKS, name);
    }

    public void createCacheDisk(CacheDiskConfig disk) throws IOException {
        create(CACHE_DISKS, disk);
    }

    public void updateCacheDisk(CacheDiskConfig disk) throws IOException {
        update(CACHE_DISKS, disk);
    }

    public void deleteCacheDisk(String name) throws IOException {
        delete(CACHE_DISKS, name);
    }

    // ---- NFS shares ----------------------------------------------------------------------------

    public List<NfsShare> nfsShares() {
        return state.nfsShares();
    }

    /** The NFS share exported at {@code path}. */
    public NfsShare nfsShare(String path) {
        return get(NFS_SHARES, path);
    }

    /** Creates the share (its id is assigned; the one given is ignored). */
    public void createNfsShare(NfsShare share) throws IOException {
        create(NFS_SHARES, share.withId(0));
    }

    /** Replaces the share with the same path (its id is kept). */
    public void updateNfsShare(NfsShare share) throws IOException {
        update(NFS_SHARES, share);
    }

    public void deleteNfsShare(String path) throws IOException {
        delete(NFS_SHARES, path);
    }

    // ---- SMB shares ----------------------------------------------------------------------------

    public List<SmbShare> smbShares() {
        return state.smbShares();
    }

    /** The SMB share called {@code name} in any case. */
    public SmbShare smbShare(String name) {
        return get(SMB_SHARES, name);
    }

    public void createSmbShare(SmbShare share) throws IOException {
        create(SMB_SHARES, share.withId(0));
    }

    public void updateSmbShare(SmbShare share) throws IOException {
        update(SMB_SHARES, share);
    }

    public void deleteSmbShare(String name) throws IOException {
        delete(SMB_SHARES, name);
    }

    // ---- SMB users -----------------------------------------------------------------------------

    public List<SmbUser> smbUsers() {
        return state.smbUsers();
    }

    /** The SMB user called {@code name} in any case. */
    public SmbUser smbUser(String name) {
        return get(SMB_USERS, name);
    }

    public void createSmbUser(SmbUser user) throws IOException {
        create(SMB_USERS, user);
    }

    /** Replaces the user of the same name: a new password, enabled or disabled, other ids. */
    public void updateSmbUser(SmbUser user) throws IOException {
        update(SMB_USERS, user);
    }

    /** Deletes the user; IN_USE while an SMB share lists it in its allowed users. */
    public void deleteSmbUser(String name) throws IOException {
        delete(SMB_USERS, name);
    }

    // ---- iSCSI volumes -------------------------------------------------------------------------

    public List<IscsiVolume> iscsiVolumes() {
        return state.iscsiVolumes();
    }

    public IscsiVolume iscsiVolume(String name) {
        return get(ISCSI_VOLUMES, name);
    }

    public void createIscsiVolume(IscsiVolume volume) throws IOException {
        create(ISCSI_VOLUMES, volume.withId(0));
    }

    public void updateIscsiVolume(IscsiVolume volume) throws IOException {
        update(ISCSI_VOLUMES, volume);
    }

    public void deleteIscsiVolume(String name) throws IOException {
        delete(ISCSI_VOLUMES, name);
    }

    // ---- the config file -----------------------------------------------------------------------

    /**
     * Makes the state what {@code config} describes, in one atomic change: entities of the config are
     * created or updated (keeping the ids of existing shares and volumes), and entities missing from it
     * are deleted. The same rules as single changes apply (a share's resource cannot change, and so on);
     * on any refusal nothing changes.
     */
    public void apply(GatewayConfigFile config) throws IOException {
        GatewayState wanted = config.entities();
        change(current -> {
            GatewayState next = current;
            next = merge(RESOURCES, current, next, wanted);
            next = merge(CACHE_DISKS, current, next, wanted);
            next = merge(SMB_USERS, current, next, wanted);
            next = merge(NFS_SHARES, current, next, wanted);
            next = merge(SMB_SHARES, current, next, wanted);
            next = merge(ISCSI_VOLUMES, current, next, wanted);
            return next;
        });
    }

    private <T> GatewayState merge(Table<T> table, GatewayState current, GatewayState next, GatewayState wanted) {
        List<T> merged = new ArrayList<>();
        for (T item : table.list.apply(wanted)) {
            String n = table.name.apply(item);
            T old = find(table, current, n);
            if (old != null) {
                checkUpdate(table, current, old, item);
                item = table.carryId.apply(old, item);
            }
            merged.add(item);
        }
        return table.replaceList.apply(next, merged);
    }

    // ---- the generic operations ----------------------------------------------------------------

    private <T> T find(Table<T> table, GatewayState s, String name) {
        return table.list.apply(s).stream()
                .filter(t -> table.sameName(t, name))
                .findFirst()
                .orElse(null);
    }

    private <T> T get(Table<T> table, String name) {
        T item = name == null ? null : find(table, state, name);
        if (item == null) {
            throw new ManagementException(NOT_FOUND, table.describe(String.valueOf(name)) + " does not exist");
        }
        return item;
    }

    private <T> void create(Table<T> table, T item) throws IOException {
        Objects.requireNonNull(item, "item");
        change(current -> {
            String name = table.name.apply(item);
            if (find(table, current, name) != null) {
                throw new ManagementException(
                        CONFLICT,
                        table.kind == EntityKind.NFS_SHARE ? "path" : "name",
                        table.describe(name) + " already exists");
            }
            return table.replaceList.apply(current, GatewayState.plus(table.list.apply(current), item));
        });
    }

    private <T> void update(Table<T> table, T item) throws IOException {
        Objects.requireNonNull(item, "item");
        change(current -> {
            String name = table.name.apply(item);
            T old = get(table, name);
            checkUpdate(table, current, old, item);
            T now = table.carryId.apply(old, item);
            return table.replaceList.apply(
                    current, GatewayState.replace(table.list.apply(current), t -> table.sameName(t, name), t -> now));
        });
    }

    private <T> void delete(Table<T> table, String name) throws IOException {
        change(current -> {
            T old = get(table, name);
            List<String> users = usersOf(current, table.kind, table.name.apply(old));
            if (!users.isEmpty()) {
                throw new ManagementException(
                        IN_USE,
                        table.describe(table.name.apply(old)) + " is in use by " + String.join(", ", users)
                                + "; change or delete them first");
            }
            return table.replaceList.apply(
                    current, GatewayState.minus(table.list.apply(current), t -> table.sameName(t, name)));
        });
    }

    /** What refers to the entity: shares and volumes for resources and cache disks, shares for users. */
    private static List<String> usersOf(GatewayState s, EntityKind kind, String name) {
        List<String> users = new ArrayList<>();
        switch (kind) {
            case RESOURCE -> {
                s.nfsShares().stream()
                        .filter(x -> x.resource().equals(name))
                        .forEach(x -> users.add("NFS share " + x.path()));
                s.smbShares().stream()
                        .filter(x -> x.resource().equals(name))
                        .forEach(x -> users.add("SMB share '" + x.name() + "'"));
                s.iscsiVolumes().stream()
                        .filter(x -> x.resource().equals(name))
                        .forEach(x -> users.add("iSCSI volume '" + x.name() + "'"));
            }
            case CACHE_DISK -> {
                s.nfsShares().stream()
                        .filter(x -> x.cacheDisk().equals(name))
                        .forEach(x -> users.add("NFS share " + x.path()));
                s.smbShares().stream()
                        .filter(x -> x.cacheDisk().equals(name))
                        .forEach(x -> users.add("SMB share '" + x.name() + "'"));
                s.iscsiVolumes().stream()
                        .filter(x -> name.equals(x.cacheDisk()))
                        .forEach(x -> users.add("iSCSI volume '" + x.name() + "'"));
            }
            case SMB_USER ->
                s.smbShares().stream()
                        .filter(x -> x.allows(name))
                        .forEach(x -> users.add("SMB share '" + x.name() + "'"));
            default -> {}
        }
        return users;
    }

    /** The fields an update must not change. */
    private <T> void checkUpdate(Table<T> table, GatewayState current, T old, T now) {
        String what = table.describe(table.name.apply(old));
        switch (old) {
            case CloudResource o
            when now instanceof CloudResource n -> {
                List<String> users = usersOf(current, EntityKind.RESOURCE, o.name());
                if (!users.isEmpty()
                        && (o.kind() != n.kind()
                                || !o.bucket().equals(n.bucket())
                                || !o.keyPrefix().equals(n.keyPrefix()))) {
                    throw new ManagementException(
                            IN_USE,
                            what + ": kind, bucket and keyPrefix cannot change " + "while it is in use by "
                                    + String.join(", ", users));
                }
            }
            case CacheDiskConfig o
            when now instanceof CacheDiskConfig n -> {
                List<String> users = usersOf(current, EntityKind.CACHE_DISK, o.name());
                if (!users.isEmpty() && (!o.directory().equals(n.directory()) || o.chunkSize() != n.chunkSize())) {
                    throw new ManagementException(
                            IN_USE,
                            what + ": directory and chunkSize cannot change while it is in use by "
                                    + String.join(", ", users));
                }
            }
            case NfsShare o
            when now instanceof NfsShare n -> {
                fixed(what, "resource", o.resource(), n.resource());
                fixed(what, "prefix", o.prefix(), n.prefix());
            }
            case SmbShare o
            when now instanceof SmbShare n -> {
                fixed(what, "resource", o.resource(), n.resource());
                fixed(what, "prefix", o.prefix(), n.prefix());
            }
            case IscsiVolume o
            when now instanceof IscsiVolume n -> {
                fixed(what, "resource", o.resource(), n.resource());
                fixed(what, "blockSize", o.blockSize(), n.blockSize());
                fixed(what, "chunkSize", o.chunkSize(), n.chunkSize());
                if (n.capacityBytes() < o.capacityBytes()) {
                    throw new ManagementException(
                            INVALID,
                            "capacityBytes",
                            what + ": capacityBytes can only grow, from " + o.capacityBytes() + " (got "
                                    + n.capacityBytes() + ")");
                }
            }
            default -> {}
        }
    }

    private static void fixed(String what, String field, Object old, Object now) {
        if (!old.equals(now)) {
            throw new ManagementException(
                    INVALID,
                    field,
                    what + ": " + field + " cannot change (it is '" + old + "'); delete and create it again instead");
        }
    }

    // ---- commit --------------------------------------------------------------------------------

    /** Builds the next state from the current one; throws to refuse the change. */
    @FunctionalInterface
    private interface StateChange {
        GatewayState next(GatewayState current) throws IOException;
    }

    /**
     * Makes one change: builds, checks, saves and publishes it under the lock, then (the lock released)
     * waits for the listeners that were idle to have had it.
     */
    private void change(StateChange change) throws IOException {
        List<Future<?>> deliveries;
        lock.lock();
        try {
            GatewayState current = state;
            deliveries = commit(current, change.next(current));
        } finally {
            lock.unlock();
        }
        awaitDelivery(deliveries);
    }

    private static void awaitDelivery(List<Future<?>> deliveries) {
        for (Future<?> delivery : deliveries) {
            try {
                delivery.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.error("delivering a change to a management listener failed", e.getCause());
            }
        }
    }

    /**
     * Assigns ids, checks, saves, publishes and queues the changes for the listeners; called with the lock
     * held. Returns the deliveries the caller waits for.
     */
    private List<Future<?>> commit(GatewayState current, GatewayState candidate) throws IOException {
        GatewayState next = VolumeIds.assign(candidate);
        List<Problem> problems = StateRules.check(next);
        if (!problems.isEmpty()) {
            throw problems.get(0).toException();
        }
        List<ConfigChange> changes = new ArrayList<>();
        for (int i = TABLES.size() - 1; i >= 0; i--) {
            diff(TABLES.get(i), current, next, changes, true);
        }
        for (Table<?> table : TABLES) {
            diff(table, current, next, changes, false);
        }
        if (changes.isEmpty() && next.nextId() == current.nextId()) {
            return List.of();
        }
        file.save(next);
        state = next;
        for (ConfigChange change : changes) {
            LOG.info(
                    "{} {} {}",
                    change.kind().label(),
                    change.name(),
                    change.action().name().toLowerCase(Locale.ROOT));
        }
        if (changes.isEmpty()) {
            return List.of();
        }
        List<ConfigChange> batch = List.copyOf(changes);
        List<Future<?>> waits = new ArrayList<>();
        for (ListenerDelivery l : listeners) {
            Future<?> delivered = l.queue(batch);
            if (delivered != null) {
                waits.add(delivered);
            }
        }
        return waits;
    }

    /** Adds the deletions (or the creations and updates) between two states. */
    private static <T> void diff(
            Table<T> table, GatewayState before, GatewayState after, List<ConfigChange> out, boolean deletions) {
        Map<String, T> old = new LinkedHashMap<>();
        table.list.apply(before).forEach(t -> old.put(table.key(t), t));
        Map<String, T> now = new LinkedHashMap<>();
        table.list.apply(after).forEach(t -> now.put(table.key(t), t));
        if (deletions) {
            old.forEach((k, t) -> {
                if (!now.containsKey(k)) {
                    out.add(new ConfigChange(table.kind, ConfigChange.Action.DELETED, table.name.apply(t), t, null));
                }
            });
            return;
        }
        now.forEach((k, t) -> {
            T was = old.get(k);
            if (was == null) {
                out.add(new ConfigChange(table.kind, ConfigChange.Action.CREATED, table.name.apply(t), null, t));
            } else if (!was.equals(t)) {
                out.add(new ConfigChange(table.kind, ConfigChange.Action.UPDATED, table.name.apply(t), was, t));
            }
        });
    }
}
