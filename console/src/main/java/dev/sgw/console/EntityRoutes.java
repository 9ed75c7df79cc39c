package dev.sgw.console;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sgw.core.manage.CacheDiskConfig;
import dev.sgw.core.manage.CloudResource;
import dev.sgw.core.manage.EntityJson;
import dev.sgw.core.manage.EntityKind;
import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.ManagementException;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.Problem;
import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.manage.SmbUser;

/**
 * The entity collections of the API, each over the management service:
 *
 * <pre>
 * path                      entity        name in the URL            body fields (see StateJson)
 * ------------------------  ------------  -------------------------  ---------------------------------
 * /api/v1/resources         resource      name                       secretAccessKey write-only
 * /api/v1/cache-disks       cache disk    name
 * /api/v1/nfs-shares        NFS share     the path without its '/'   (or the whole path, %2F-encoded)
 * /api/v1/smb-shares        SMB share     name (any case)
 * /api/v1/smb-users         SMB user      name (any case)            password write-only
 * /api/v1/iscsi-volumes     iSCSI volume  name                       chap.secret, chap.mutualSecret write-only
 * </pre>
 *
 * On each: {@code GET} the list, {@code POST} a new one (201), and on {@code /NAME}: {@code GET},
 * {@code PUT} (the whole entity), {@code PATCH} (the fields given, merged into the current entity) and
 * {@code DELETE} (204). An update that leaves out a secret keeps the current one. Bodies are read like
 * the config file, so a rule broken is a 400 whose problems carry JSON paths from {@code $} (the body).
 */
final class EntityRoutes {

    /** Changes the service and may fail with an I/O error (the state could not be saved). */
    @FunctionalInterface
    private interface Change<T> {
        void apply(ManagementService m, T value) throws IOException;
    }

    private record Collection<T>(
            String path,
            EntityKind kind,
            Class<T> type,
            String nameField,
            Function<ManagementService, List<T>> list,
            BiFunction<ManagementService, String, T> get,
            Change<T> create,
            Change<T> update,
            Change<String> delete,
            Function<T, String> name) {}

    private static final Map<String, Collection<?>> COLLECTIONS = Map.of(
            "resources",
            new Collection<>(
                    "resources",
                    EntityKind.RESOURCE,
                    CloudResource.class,
                    "name",
                    ManagementService::resources,
                    ManagementService::resource,
                    ManagementService::createResource,
                    ManagementService::updateResource,
                    ManagementService::deleteResource,
                    CloudResource::name),
            "cache-disks",
            new Collection<>(
                    "cache-disks",
                    EntityKind.CACHE_DISK,
                    CacheDiskConfig.class,
                    "name",
                    ManagementService::cacheDisks,
                    ManagementService::cacheDisk,
                    ManagementService::createCacheDisk,
                    ManagementService::updateCacheDisk,
                    ManagementService::deleteCacheDisk,
                    CacheDiskConfig::name),
            "nfs-shares",
            new Collection<>(
                    "nfs-shares",
                    EntityKind.NFS_SHARE,
                    NfsShare.class,
                    "path",
                    ManagementService::nfsShares,
                    ManagementService::nfsShare,
                    ManagementService::createNfsShare,
                    ManagementService::updateNfsShare,
                    ManagementService::deleteNfsShare,
                    NfsShare::path),
            "smb-shares",
            new Collection<>(
                    "smb-shares",
                    EntityKind.SMB_SHARE,
                    SmbShare.class,
                    "name",
                    ManagementService::smbShares,
                    ManagementService::smbShare,
                    ManagementService::createSmbShare,
                    ManagementService::updateSmbShare,
                    ManagementService::deleteSmbShare,
                    SmbShare::name),
            "smb-users",
            new Collection<>(
                    "smb-users",
                    EntityKind.SMB_USER,
                    SmbUser.class,
                    "name",
                    ManagementService::smbUsers,
                    ManagementService::smbUser,
                    ManagementService::createSmbUser,
                    ManagementService::updateSmbUser,
                    ManagementService::deleteSmbUser,
                    SmbUser::name),
            "iscsi-volumes",
            new Collection<>(
                    "iscsi-volumes",
                    EntityKind.ISCSI_VOLUME,
                    IscsiVolume.class,
                    "name",
                    ManagementService::iscsiVolumes,
                    ManagementService::iscsiVolume,
                    ManagementService::createIscsiVolume,
                    ManagementService::updateIscsiVolume,
                    ManagementService::deleteIscsiVolume,
                    IscsiVolume::name));

    private final ManagementService management;

    EntityRoutes(ManagementService management) {
        this.management = management;
    }

    /** Whether {@code segment} names a collection of this table. */
    static boolean handles(String segment) {
        return COLLECTIONS.containsKey(segment);
    }

    void handle(ApiExchange x) throws IOException {
        Collection<?> c = COLLECTIONS.get(x.segments().get(0));
        try {
            handle(c, x);
        } catch (ManagementException e) {
            throw refusal(e);
        }
    }

    private <T> void handle(Collection<T> c, ApiExchange x) throws IOException {
        List<String> s = x.segments();
        if (s.size() == 1) {
            switch (x.method()) {
                case "GET", "HEAD" -> {
                    ArrayNode list = ApiExchange.JSON.createArrayNode();
                    c.list().apply(management).forEach(e -> list.add(EntityJson.write(e)));
                    x.send(200, list);
                }
                case "POST" -> {
                    T item = read(c, x.body(), null);
                    c.create().apply(management, item);
                    T created = c.get().apply(management, c.name().apply(item));
                    x.setHeader(
                            "Location",
                            "/api/v1/" + c.path() + "/" + urlName(c, c.name().apply(created)));
                    x.send(201, EntityJson.write(created));
                }
                default -> throw methodNotAllowed(x, "GET, POST");
            }
            return;
        }
        String name = nameOf(c, s.subList(1, s.size()));
        switch (x.method()) {
            case "GET", "HEAD" -> x.send(200, EntityJson.write(c.get().apply(management, name)));
            case "PUT", "PATCH" -> {
                T old = c.get().apply(management, name);
                JsonNode given = x.body();
                if (!given.isObject()) {
                    throw ApiException.invalid("$", "must be a JSON object");
                }
                ObjectNode body = x.method().equals("PATCH")
                        ? EntityJson.write(old).setAll((ObjectNode) given.deepCopy())
                        : (ObjectNode) given.deepCopy();
                JsonNode bodyName = body.get(c.nameField());
                if (bodyName == null || bodyName.isNull()) {
                    body.put(c.nameField(), c.name().apply(old));
                } else if (!bodyName.isTextual()
                        || !sameName(c, bodyName.textValue(), c.name().apply(old))) {
                    throw ApiException.invalid(
                            "$." + c.nameField(),
                            "must be the " + c.nameField() + " in the URL ('"
                                    + c.name().apply(old) + "'); delete and create to rename");
                }
                T item = read(c, body, old);
                c.update().apply(management, item);
                x.send(200, EntityJson.write(c.get().apply(management, c.name().apply(old))));
            }
            case "DELETE" -> {
                c.delete().apply(management, c.name().apply(c.get().apply(management, name)));
                x.sendEmpty(204);
            }
            default -> throw methodNotAllowed(x, "GET, PUT, PATCH, DELETE");
        }
    }

    /** The entity the body describes; on an update, secrets the body leaves out are those of {@code old}. */
    private <T> T read(Collection<T> c, JsonNode body, T old) {
        JsonNode given = body;
        boolean keepNtHash = false;
        if (old != null && body instanceof ObjectNode o) {
            ObjectNode copy = o.deepCopy();
            keepNtHash = SecretCarry.carry(old, copy);
            given = copy;
        }
        List<Problem> problems = new ArrayList<>();
        Object item = EntityJson.read(c.kind(), given, management.state(), problems);
        if (item == null) {
            throw invalidBody(c.kind(), problems);
        }
        if (keepNtHash && item instanceof SmbUser u && old instanceof SmbUser was) {
            item = new SmbUser(u.name(), was.ntHash(), u.enabled(), u.uid(), u.gid());
        }
        return c.type().cast(item);
    }

    private static ApiException invalidBody(EntityKind kind, List<Problem> problems) {
        String message = problems.size() == 1
                ? problems.get(0).toString()
                : "the " + kind.label() + " has " + problems.size() + " problems";
        return new ApiException(400, message, problems);
    }

    /** The entity name the URL's segments give: an NFS share's path is its segments joined, with a leading '/'. */
    private static String nameOf(Collection<?> c, List<String> segments) {
        if (c.kind() != EntityKind.NFS_SHARE) {
            if (segments.size() != 1) {
                throw ApiException.notFound("/" + String.join("/", segments));
            }
            return segments.get(0);
        }
        String path = String.join("/", segments);
        return path.startsWith("/") ? path : "/" + path;
    }

    private static String urlName(Collection<?> c, String name) {
        if (c.kind() == EntityKind.NFS_SHARE) {
            return URLEncoder.encode(name, StandardCharsets.UTF_8);
        }
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean sameName(Collection<?> c, String a, String b) {
        boolean anyCase = c.kind() == EntityKind.SMB_SHARE || c.kind() == EntityKind.SMB_USER;
        return anyCase ? a.equalsIgnoreCase(b) : a.equals(b);
    }

    /** The HTTP form of a refusal of the management service. */
    static ApiException refusal(ManagementException e) {
        int status = switch (e.code()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT, IN_USE, LIMIT -> 409;
        };
        List<Problem> problems =
                e.field() == null ? List.of() : List.of(new Problem(e.code(), "$." + e.field(), e.getMessage()));
        return new ApiException(status, e.getMessage(), problems);
    }

    static ApiException methodNotAllowed(ApiExchange x, String allowed) {
        x.setHeader("Allow", allowed);
        return new ApiException(405, x.method() + " is not allowed here (allowed: " + allowed + ")");
    }
}
