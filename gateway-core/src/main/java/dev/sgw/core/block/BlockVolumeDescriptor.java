package dev.sgw.core.block;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;

/**
 * What {@code <volume>/volume.json} says about a block volume, so that it can be recovered from the
 * bucket alone. The JSON is part of the public bucket layout:
 *
 * <pre>
 * {"formatVersion":1,"capacity":1073741824,"blockSize":512,"chunkSize":1048576,
 *  "created":"2026-05-01T10:15:00Z","encryption":null}
 * </pre>
 *
 * <p>A reader accepts unknown fields (a later version may add some) but refuses a format version newer
 * than {@link #FORMAT_VERSION}. {@code encryption} holds the client-side encryption parameters of the
 * volume; {@code null} means unencrypted (the only kind this version writes or opens).
 *
 * @param formatVersion the chunk layout's version
 * @param capacity      bytes
 * @param blockSize     512 or 4096
 * @param chunkSize     bytes per chunk object
 * @param created       when the volume was created
 * @param encryption    encryption parameters, or {@code null}
 */
public record BlockVolumeDescriptor(
        int formatVersion,
        long capacity,
        int blockSize,
        int chunkSize,
        Instant created,
        Map<String, String> encryption) {

    /** The version this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    public BlockVolumeDescriptor {
        Objects.requireNonNull(created, "created");
        encryption = encryption == null ? null : Map.copyOf(encryption);
    }

    /** The descriptor of a new volume made from {@code config}. */
    public static BlockVolumeDescriptor of(BlockVolumeConfig config, Instant created) {
        return new BlockVolumeDescriptor(
                FORMAT_VERSION, config.capacity(), config.blockSize(), config.chunkSize(), created, null);
    }

    /** This descriptor with {@code bytes} as the capacity (a grown volume). */
    public BlockVolumeDescriptor withCapacity(long bytes) {
        return new BlockVolumeDescriptor(formatVersion, bytes, blockSize, chunkSize, created, encryption);
    }

    /** The JSON document, UTF-8. */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", formatVersion);
        root.put("capacity", capacity);
        root.put("blockSize", blockSize);
        root.put("chunkSize", chunkSize);
        root.put("created", created.toString());
        if (encryption == null) {
            root.putNull("encryption");
        } else {
            ObjectNode e = root.putObject("encryption");
            new TreeMap<>(encryption).forEach(e::put);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Parses a descriptor.
     *
     * @throws VolumeException {@link VolumeError#IO} if it is not a valid descriptor, {@link VolumeError#NOTSUPP}
     *                         if its format version is newer than this code knows
     */
    public static BlockVolumeDescriptor fromJson(String volume, byte[] json) throws VolumeException {
        try {
            JsonNode root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            int version = requiredInt(root, "formatVersion");
            if (version > FORMAT_VERSION || version < 1) {
                throw new VolumeException(
                        VolumeError.NOTSUPP,
                        "volume " + volume + " has format version " + version + "; this gateway reads versions 1 to "
                                + FORMAT_VERSION);
            }
            JsonNode enc = root.get("encryption");
            Map<String, String> encryption = null;
            if (enc != null && !enc.isNull()) {
                encryption = new TreeMap<>();
                for (Map.Entry<String, JsonNode> field : enc.properties()) {
                    encryption.put(field.getKey(), field.getValue().asText());
                }
            }
            JsonNode created = root.get("created");
            if (created == null || !created.isTextual()) {
                throw new IllegalArgumentException("missing 'created'");
            }
            return new BlockVolumeDescriptor(
                    version,
                    requiredLong(root, "capacity"),
                    requiredInt(root, "blockSize"),
                    requiredInt(root, "chunkSize"),
                    Instant.parse(created.asText()),
                    encryption);
        } catch (JsonProcessingException | IllegalArgumentException | DateTimeParseException bad) {
            throw new VolumeException(
                    VolumeError.IO, "volume " + volume + ": unreadable volume.json: " + bad.getMessage(), bad);
        }
    }

    private static long requiredLong(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.canConvertToLong()) {
            throw new IllegalArgumentException("missing or non-integer '" + field + "'");
        }
        return n.asLong();
    }

    private static int requiredInt(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.canConvertToInt()) {
            throw new IllegalArgumentException("missing or non-integer '" + field + "'");
        }
        return n.asInt();
    }
}
