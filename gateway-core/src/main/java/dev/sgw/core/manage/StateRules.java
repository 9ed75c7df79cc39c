package dev.sgw.core.manage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import dev.sgw.core.volume.VolumeMode;

import static dev.sgw.core.manage.ManagementException.Code.CONFLICT;
import static dev.sgw.core.manage.ManagementException.Code.INVALID;
import static dev.sgw.core.manage.ManagementException.Code.LIMIT;

/**
 * The rules that span entities, checked on every whole state before it is committed (each record checks
 * its own fields when it is built):
 *
 * <ul>
 *   <li>names are unique (SMB share and user names without case); cache disk directories are unique;</li>
 *   <li>every named resource, cache disk and SMB user exists;</li>
 *   <li>a volume's chunk size is at most its cache disk's chunk size;</li>
 *   <li>at most {@value SmbShare#MAX_SHARES} SMB shares and {@value IscsiVolume#MAX_VOLUMES} iSCSI volumes;</li>
 *   <li>no two shares or volumes overlap in a bucket (one prefix inside another, counting the resources'
 *       own prefixes), except an NFS share and an SMB share with exactly the same location, mode, cache
 *       disk, capacity and owner (the NFS share's anonUid/anonGid, the SMB share's ownerUid/ownerGid): they
 *       are one volume with two front ends, and share one id. A contradiction is refused rather than
 *       resolved: neither front end's setting silently wins over the other's;</li>
 *   <li>distinct volumes have distinct ids (ids 0, not yet assigned, are not compared).</li>
 * </ul>
 */
final class StateRules {

    private StateRules() {}

    /** The broken rules of {@code state}, empty when it is valid. */
    static List<Problem> check(GatewayState state) {
        List<Problem> problems = new ArrayList<>();
        unique(problems, state.resources(), "resources", CloudResource::name, "resource", "name");
        unique(problems, state.cacheDisks(), "cacheDisks", CacheDiskConfig::name, "cache disk", "name");
        unique(
                problems,
                state.cacheDisks(),
                "cacheDisks",
                d -> d.directory().toString(),
                "cache disk directory",
                "directory");
        unique(problems, state.nfsShares(), "nfsShares", NfsShare::path, "NFS share", "path");
        unique(problems, state.smbShares(), "smbShares", s -> SmbNames.key(s.name()), "SMB share", "name");
        unique(problems, state.smbUsers(), "smbUsers", u -> SmbNames.key(u.name()), "SMB user", "name");
        unique(problems, state.iscsiVolumes(), "iscsiVolumes", IscsiVolume::name, "iSCSI volume", "name");

        if (state.smbShares().size() > SmbShare.MAX_SHARES) {
            problems.add(new Problem(LIMIT, "$.smbShares", "at most " + SmbShare.MAX_SHARES + " SMB shares may exist"));
        }
        if (state.iscsiVolumes().size() > IscsiVolume.MAX_VOLUMES) {
            problems.add(new Problem(
                    LIMIT, "$.iscsiVolumes", "at most " + IscsiVolume.MAX_VOLUMES + " iSCSI volumes may exist"));
        }

        List<Location> locations = new ArrayList<>();
        for (int i = 0; i < state.nfsShares().size(); i++) {
            NfsShare s = state.nfsShares().get(i);
            String at = "$.nfsShares[" + i + "]";
            String what = "NFS share " + s.path();
            references(problems, state, at, what, s.resource(), s.cacheDisk());
            locations.add(new Location(
                    at,
                    what,
                    Front.NFS,
                    s.id(),
                    s.resource(),
                    s.prefix(),
                    new VolumeSettings(
                            s.mode(), s.cacheDisk(), s.capacityBytes(), "anonUid:anonGid", s.anonUid(), s.anonGid())));
        }
        for (int i = 0; i < state.smbShares().size(); i++) {
            SmbShare s = state.smbShares().get(i);
            String at = "$.smbShares[" + i + "]";
            String what = "SMB share '" + s.name() + "'";
            references(problems, state, at, what, s.resource(), s.cacheDisk());
            for (String user : s.allowedUsers()) {
                if (state.smbUser(user).isEmpty()) {
                    problems.add(new Problem(
                            INVALID, at + ".allowedUsers", what + ": allowed user '" + user + "' does not exist"));
                }
            }
            locations.add(new Location(
                    at,
                    what,
                    Front.SMB,
                    s.id(),
                    s.resource(),
                    s.prefix(),
                    new VolumeSettings(
                            s.mode(),
                            s.cacheDisk(),
                            s.capacityBytes(),
                            "ownerUid:ownerGid",
                            s.ownerUid(),
                            s.ownerGid())));
        }
        for (int i = 0; i < state.iscsiVolumes().size(); i++) {
            IscsiVolume v = state.iscsiVolumes().get(i);
            String at = "$.iscsiVolumes[" + i + "]";
            String what = "iSCSI volume '" + v.name() + "'";
            references(problems, state, at, what, v.resource(), v.cacheDisk());
            state.cacheDisk(v.cacheDisk() == null ? "" : v.cacheDisk())
                    .filter(d -> v.chunkSize() > d.chunkSize())
                    .ifPresent(d -> problems.add(new Problem(
                            INVALID,
                            at + ".chunkSize",
                            what + ": chunkSize " + v.chunkSize() + " must not exceed the chunk size " + d.chunkSize()
                                    + " of cache disk '" + d.name() + "'")));
            locations.add(new Location(
                    at,
                    what,
                    Front.ISCSI,
                    v.id(),
                    v.resource(),
                    v.prefix(),
                    new VolumeSettings(v.mode(), v.cacheDisk(), v.capacityBytes(), "", 0, 0)));
        }
        overlaps(problems, state, locations);
        return problems;
    }

    private static void references(
            List<Problem> problems, GatewayState state, String at, String what, String resource, String cacheDisk) {
        if (state.resource(resource).isEmpty()) {
            problems.add(new Problem(INVALID, at + ".resource", what + ": resource '" + resource + "' does not exist"));
        }
        if (cacheDisk != null && state.cacheDisk(cacheDisk).isEmpty()) {
            problems.add(
                    new Problem(INVALID, at + ".cacheDisk", what + ": cache disk '" + cacheDisk + "' does not exist"));
        }
    }

    private static <T> void unique(
            List<Problem> problems, List<T> items, String list, Function<T, String> key, String what, String field) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String k = key.apply(items.get(i));
            Integer first = seen.putIfAbsent(k, i);
            if (first != null) {
                problems.add(new Problem(
                        CONFLICT, "$." + list + "[" + i + "]." + field, what + " '" + k + "' already exists"));
            }
        }
    }

    private enum Front {
        NFS,
        SMB,
        ISCSI
    }

    /**
     * What the front ends on one location must agree on: the settings of the one volume they are.
     * {@code ownerFields} names the owner's fields in the entity ({@code anonUid:anonGid} for NFS).
     */
    private record VolumeSettings(
            VolumeMode mode, String cacheDisk, long capacityBytes, String ownerFields, int ownerUid, int ownerGid) {

        /** The settings that differ from {@code other}'s, as the text of a problem; empty when none do. */
        String differences(VolumeSettings other) {
            List<String> out = new ArrayList<>();
            if (mode != other.mode || !Objects.equals(cacheDisk, other.cacheDisk)) {
                out.add("mode and cache disk");
            }
            if (capacityBytes != other.capacityBytes) {
                out.add("capacity (capacityBytes " + capacityBytes + " and " + other.capacityBytes + ")");
            }
            if (ownerUid != other.ownerUid || ownerGid != other.ownerGid) {
                out.add("owner (" + ownerFields + " " + ownerUid + ":" + ownerGid + " and " + other.ownerFields + " "
                        + other.ownerUid + ":" + other.ownerGid + ")");
            }
            return String.join(", ", out);
        }
    }

    private record Location(
            String at, String what, Front front, int id, String resource, String prefix, VolumeSettings volume) {}

    private static void overlaps(List<Problem> problems, GatewayState state, List<Location> locations) {
        for (int j = 1; j < locations.size(); j++) {
            Location b = locations.get(j);
            CloudResource rb = state.resource(b.resource).orElse(null);
            for (int i = 0; i < j; i++) {
                Location a = locations.get(i);
                CloudResource ra = state.resource(a.resource).orElse(null);
                boolean sameBucket = ra != null && rb != null && ra.sameBucket(rb);
                String pa = ra == null ? "" : ra.keyPrefix() + a.prefix;
                String pb = rb == null ? "" : rb.keyPrefix() + b.prefix;
                boolean overlap = sameBucket && (pa.startsWith(pb) || pb.startsWith(pa));
                boolean twoFrontEnds =
                        pa.equals(pb) && a.front != b.front && a.front != Front.ISCSI && b.front != Front.ISCSI;
                String differences = twoFrontEnds ? b.volume.differences(a.volume) : "";
                if (overlap && twoFrontEnds) {
                    if (!differences.isEmpty()) {
                        problems.add(new Problem(
                                CONFLICT,
                                b.at + ".prefix",
                                b.what + " and " + a.what
                                        + " cover the same prefix '" + pb + "' of bucket '" + rb.bucket()
                                        + "' and must then have the same " + differences
                                        + " (they are one volume)"));
                    } else if (a.id != 0 && b.id != 0 && a.id != b.id) {
                        problems.add(new Problem(
                                INVALID,
                                b.at + ".id",
                                b.what + " and " + a.what + " are one volume but have different ids " + b.id + " and "
                                        + a.id));
                    }
                } else if (overlap) {
                    problems.add(new Problem(
                            CONFLICT,
                            b.at + ".prefix",
                            b.what + " (prefix '" + pb + "') overlaps "
                                    + a.what + " (prefix '" + pa + "') in bucket '" + rb.bucket()
                                    + "'; shares and volumes in one bucket must not be inside one another"));
                } else if (a.id != 0 && a.id == b.id) {
                    problems.add(new Problem(INVALID, b.at + ".id", b.what + " has the id " + b.id + " of " + a.what));
                }
            }
        }
    }
}
