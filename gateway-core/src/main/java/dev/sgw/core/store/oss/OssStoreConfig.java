package dev.sgw.core.store.oss;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how {@link OssObjectStore} reaches an OSS bucket.
 *
 * <p>Secrets ({@code accessKeySecret}, {@code securityToken}) never appear in {@link #toString()}; the
 * access key id is shown only by its first four characters.
 *
 * @param endpoint               the OSS endpoint, {@code http://} or {@code https://}, without the bucket
 *                               (for example {@code https://oss-cn-hangzhou.aliyuncs.com})
 * @param bucket                 the bucket name
 * @param accessKeyId            the AccessKey id (of a RAM user, or of an STS session)
 * @param accessKeySecret        the AccessKey secret
 * @param securityToken          the STS security token, or {@code null} for long-lived keys; sent as
 *                               {@code x-oss-security-token} and signed with the request
 * @param region                 the region id (for example {@code cn-hangzhou}); when set, requests are
 *                               signed with OSS signature V4, otherwise with V1 (the SDK's default)
 * @param pathStyle              address the bucket in the path ({@code endpoint/bucket/key}) instead of the
 *                               host name ({@code bucket.endpoint/key}); needed for IP-address endpoints
 * @param maxConnections         the most connections the client keeps open to the endpoint
 * @param connectTimeout         how long to wait for a TCP connection
 * @param socketTimeout          how long a read may wait for bytes
 * @param requestTimeout         the longest a whole request may take
 * @param multipartCopyThreshold objects larger than this are copied part by part (UploadPartCopy);
 *                               OSS's CopyObject takes at most 1 GiB
 * @param copyPartSize           the part size of such a copy (raised when the object needs more than
 *                               10,000 parts)
 */
public record OssStoreConfig(
        URI endpoint,
        String bucket,
        String accessKeyId,
        String accessKeySecret,
        String securityToken,
        String region,
        boolean pathStyle,
        int maxConnections,
        Duration connectTimeout,
        Duration socketTimeout,
        Duration requestTimeout,
        long multipartCopyThreshold,
        long copyPartSize) {

    /** OSS's limit for a single-request CopyObject. */
    public static final long ONE_GIB = 1L << 30;

    public OssStoreConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("the OSS endpoint must be an http or https URL: " + endpoint);
        }
        if (endpoint.getHost() == null) {
            throw new IllegalArgumentException("the OSS endpoint has no host: " + endpoint);
        }
        requireText(bucket, "bucket");
        requireText(accessKeyId, "accessKeyId");
        requireText(accessKeySecret, "accessKeySecret");
        if (securityToken != null && securityToken.isBlank()) {
            securityToken = null;
        }
        if (region != null && region.isBlank()) {
            region = null;
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(socketTimeout, "socketTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        if (multipartCopyThreshold < 1 || multipartCopyThreshold > ONE_GIB) {
            throw new IllegalArgumentException("multipartCopyThreshold must be 1..1 GiB: " + multipartCopyThreshold);
        }
        if (copyPartSize < 100 * 1024 || copyPartSize > 5 * ONE_GIB) {
            throw new IllegalArgumentException("copyPartSize must be 100 KiB..5 GiB: " + copyPartSize);
        }
    }

    /**
     * A configuration with long-lived keys, host-style addressing, V1 signing and the defaults: 128
     * connections, 10 s to connect, 60 s per read, 10 min per request, copies beyond 1 GiB in 256 MiB parts.
     */
    public static OssStoreConfig of(URI endpoint, String bucket, String accessKeyId, String accessKeySecret) {
        return new OssStoreConfig(
                endpoint,
                bucket,
                accessKeyId,
                accessKeySecret,
                null,
                null,
                false,
                128,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                Duration.ofMinutes(10),
                ONE_GIB,
                256L << 20);
    }

    public OssStoreConfig withSecurityToken(String token) {
        return new OssStoreConfig(
                endpoint,
                bucket,
                accessKeyId,
                accessKeySecret,
                token,
                region,
                pathStyle,
                maxConnections,
                connectTimeout,
                socketTimeout,
                requestTimeout,
                multipartCopyThreshold,
                copyPartSize);
    }

    /** Signs with V4 for this region ({@code null}: V1). */
    public OssStoreConfig withRegion(String regionId) {
        return new OssStoreConfig(
                endpoint,
                bucket,
                accessKeyId,
                accessKeySecret,
                securityToken,
                regionId,
                pathStyle,
                maxConnections,
                connectTimeout,
                socketTimeout,
                requestTimeout,
                multipartCopyThreshold,
                copyPartSize);
    }

    public OssStoreConfig withPathStyle(boolean inPath) {
        return new OssStoreConfig(
                endpoint,
                bucket,
                accessKeyId,
                accessKeySecret,
                securityToken,
                region,
                inPath,
                maxConnections,
                connectTimeout,
                socketTimeout,
                requestTimeout,
                multipartCopyThreshold,
                copyPartSize);
    }

    public OssStoreConfig withConnections(int max, Duration connect, Duration socket, Duration request) {
        return new OssStoreConfig(
                endpoint,
                bucket,
                accessKeyId,
                accessKeySecret,
                securityToken,
                region,
                pathStyle,
                max,
                connect,
                socket,
                request,
                multipartCopyThreshold,
                copyPartSize);
    }

    public OssStoreConfig withMultipartCopy(long threshold, long partSize) {
        return new OssStoreConfig(
                endpoint,
                bucket,
                accessKeyId,
                accessKeySecret,
                securityToken,
                region,
                pathStyle,
                maxConnections,
                connectTimeout,
                socketTimeout,
                requestTimeout,
                threshold,
                partSize);
    }

    /** With another secret (and token), for tests of credential failures and for key rotation. */
    public OssStoreConfig withCredentials(String keyId, String secret, String token) {
        return new OssStoreConfig(
                endpoint,
                bucket,
                keyId,
                secret,
                token,
                region,
                pathStyle,
                maxConnections,
                connectTimeout,
                socketTimeout,
                requestTimeout,
                multipartCopyThreshold,
                copyPartSize);
    }

    @Override
    public String toString() {
        return "OssStoreConfig[endpoint=" + endpoint + ", bucket=" + bucket
                + ", accessKeyId=" + maskedKeyId()
                + ", accessKeySecret=****"
                + ", securityToken=" + (securityToken == null ? "none" : "****")
                + ", signing=" + (region == null ? "V1" : "V4/" + region)
                + ", pathStyle=" + pathStyle
                + ", maxConnections=" + maxConnections
                + ", connectTimeout=" + connectTimeout + ", socketTimeout=" + socketTimeout
                + ", requestTimeout=" + requestTimeout
                + ", multipartCopyThreshold=" + multipartCopyThreshold + ", copyPartSize=" + copyPartSize + "]";
    }

    private String maskedKeyId() {
        return accessKeyId.length() <= 4 ? "****" : accessKeyId.substring(0, 4) + "****";
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
