package dev.sgw.core.store.oss;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OSS signature version 1, as the server checks it: {@code Authorization: OSS <AccessKeyId>:<Signature>},
 * where the signature is Base64(HMAC-SHA1(secret, StringToSign)) and
 *
 * <pre>
 * StringToSign = VERB + "\n" + Content-MD5 + "\n" + Content-Type + "\n" + Date + "\n"
 *              + CanonicalizedOSSHeaders + CanonicalizedResource
 * CanonicalizedOSSHeaders = for each x-oss-* header, by lower-case name: name + ":" + trimmed value + "\n"
 * CanonicalizedResource   = "/" + bucket + "/" + key (not URL-encoded), or "/" + bucket + "/" for the bucket,
 *                           then the signed sub-resources of the query, sorted by name:
 *                           "?" name[=value] joined by "&amp;" (values decoded)
 * </pre>
 *
 * <p>The sub-resources that are signed are OSS's fixed list ({@link #SIGNED_SUB_RESOURCES}); other query
 * parameters ({@code prefix}, {@code max-keys}, {@code list-type}, ...) are not.
 */
final class OssV1Signature {

    /** The query parameters OSS V1 includes in the canonicalized resource. */
    static final Set<String> SIGNED_SUB_RESOURCES = Set.of(
            "acl",
            "uploads",
            "location",
            "cors",
            "logging",
            "website",
            "referer",
            "lifecycle",
            "delete",
            "append",
            "tagging",
            "objectMeta",
            "uploadId",
            "partNumber",
            "security-token",
            "position",
            "img",
            "style",
            "styleName",
            "replication",
            "replicationProgress",
            "replicationLocation",
            "cname",
            "bucketInfo",
            "comp",
            "qos",
            "live",
            "status",
            "vod",
            "startTime",
            "endTime",
            "symlink",
            "x-oss-process",
            "response-content-type",
            "response-content-language",
            "response-expires",
            "response-cache-control",
            "response-content-disposition",
            "response-content-encoding",
            "restore",
            "stat",
            "continuation-token",
            "versioning",
            "versions",
            "versionId",
            "policy",
            "requestPayment",
            "x-oss-traffic-limit",
            "encryption",
            "worm",
            "wormId",
            "wormExtend",
            "inventory",
            "inventoryId",
            "callback",
            "callback-var",
            "sequential",
            "x-oss-request-payer",
            "x-oss-async-process");

    private OssV1Signature() {}

    /**
     * The string to sign.
     *
     * @param verb     the HTTP method
     * @param headers  request headers, any case, first value of each
     * @param bucket   the bucket (null for service-level requests)
     * @param key      the decoded object key, "" for bucket requests
     * @param query    decoded query parameters; a parameter without "=" has a null value
     */
    static String stringToSign(
            String verb, Map<String, String> headers, String bucket, String key, Map<String, String> query) {
        TreeMap<String, String> lower = new TreeMap<>();
        headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value == null ? "" : value.trim()));
        StringBuilder s = new StringBuilder();
        s.append(verb).append('\n');
        s.append(lower.getOrDefault("content-md5", "")).append('\n');
        s.append(lower.getOrDefault("content-type", "")).append('\n');
        s.append(lower.getOrDefault("date", "")).append('\n');
        for (Map.Entry<String, String> header : lower.entrySet()) {
            if (header.getKey().startsWith("x-oss-")) {
                s.append(header.getKey()).append(':').append(header.getValue()).append('\n');
            }
        }
        s.append('/');
        if (bucket != null) {
            s.append(bucket).append('/').append(key);
        }
        char separator = '?';
        for (Map.Entry<String, String> parameter : new TreeMap<>(query).entrySet()) {
            if (!SIGNED_SUB_RESOURCES.contains(parameter.getKey())) {
                continue;
            }
            s.append(separator).append(parameter.getKey());
            if (parameter.getValue() != null) {
                s.append('=').append(parameter.getValue());
            }
            separator = '&';
        }
        return s.toString();
    }

    /** Base64(HMAC-SHA1(secret, stringToSign)). */
    static String signature(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares two signatures in constant time. */
    static boolean matches(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
