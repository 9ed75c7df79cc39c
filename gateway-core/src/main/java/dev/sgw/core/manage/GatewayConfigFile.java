package dev.sgw.core.manage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The file given to {@code sgw serve --config FILE}: JSON with the shape of the model (see
 * {@link StateJson} for the fields), secrets in clear text (SMB users give a {@code password}, hashed on
 * load; nothing clear is ever written back). Example:
 *
 * <pre>
 * {
 *   "resources":  [{"name": "oss1", "kind": "OSS", "endpoint": "https://oss-cn-hangzhou.aliyuncs.com",
 *                   "bucket": "my-bucket", "accessKeyId": "LTAI...", "secretAccessKey": "..."}],
 *   "cacheDisks": [{"name": "ssd", "directory": "/var/cache/sgw", "capacityBytes": 107374182400}],
 *   "nfsShares":  [{"path": "/demo", "mode": "CACHE", "resource": "oss1", "cacheDisk": "ssd",
 *                   "clients": [{"match": "10.0.0.0/8", "access": "rw"}]}],
 *   "smbShares":  [{"name": "demo", "mode": "CACHE", "resource": "oss1", "cacheDisk": "ssd",
 *                   "allowedUsers": ["alice"]},
 *                  {"name": "scans", "mode": "CACHE", "resource": "oss1", "cacheDisk": "ssd",
 *                   "capacityBytes": 1099511627776, "ownerUid": 1000, "ownerGid": 1000,
 *                   "allowedUsers": ["alice", "bob"], "readOnlyUsers": ["bob"],
 *                   "browseable": false, "encryptData": true}],
 *   "smbUsers":   [{"name": "alice", "password": "...", "uid": 1001, "gid": 1000},
 *                  {"name": "bob", "password": "...", "enabled": false}],
 *   "iscsiVolumes": [{"name": "vol1", "capacityBytes": 10737418240, "resource": "oss1", "cacheDisk": "ssd",
 *                     "chap": {"user": "initiator", "secret": "twelve-chars"}}]
 * }
 * </pre>
 *
 * <p>An SMB share that gives no {@code capacityBytes}, {@code ownerUid} or {@code ownerGid} takes the one
 * of the NFS share on its location (they are one volume), or the default (256 TiB, 65534) when it has the
 * location to itself; given values that contradict the NFS share's are refused.
 *
 * <p>Comments ({@code //} to the end of the line, {@code /* ... *\/}) are allowed.
 *
 * <p>{@link #load} checks everything (JSON types, unknown fields, every record rule and every
 * cross-entity rule) and reports all problems at once, each with its JSON path. Applied by
 * {@link ManagementService#apply}, the file wins: the state becomes exactly what it describes, and
 * entities missing from it are deleted.
 */
public final class GatewayConfigFile {
    /** The state file's reader, also taking {@code //} and block comments (the packaged starter file has them). */
    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();

    private static final Pattern ELEMENT = Pattern.compile("^\\$\\.(\\w+)\\[(\\d+)\\]");
    private final Path path;
    private final GatewayState entities;

    private GatewayConfigFile(Path path, GatewayState entities) {
        this.path = path;
        this.entities = entities;
    }

    /** Loads and checks {@code path}; a {@link ConfigFileException} lists every problem. */
    public static GatewayConfigFile load(Path path) throws IOException {
        return parse(Files.readAllBytes(path), path);
    }

    static GatewayConfigFile parse(byte[] json, Path path) throws ConfigFileException {
        JsonNode root;
        try {
            root = READER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigFileException(
                    path,
                    List.of(new Problem(
                            ManagementException.Code.INVALID,
                            "$",
                            "not valid JSON" + where + " (" + e.getOriginalMessage() + ")")));
        } catch (IOException e) {
            throw new ConfigFileException(
                    path, List.of(new Problem(ManagementException.Code.INVALID, "$", e.getMessage())));
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigFileException(
                    path, List.of(new Problem(ManagementException.Code.INVALID, "$", "the file is empty")));
        }
        List<Problem> problems = new ArrayList<>();
        StateJson reader = new StateJson(StateJson.Form.CONFIG, null);
        GatewayState entities = reader.read(root, problems);
        for (Problem p : StateRules.check(entities)) {
            problems.add(new Problem(p.code(), originalPath(p.path(), reader.keptIndices()), p.message()));
        }
        if (!problems.isEmpty()) {
            throw new ConfigFileException(path, problems);
        }
        return new GatewayConfigFile(path, entities);
    }

    /** A path into the checked lists, turned into one into the file (entities with problems were left out). */
    private static String originalPath(String p, Map<String, List<Integer>> kept) {
        Matcher m = ELEMENT.matcher(p);
        if (!m.find() || !kept.containsKey(m.group(1))) {
            return p;
        }
        int original = kept.get(m.group(1)).get(Integer.parseInt(m.group(2)));
        return "$." + m.group(1) + "[" + original + "]" + p.substring(m.end());
    }

    public Path path() {
        return path;
    }

    /** What the file describes (ids are 0: the management service assigns them). */
    public GatewayState entities() {
        return entities;
    }
}
