package dev.sgw.core.manage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sgw.core.volume.VolumeMode;

/**
 * The JSON shape of the model, shared by the state file and the config file. The two differ only in ids
 * and secrets:
 *
 * <pre>
 * field                           state file ({@link Form#STATE})     config file ({@link Form#CONFIG})
 * ------------------------------  ----------------------------------  ---------------------------------
 * nextId, shares' and volumes' id  present                             absent (assigned on apply)
 * resources[].secretAccessKey      sealed:v1:... (AES-256-GCM)         clear text
 * smbUsers[].ntHash / .password    ntHash, sealed                      password, clear text (hashed on load)
 * iscsiVolumes[].chap.secret,
 *                 .mutualSecret     sealed                              clear text
 * </pre>
 *
 * Field names are the record component names; durations are whole seconds ({@code uploadDelaySeconds}),
 * sizes bytes; enums are their constant names (any case). Client rules are {@code {"match": "10.0.0.0/8",
 * "access": "rw"|"ro"}}. A field a file lacks takes its default, so files written before a field existed
 * read as they did; the SMB access fields:
 *
 * <pre>
 * field                          type               default           meaning
 * -----------------------------  -----------------  ----------------  ------------------------------------
 * smbShares[].allowedUsers       array of names     []                who may connect
 * smbShares[].readOnlyUsers      array of names     []                allowed users who may only read
 * smbShares[].browseable         boolean            true              listed by share enumeration
 * smbShares[].encryptData        boolean            false             every request must be encrypted
 * smbShares[].caseSensitive      boolean            false             names exact (false: found without case)
 * smbUsers[].enabled             boolean            true              false: logons and tree connects refused
 * smbUsers[].uid, .gid           whole number       absent            the ids the user acts as; absent: the
 *                                                                     share's ownerUid/ownerGid (written only
 *                                                                     when set)
 * </pre>
 */
final class StateJson {
    static final int FORMAT = 1;

    enum Form {
        STATE,
        CONFIG,
        /**
         * The REST API's entities: written with ids and without any secret (not even sealed); read like the
         * config form (secrets in clear text) except that an {@code id} is accepted and ignored.
         */
        API
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final Form form;
    private final StateSealer sealer;
    private final Map<String, List<Integer>> keptIndices = new HashMap<>();

    /** {@code sealer} is needed for {@link Form#STATE} only. */
    StateJson(Form form, StateSealer sealer) {
        this.form = form;
        this.sealer = sealer;
    }

    // ---- writing (state form) ------------------------------------------------------------------

    ObjectNode write(GatewayState state) {
        ObjectNode root = JSON.objectNode();
        root.put("format", FORMAT);
        root.put("nextId", state.nextId());
        ArrayNode resources = root.putArray("resources");
        for (CloudResource r : state.resources()) {
            ObjectNode o = resources.addObject();
            o.put("name", r.name());
            o.put("kind", r.kind().name());
            o.put("endpoint", r.endpoint() == null ? null : r.endpoint().toString());
            o.put("region", r.region());
            o.put("bucket", r.bucket());
            o.put("keyPrefix", r.keyPrefix());
            o.put("accessKeyId", r.accessKeyId());
            putSecret(o, "secretAccessKey", r.secretAccessKey(), "resources/" + r.name() + "/secretAccessKey");
            o.put("pathStyle", r.pathStyle());
        }
        ArrayNode disks = root.putArray("cacheDisks");
        for (CacheDiskConfig d : state.cacheDisks()) {
            disks.addObject()
                    .put("name", d.name())
                    .put("directory", d.directory().toString())
                    .put("capacityBytes", d.capacityBytes())
                    .put("chunkSize", d.chunkSize());
        }
        ArrayNode nfs = root.putArray("nfsShares");
        for (NfsShare s : state.nfsShares()) {
            ObjectNode o = nfs.addObject()
                    .put("id", s.id())
                    .put("path", s.path())
                    .put("mode", s.mode().name())
                    .put("resource", s.resource())
                    .put("prefix", s.prefix())
                    .put("cacheDisk", s.cacheDisk())
                    .put("userMapping", s.userMapping().name())
                    .put("anonUid", s.anonUid())
                    .put("anonGid", s.anonGid());
            ArrayNode clients = o.putArray("clients");
            for (ClientRule c : s.clients()) {
                clients.addObject().put("match", c.match()).put("access", c.readWrite() ? "rw" : "ro");
            }
            o.put("reverseSyncIntervalSeconds", s.reverseSyncIntervalSeconds())
                    .put("uploadDelaySeconds", s.uploadDelaySeconds())
                    .put("capacityBytes", s.capacityBytes());
        }
        ArrayNode smb = root.putArray("smbShares");
        for (SmbShare s : state.smbShares()) {
            ObjectNode o = smb.addObject()
                    .put("id", s.id())
                    .put("name", s.name())
                    .put("mode", s.mode().name())
                    .put("resource", s.resource())
                    .put("prefix", s.prefix())
                    .put("cacheDisk", s.cacheDisk())
                    .put("ownerUid", s.ownerUid())
                    .put("ownerGid", s.ownerGid())
                    .put("reverseSyncIntervalSeconds", s.reverseSyncIntervalSeconds())
                    .put("uploadDelaySeconds", s.uploadDelaySeconds());
            ArrayNode users = o.putArray("allowedUsers");
            s.allowedUsers().forEach(users::add);
            ArrayNode readOnly = o.putArray("readOnlyUsers");
            s.readOnlyUsers().forEach(readOnly::add);
            o.put("capacityBytes", s.capacityBytes())
                    .put("browseable", s.browseable())
                    .put("encryptData", s.encryptData())
                    .put("caseSensitive", s.caseSensitive());
        }
        ArrayNode users = root.putArray("smbUsers");
        for (SmbUser u : state.smbUsers()) {
            ObjectNode o = users.addObject().put("name", u.name());
            if (form == Form.STATE) {
                o.put("ntHash", sealer.seal(u.ntHash().bytes(), userLabel(u.name())));
            }
            o.put("enabled", u.enabled());
            if (u.uid() != null) {
                o.put("uid", u.uid());
            }
            if (u.gid() != null) {
                o.put("gid", u.gid());
            }
        }
        ArrayNode volumes = root.putArray("iscsiVolumes");
        for (IscsiVolume v : state.iscsiVolumes()) {
            ObjectNode o = volumes.addObject()
                    .put("id", v.id())
                    .put("name", v.name())
                    .put("recover", v.recover())
                    .put("capacityBytes", v.capacityBytes())
                    .put("blockSize", v.blockSize())
                    .put("chunkSize", v.chunkSize())
                    .put("resource", v.resource())
                    .put("enabled", v.enabled())
                    .put("mode", v.mode().name())
                    .put("cacheDisk", v.cacheDisk())
                    .put("allowMultipleInitiators", v.allowMultipleInitiators());
            if (v.chap() != null) {
                ChapCredentials c = v.chap();
                ObjectNode chap = o.putObject("chap").put("user", c.user());
                putSecret(chap, "secret", c.secret(), chapLabel(v.name(), "secret"));
                if (c.isMutual()) {
                    chap.put("mutualUser", c.mutualUser());
                    putSecret(chap, "mutualSecret", c.mutualSecret(), chapLabel(v.name(), "mutualSecret"));
                }
            }
        }
        return root;
    }

    /** A secret field: sealed in the state form, left out of the API form. */
    private void putSecret(ObjectNode o, String field, Secret secret, String label) {
        if (form == Form.STATE) {
            o.put(field, secret == null ? null : sealer.seal(secret.reveal().getBytes(StandardCharsets.UTF_8), label));
        }
    }

    private static String userLabel(String name) {
        return "smbUsers/" + SmbNames.key(name) + "/ntHash";
    }

    private static String chapLabel(String volume, String field) {
        return "iscsiVolumes/" + volume + "/chap/" + field;
    }

    /** For each list read, the indices in the file of the elements kept (those without problems). */
    Map<String, List<Integer>> keptIndices() {
        return keptIndices;
    }

    // ---- reading -------------------------------------------------------------------------------

    /**
     * The state described by {@code root}; every broken rule of the JSON and of the records is added to
     * {@code problems} (the cross-entity rules are not checked here).
     */
    GatewayState read(JsonNode root, List<Problem> problems) {
        JsonFields top = new JsonFields(root, "$", problems);
        long format = top.number("format", FORMAT);
        if (format != FORMAT) {
            top.fail("$.format", "must be " + FORMAT + " (this gateway reads format " + FORMAT + "), got " + format);
        }
        int nextId = 1;
        if (form == Form.STATE) {
            nextId = top.intNumber("nextId", 1);
            if (nextId < 1) {
                top.fail("$.nextId", "must be positive");
                nextId = 1;
            }
        }
        List<CloudResource> resources = list(top, "resources", this::resource);
        List<CacheDiskConfig> disks = list(top, "cacheDisks", this::cacheDisk);
        List<NfsShare> nfs = list(top, "nfsShares", this::nfsShare);
        List<SmbShare> smb = list(top, "smbShares", f -> smbShare(f, resources, nfs));
        List<SmbUser> users = list(top, "smbUsers", this::smbUser);
        List<IscsiVolume> volumes = list(top, "iscsiVolumes", this::iscsiVolume);
        top.finish();
        return new GatewayState(nextId, resources, disks, nfs, smb, users, volumes);
    }

    /**
     * One entity of {@code kind} described by {@code node} (path {@code $}), or {@code null} with its
     * problems added; {@code context} gives what an SMB share's defaults are taken from (the resources and
     * NFS shares).
     */
    Object entity(EntityKind kind, JsonNode node, GatewayState context, List<Problem> problems) {
        JsonFields f = new JsonFields(node, "$", problems);
        Object item = null;
        if (f.ok()) {
            try {
                item = switch (kind) {
                    case RESOURCE -> resource(f);
                    case CACHE_DISK -> cacheDisk(f);
                    case SMB_USER -> smbUser(f);
                    case NFS_SHARE -> nfsShare(f);
                    case SMB_SHARE -> smbShare(f, context.resources(), context.nfsShares());
                    case ISCSI_VOLUME -> iscsiVolume(f);
                };
            } catch (ManagementException e) {
                f.failed(e);
            }
            f.finish();
        }
        return f.ok() ? item : null;
    }

    /** Reads each element; an element with a problem is left out (its problem is recorded). */
    private <T> List<T> list(JsonFields top, String field, Function<JsonFields, T> reader) {
        List<T> out = new ArrayList<>();
        List<JsonNode> items = top.array(field);
        List<Integer> kept = new ArrayList<>();
        keptIndices.put(field, kept);
        for (int i = 0; i < items.size(); i++) {
            JsonFields f = new JsonFields(items.get(i), "$." + field + "[" + i + "]", top.problems());
            T item = null;
            if (f.ok()) {
                try {
                    item = reader.apply(f);
                } catch (ManagementException e) {
                    f.failed(e);
                }
                f.finish();
            }
            if (item != null && f.ok()) {
                out.add(item);
                kept.add(i);
            }
        }
        return out;
    }

    private CloudResource resource(JsonFields f) {
        String name = f.text("name");
        BackendKind kind = f.choice("kind", BackendKind.class, null);
        URI endpoint = null;
        String ep = f.text("endpoint");
        if (ep != null && !ep.isEmpty()) {
            try {
                endpoint = new URI(ep);
            } catch (URISyntaxException e) {
                f.fail(f.path() + ".endpoint", "must be a URL, such as https://oss-cn-hangzhou.aliyuncs.com");
            }
        }
        String region = f.text("region");
        String bucket = f.text("bucket");
        String keyPrefix = f.text("keyPrefix");
        String accessKeyId = f.text("accessKeyId");
        Secret secret = secret(f, "secretAccessKey", "resources/" + name + "/secretAccessKey");
        boolean pathStyle = f.bool("pathStyle", false);
        return f.ok()
                ? new CloudResource(name, kind, endpoint, region, bucket, keyPrefix, accessKeyId, secret, pathStyle)
                : null;
    }

    private CacheDiskConfig cacheDisk(JsonFields f) {
        String name = f.text("name");
        String dir = f.text("directory");
        Path directory = null;
        if (dir != null) {
            try {
                directory = Path.of(dir);
            } catch (InvalidPathException e) {
                f.fail(f.path() + ".directory", "is not a valid path");
            }
        }
        long capacity = f.number("capacityBytes", 0);
        int chunk = f.intNumber("chunkSize", CacheDiskConfig.DEFAULT_CHUNK_SIZE);
        return f.ok() ? new CacheDiskConfig(name, directory, capacity, chunk) : null;
    }

    private int id(JsonFields f) {
        return form == Form.CONFIG ? 0 : f.intNumber("id", 0);
    }

    private NfsShare nfsShare(JsonFields f) {
        int id = id(f);
        NfsShare.Builder b = NfsShare.builder(f.text("path"))
                .mode(f.choice("mode", VolumeMode.class, VolumeMode.CACHE))
                .resource(f.text("resource"))
                .prefix(f.text("prefix"))
                .cacheDisk(f.text("cacheDisk"))
                .userMapping(f.choice("userMapping", UserMapping.class, UserMapping.ROOT_SQUASH))
                .anonUid(f.intNumber("anonUid", NfsShare.NOBODY))
                .anonGid(f.intNumber("anonGid", NfsShare.NOBODY))
                .reverseSyncIntervalSeconds(f.number("reverseSyncIntervalSeconds", 0))
                .uploadDelaySeconds(f.intNumber("uploadDelaySeconds", NfsShare.DEFAULT_UPLOAD_DELAY_SECONDS))
                .capacityBytes(f.number("capacityBytes", NfsShare.DEFAULT_CAPACITY));
        List<ClientRule> clients = new ArrayList<>();
        List<JsonNode> items = f.array("clients");
        for (int i = 0; i < items.size(); i++) {
            JsonFields c = new JsonFields(items.get(i), f.path() + ".clients[" + i + "]", f.problems());
            if (c.ok()) {
                String match = c.text("match");
                String access = c.text("access");
                boolean rw = access == null || access.equalsIgnoreCase("rw");
                if (access != null && !rw && !access.equalsIgnoreCase("ro")) {
                    c.fail(c.path() + ".access", "must be rw or ro, got '" + FieldRules.printable(access) + "'");
                }
                if (c.ok()) {
                    try {
                        clients.add(new ClientRule(match, rw));
                    } catch (ManagementException e) {
                        c.failed(e);
                    }
                }
                c.finish();
            }
            f.include(c);
        }
        b.clients(clients);
        return f.ok() ? b.build().withId(id) : null;
    }

    /**
     * An SMB share. Files written before SMB shares had {@code capacityBytes}, {@code ownerUid} and
     * {@code ownerGid} lack them: a missing one is taken from the NFS share on the same bucket location
     * (the one volume both front ends had, sized and owned by the NFS share), else it is the default.
     */
    private SmbShare smbShare(JsonFields f, List<CloudResource> resources, List<NfsShare> nfs) {
        int id = id(f);
        List<String> users = names(f, "allowedUsers");
        List<String> readOnly = names(f, "readOnlyUsers");
        String name = f.text("name");
        String resource = f.text("resource");
        String prefix = f.text("prefix");
        Optional<NfsShare> sameLocation = nfsShareAt(resources, nfs, resource, prefix == null ? name + "/" : prefix);
        SmbShare.Builder b = SmbShare.builder(name)
                .mode(f.choice("mode", VolumeMode.class, VolumeMode.CACHE))
                .resource(resource)
                .prefix(prefix)
                .cacheDisk(f.text("cacheDisk"))
                .ownerUid(f.intNumber(
                        "ownerUid", sameLocation.map(NfsShare::anonUid).orElse(NfsShare.NOBODY)))
                .ownerGid(f.intNumber(
                        "ownerGid", sameLocation.map(NfsShare::anonGid).orElse(NfsShare.NOBODY)))
                .reverseSyncIntervalSeconds(f.number("reverseSyncIntervalSeconds", 0))
                .uploadDelaySeconds(f.intNumber("uploadDelaySeconds", NfsShare.DEFAULT_UPLOAD_DELAY_SECONDS))
                .allowedUsers(users)
                .readOnlyUsers(readOnly)
                .capacityBytes(f.number(
                        "capacityBytes",
                        sameLocation.map(NfsShare::capacityBytes).orElse(NfsShare.DEFAULT_CAPACITY)))
                .browseable(f.bool("browseable", true))
                .encryptData(f.bool("encryptData", false))
                .caseSensitive(f.bool("caseSensitive", false));
        return f.ok() ? b.build().withId(id) : null;
    }

    /** An array of user names (empty when absent); an element that is not a string is a problem. */
    private static List<String> names(JsonFields f, String field) {
        List<String> names = new ArrayList<>();
        List<JsonNode> items = f.array(field);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).isTextual()) {
                names.add(items.get(i).textValue());
            } else {
                f.fail(f.path() + "." + field + "[" + i + "]", "must be a user name");
            }
        }
        return names;
    }

    /** The NFS share whose location is {@code prefix} in {@code resource}'s bucket location, if any. */
    private static Optional<NfsShare> nfsShareAt(
            List<CloudResource> resources, List<NfsShare> nfs, String resource, String prefix) {
        Optional<CloudResource> at =
                resources.stream().filter(r -> r.name().equals(resource)).findFirst();
        if (at.isEmpty()) {
            return Optional.empty();
        }
        String key = at.get().keyPrefix() + prefix;
        return nfs.stream()
                .filter(n -> resources.stream()
                        .anyMatch(r -> r.name().equals(n.resource())
                                && r.sameBucket(at.get())
                                && (r.keyPrefix() + n.prefix()).equals(key)))
                .findFirst();
    }

    private SmbUser smbUser(JsonFields f) {
        String name = f.text("name");
        boolean enabled = f.bool("enabled", true);
        Integer uid = f.has("uid") ? f.intNumber("uid", 0) : null;
        Integer gid = f.has("gid") ? f.intNumber("gid", 0) : null;
        if (form != Form.STATE) {
            String password = f.text("password");
            if (password != null && password.startsWith(StateSealer.PREFIX)) {
                f.fail(
                        f.path() + ".password",
                        "is an encrypted value from a state file; give the password in clear text");
            }
            return f.ok()
                    ? SmbUser.withPassword(name, password).withEnabled(enabled).withIds(uid, gid)
                    : null;
        }
        String sealed = f.text("ntHash");
        if (sealed == null) {
            f.fail(f.path() + ".ntHash", "is required");
            return null;
        }
        try {
            byte[] hash = sealer.open(sealed, userLabel(name == null ? "" : name));
            if (hash.length != 16) {
                f.fail(f.path() + ".ntHash", "must hold 16 bytes");
                return null;
            }
            return f.ok() ? new SmbUser(name, NtHash.of(hash), enabled, uid, gid) : null;
        } catch (StateSealer.SealException e) {
            f.fail(f.path() + ".ntHash", "SMB user '" + name + "': ntHash " + e.getMessage());
            return null;
        }
    }

    private IscsiVolume iscsiVolume(JsonFields f) {
        int id = id(f);
        String name = f.text("name");
        IscsiVolume.Builder b = IscsiVolume.builder(name)
                .recover(f.bool("recover", false))
                .capacityBytes(f.number("capacityBytes", 0))
                .blockSize(f.intNumber("blockSize", 512))
                .chunkSize(f.intNumber("chunkSize", FieldRules.DEFAULT_CHUNK))
                .resource(f.text("resource"))
                .enabled(f.bool("enabled", true))
                .mode(f.choice("mode", VolumeMode.class, VolumeMode.CACHE))
                .cacheDisk(f.text("cacheDisk"))
                .allowMultipleInitiators(f.bool("allowMultipleInitiators", false));
        JsonFields c = f.object("chap");
        if (c != null && c.ok()) {
            String user = c.text("user");
            Secret secret = secret(c, "secret", chapLabel(String.valueOf(name), "secret"));
            String mutualUser = c.text("mutualUser");
            Secret mutualSecret = c.has("mutualSecret")
                    ? secret(c, "mutualSecret", chapLabel(String.valueOf(name), "mutualSecret"))
                    : null;
            if (c.ok()) {
                try {
                    b.chap(new ChapCredentials(user, secret, mutualUser, mutualSecret));
                } catch (ManagementException e) {
                    c.failed(e);
                }
            }
            c.finish();
            f.include(c);
        }
        return f.ok() ? b.build().withId(id) : null;
    }

    /** A secret field: sealed in the state form, clear text in the config form. */
    private Secret secret(JsonFields f, String field, String label) {
        String text = f.text(field);
        if (text == null) {
            return null;
        }
        if (form != Form.STATE) {
            if (text.startsWith(StateSealer.PREFIX)) {
                f.fail(
                        f.path() + "." + field,
                        "is an encrypted value from a state file; give the secret in clear text");
                return null;
            }
            return Secret.of(text);
        }
        try {
            return Secret.of(new String(sealer.open(text, label), StandardCharsets.UTF_8));
        } catch (StateSealer.SealException e) {
            f.fail(f.path() + "." + field, field + " " + e.getMessage());
            return null;
        }
    }

    static String describe(List<Problem> problems) {
        StringBuilder b = new StringBuilder();
        for (Problem p : problems) {
            b.append(String.format(Locale.ROOT, "%n  %s: %s", p.path(), p.message()));
        }
        return b.toString();
    }
}
