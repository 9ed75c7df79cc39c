package dev.sgw.core.manage;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON of single entities for the REST API, in the shape of the config file ({@link StateJson}): read
 * with secrets in clear text and every problem reported at its JSON path from {@code $} (the request
 * body), written with ids and <em>without</em> any secret (secret access keys, SMB password hashes and
 * CHAP secrets are write-only).
 */
public final class EntityJson {
    private EntityJson() {}

    /**
     * The entity of {@code kind} that {@code body} describes, or {@code null} after adding its problems to
     * {@code problems}; an {@code id} in the body is ignored (the service assigns and keeps ids).
     *
     * @param context the current state, for an SMB share's defaults taken from the NFS share at its location
     */
    public static Object read(EntityKind kind, JsonNode body, GatewayState context, List<Problem> problems) {
        return new StateJson(StateJson.Form.API, null).entity(kind, body, context, problems);
    }

    /** The JSON of {@code entity} (a resource, cache disk, share, SMB user or iSCSI volume), secrets left out. */
    public static ObjectNode write(Object entity) {
        GatewayState one = GatewayState.EMPTY;
        String list;
        switch (entity) {
            case CloudResource r -> {
                one = one.withResources(List.of(r));
                list = "resources";
            }
            case CacheDiskConfig d -> {
                one = one.withCacheDisks(List.of(d));
                list = "cacheDisks";
            }
            case NfsShare s -> {
                one = one.withNfsShares(List.of(s));
                list = "nfsShares";
            }
            case SmbShare s -> {
                one = one.withSmbShares(List.of(s));
                list = "smbShares";
            }
            case SmbUser u -> {
                one = one.withSmbUsers(List.of(u));
                list = "smbUsers";
            }
            case IscsiVolume v -> {
                one = one.withIscsiVolumes(List.of(v));
                list = "iscsiVolumes";
            }
            default ->
                throw new IllegalArgumentException(
                        "not an entity: " + entity.getClass().getName());
        }
        return (ObjectNode)
                new StateJson(StateJson.Form.API, null).write(one).get(list).get(0);
    }
}
