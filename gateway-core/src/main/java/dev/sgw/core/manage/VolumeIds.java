package dev.sgw.core.manage;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands out the internal ids of new shares and volumes (those with id 0) from
 * {@link GatewayState#nextId()}. A new NFS or SMB share over exactly the bucket location of a share of
 * the other protocol takes that share's id: they are one volume with two front ends.
 */
final class VolumeIds {

    private VolumeIds() {}

    static GatewayState assign(GatewayState s) {
        int next = s.nextId();
        List<NfsShare> nfs = new ArrayList<>();
        for (NfsShare given : s.nfsShares()) {
            NfsShare share = given;
            if (share.id() == 0) {
                int partner = s.smbShares().stream()
                        .filter(o -> o.id() != 0
                                && sameLocation(s, given.resource(), given.prefix(), o.resource(), o.prefix()))
                        .mapToInt(SmbShare::id)
                        .findFirst()
                        .orElse(0);
                share = share.withId(partner != 0 ? partner : next++);
            }
            nfs.add(share);
        }
        List<SmbShare> smb = new ArrayList<>();
        for (SmbShare given : s.smbShares()) {
            SmbShare share = given;
            if (share.id() == 0) {
                int partner = nfs.stream()
                        .filter(o -> sameLocation(s, given.resource(), given.prefix(), o.resource(), o.prefix()))
                        .mapToInt(NfsShare::id)
                        .findFirst()
                        .orElse(0);
                share = share.withId(partner != 0 ? partner : next++);
            }
            smb.add(share);
        }
        List<IscsiVolume> volumes = new ArrayList<>();
        for (IscsiVolume v : s.iscsiVolumes()) {
            volumes.add(v.id() == 0 ? v.withId(next++) : v);
        }
        return new GatewayState(next, s.resources(), s.cacheDisks(), nfs, smb, s.smbUsers(), volumes);
    }

    private static boolean sameLocation(
            GatewayState s, String resourceA, String prefixA, String resourceB, String prefixB) {
        CloudResource a = s.resource(resourceA).orElse(null);
        CloudResource b = s.resource(resourceB).orElse(null);
        return a != null && b != null && a.sameBucket(b) && (a.keyPrefix() + prefixA).equals(b.keyPrefix() + prefixB);
    }
}
