package dev.sgw.core.manage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Everything the management service keeps, as one immutable value: each change produces a new state,
 * which is checked ({@link StateRules}), persisted, then published. Lists keep the order entities were
 * created in.
 *
 * @param nextId the next internal volume id to hand out; ids are never reused
 */
public record GatewayState(
        int nextId,
        List<CloudResource> resources,
        List<CacheDiskConfig> cacheDisks,
        List<NfsShare> nfsShares,
        List<SmbShare> smbShares,
        List<SmbUser> smbUsers,
        List<IscsiVolume> iscsiVolumes) {

    public static final GatewayState EMPTY =
            new GatewayState(1, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public GatewayState {
        resources = List.copyOf(resources);
        cacheDisks = List.copyOf(cacheDisks);
        nfsShares = List.copyOf(nfsShares);
        smbShares = List.copyOf(smbShares);
        smbUsers = List.copyOf(smbUsers);
        iscsiVolumes = List.copyOf(iscsiVolumes);
        if (nextId < 1) {
            throw new IllegalArgumentException("nextId must be positive: " + nextId);
        }
    }

    public Optional<CloudResource> resource(String name) {
        return resources.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public Optional<CacheDiskConfig> cacheDisk(String name) {
        return cacheDisks.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public Optional<NfsShare> nfsShare(String path) {
        return nfsShares.stream().filter(s -> s.path().equals(path)).findFirst();
    }

    /** The SMB share called {@code name}, in any case. */
    public Optional<SmbShare> smbShare(String name) {
        return smbShares.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The SMB user called {@code name}, in any case. */
    public Optional<SmbUser> smbUser(String name) {
        return smbUsers.stream().filter(u -> u.name().equalsIgnoreCase(name)).findFirst();
    }

    public Optional<IscsiVolume> iscsiVolume(String name) {
        return iscsiVolumes.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    GatewayState withNextId(int id) {
        return new GatewayState(id, resources, cacheDisks, nfsShares, smbShares, smbUsers, iscsiVolumes);
    }

    GatewayState withResources(List<CloudResource> v) {
        return new GatewayState(nextId, v, cacheDisks, nfsShares, smbShares, smbUsers, iscsiVolumes);
    }

    GatewayState withCacheDisks(List<CacheDiskConfig> v) {
        return new GatewayState(nextId, resources, v, nfsShares, smbShares, smbUsers, iscsiVolumes);
    }

    GatewayState withNfsShares(List<NfsShare> v) {
        return new GatewayState(nextId, resources, cacheDisks, v, smbShares, smbUsers, iscsiVolumes);
    }

    GatewayState withSmbShares(List<SmbShare> v) {
        return new GatewayState(nextId, resources, cacheDisks, nfsShares, v, smbUsers, iscsiVolumes);
    }

    GatewayState withSmbUsers(List<SmbUser> v) {
        return new GatewayState(nextId, resources, cacheDisks, nfsShares, smbShares, v, iscsiVolumes);
    }

    GatewayState withIscsiVolumes(List<IscsiVolume> v) {
        return new GatewayState(nextId, resources, cacheDisks, nfsShares, smbShares, smbUsers, v);
    }

    /** {@code list} with {@code item} added at the end. */
    static <T> List<T> plus(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    /** {@code list} with the items matching {@code which} replaced in place. */
    static <T> List<T> replace(List<T> list, Predicate<T> which, UnaryOperator<T> by) {
        return list.stream().map(t -> which.test(t) ? by.apply(t) : t).toList();
    }

    /** {@code list} without the items matching {@code which}. */
    static <T> List<T> minus(List<T> list, Predicate<T> which) {
        return list.stream().filter(which.negate()).toList();
    }
}
