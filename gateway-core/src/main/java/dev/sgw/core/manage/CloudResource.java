package dev.sgw.core.manage;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A bucket the gateway may use: a backend kind, where it is, and the credentials to reach it. Shares
 * and volumes name it and store their objects under {@code keyPrefix}. {@code toString()} masks the
 * secret key.
 *
 * @param name            unique name ({@link FieldRules#NAME})
 * @param kind            the backend
 * @param endpoint        http(s) endpoint without user info, path or query; required for OSS, optional for
 *                        S3 (absent: AWS, picked by region), ignored for MEMORY (may be {@code null})
 * @param region          the signing region, or {@code null}; required for S3 without an endpoint
 * @param bucket          3-63 characters of lower-case letters, digits, '.' and '-'
 * @param keyPrefix       prefix of every key the gateway writes: empty or ending in '/'
 * @param accessKeyId     required for OSS and S3 (empty for MEMORY)
 * @param secretAccessKey required for OSS and S3 (empty for MEMORY); encrypted at rest, masked in logs
 * @param pathStyle       S3 only: {@code endpoint/bucket/key} URLs instead of {@code bucket.endpoint/key}
 */
public record CloudResource(
        String name,
        BackendKind kind,
        URI endpoint,
        String region,
        String bucket,
        String keyPrefix,
        String accessKeyId,
        Secret secretAccessKey,
        boolean pathStyle) {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern KEY_ID = Pattern.compile("[\\x21-\\x7e]{1,256}");

    public CloudResource {
        String entity = "resource '" + FieldRules.printable(String.valueOf(name)) + "'";
        FieldRules.matches(entity, "name", name, FieldRules.NAME, FieldRules.NAME_RULE);
        entity = "resource '" + name + "'";
        FieldRules.required(entity, "kind", kind);
        keyPrefix = FieldRules.prefix(entity, "keyPrefix", keyPrefix == null ? "" : keyPrefix);
        FieldRules.matches(
                entity,
                "bucket",
                bucket,
                BUCKET,
                "must be 3-63 characters of lower-case letters, digits, '.' and '-', starting and ending with a letter or digit");
        if (region != null && region.isEmpty()) {
            region = null;
        }
        if (region != null) {
            FieldRules.matches(entity, "region", region, REGION, "must be lower-case letters, digits and '-'");
        }
        if (endpoint != null) {
            checkEndpoint(entity, endpoint);
        }
        accessKeyId = accessKeyId == null ? "" : accessKeyId;
        secretAccessKey = secretAccessKey == null ? Secret.of("") : secretAccessKey;
        if (kind != BackendKind.MEMORY) {
            if (kind == BackendKind.OSS) {
                FieldRules.required(entity, "endpoint", endpoint);
            } else if (endpoint == null && region == null) {
                throw FieldRules.invalid(entity, "region", "is required for S3 without an endpoint (AWS)");
            }
            FieldRules.matches(
                    entity, "accessKeyId", accessKeyId, KEY_ID, "must be 1-256 printable characters without spaces");
            if (secretAccessKey.isEmpty()) {
                throw FieldRules.invalid(entity, "secretAccessKey", "is required");
            }
        }
        if (secretAccessKey.length() > 1024) {
            throw FieldRules.invalid(entity, "secretAccessKey", "must be at most 1024 characters");
        }
        if (pathStyle && kind != BackendKind.S3) {
            throw FieldRules.invalid(entity, "pathStyle", "applies to S3 only");
        }
    }

    private static void checkEndpoint(String entity, URI endpoint) {
        String scheme = endpoint.getScheme();
        if (!endpoint.isAbsolute()
                || !("http".equals(scheme) || "https".equals(scheme))
                || endpoint.getHost() == null) {
            throw FieldRules.invalid(
                    entity,
                    "endpoint",
                    "must be an http:// or https:// URL with a host, got '" + FieldRules.printable(endpoint.toString())
                            + "'");
        }
        if (endpoint.getRawUserInfo() != null) {
            // never echo it: user info may hold credentials
            throw FieldRules.invalid(
                    entity,
                    "endpoint",
                    "must not carry user info; give credentials in accessKeyId and secretAccessKey");
        }
        String path = endpoint.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/"))
                || endpoint.getRawQuery() != null
                || endpoint.getRawFragment() != null) {
            throw FieldRules.invalid(
                    entity,
                    "endpoint",
                    "must not have a path, query or fragment, got '" + FieldRules.printable(endpoint.toString()) + "'");
        }
    }

    /** Whether another resource points at the same bucket of the same store. */
    boolean sameBucket(CloudResource other) {
        return kind == other.kind
                && Objects.equals(endpoint, other.endpoint)
                && bucket.equals(other.bucket)
                && (kind != BackendKind.MEMORY || name.equals(other.name));
    }
}
