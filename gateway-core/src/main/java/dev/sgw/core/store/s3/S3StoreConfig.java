package dev.sgw.core.store.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one bucket of an S3-compatible store (AWS S3, MinIO, Ceph RGW, OSS's S3 endpoint).
 *
 * <p>{@link #toString()} masks the secret key and the session token; nothing in this package logs them.
 *
 * @param endpoint               the service endpoint, e.g. {@code http://127.0.0.1:9000}; {@code null} for AWS,
 *                               where the region picks the endpoint
 * @param region                 the signing region ({@code us-east-1} for most non-AWS stores)
 * @param bucket                 the bucket every key lives in
 * @param accessKeyId            the access key id
 * @param secretAccessKey        the secret key; never logged
 * @param sessionToken           a temporary session token, or {@code null}; never logged
 * @param pathStyleAccess        {@code true} for {@code endpoint/bucket/key} URLs (MinIO, Ceph, S3Proxy, IP
 *                               addresses); {@code false} for virtual-hosted {@code bucket.endpoint/key}
 * @param maxConnections         the size of the HTTP connection pool
 * @param connectTimeout         how long to wait for a TCP connection
 * @param socketTimeout          how long a read or write on an open connection may stall
 * @param uploadChecksum         how the bytes of an upload are protected on the way to the store
 * @param multipartCopyThreshold copies of larger objects (and copies with a precondition) go through a
 *                               multipart copy; S3 copies at most 5 GiB in one request
 * @param multipartCopyPartSize  the part size of a multipart copy (5 MiB .. 5 GiB)
 */
public record S3StoreConfig(
        URI endpoint,
        String region,
        String bucket,
        String accessKeyId,
        String secretAccessKey,
        String sessionToken,
        boolean pathStyleAccess,
        int maxConnections,
        Duration connectTimeout,
        Duration socketTimeout,
        UploadChecksum uploadChecksum,
        long multipartCopyThreshold,
        long multipartCopyPartSize) {

    /** The largest object S3 copies in one CopyObject request, and the largest part. */
    public static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    /** The smallest part S3 accepts other than the last. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    /**
     * How the bytes of a put or an uploaded part are protected in transit; the store checks the checksum
     * and rejects the request on a mismatch. (The CRC64 sgw records in {@code sgw-crc64} is not checked by
     * an S3 store; it protects the download.)
     */
    public enum UploadChecksum {
        /**
         * The SDK's flexible checksum: a CRC32 of the body, sent as a trailer of an {@code aws-chunked}
         * body. Works with AWS S3, current MinIO and Ceph, and S3Proxy 4.1 (which checks it).
         */
        FLEXIBLE_CRC32,
        /**
         * A {@code Content-MD5} header computed by sgw (one extra pass over the body), plain bodies without
         * {@code aws-chunked}: for stores that reject flexible checksums or chunked uploads. Every
         * S3-compatible store checks it.
         */
        CONTENT_MD5
    }

    public S3StoreConfig {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        Objects.requireNonNull(uploadChecksum, "uploadChecksum");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("empty bucket name");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
        if (multipartCopyThreshold < 0 || multipartCopyThreshold > MAX_SINGLE_COPY) {
            throw new IllegalArgumentException("multipartCopyThreshold must be 0..5 GiB: " + multipartCopyThreshold);
        }
        if (multipartCopyPartSize < MIN_PART_SIZE || multipartCopyPartSize > MAX_SINGLE_COPY) {
            throw new IllegalArgumentException("multipartCopyPartSize must be 5 MiB..5 GiB: " + multipartCopyPartSize);
        }
    }

    /** A builder with the defaults: region us-east-1, virtual-hosted URLs, 64 connections, CRC32 uploads. */
    public static Builder builder(String bucket, String accessKeyId, String secretAccessKey) {
        return new Builder(bucket, accessKeyId, secretAccessKey);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(bucket, accessKeyId, secretAccessKey)
                .endpoint(endpoint)
                .region(region)
                .sessionToken(sessionToken)
                .pathStyleAccess(pathStyleAccess)
                .maxConnections(maxConnections)
                .connectTimeout(connectTimeout)
                .socketTimeout(socketTimeout)
                .uploadChecksum(uploadChecksum)
                .multipartCopy(multipartCopyThreshold, multipartCopyPartSize);
    }

    @Override
    public String toString() {
        return "S3StoreConfig[endpoint=" + (endpoint == null ? "(AWS)" : endpoint)
                + ", region=" + region
                + ", bucket=" + bucket
                + ", accessKeyId=" + accessKeyId
                + ", secretAccessKey=****"
                + ", sessionToken=" + (sessionToken == null ? "none" : "****")
                + ", pathStyleAccess=" + pathStyleAccess
                + ", maxConnections=" + maxConnections
                + ", connectTimeout=" + connectTimeout
                + ", socketTimeout=" + socketTimeout
                + ", uploadChecksum=" + uploadChecksum
                + ", multipartCopyThreshold=" + multipartCopyThreshold
                + ", multipartCopyPartSize=" + multipartCopyPartSize + "]";
    }

    /** Builds an {@link S3StoreConfig}; every setting but the bucket and credentials has a default. */
    public static final class Builder {
        private final String bucket;
        private final String accessKeyId;
        private final String secretAccessKey;
        private URI endpoint;
        private String region = "us-east-1";
        private String sessionToken;
        private boolean pathStyleAccess;
        private int maxConnections = 64;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration socketTimeout = Duration.ofSeconds(30);
        private UploadChecksum uploadChecksum = UploadChecksum.FLEXIBLE_CRC32;
        private long multipartCopyThreshold = MAX_SINGLE_COPY;
        private long multipartCopyPartSize = 1024L * 1024 * 1024;

        private Builder(String bucket, String accessKeyId, String secretAccessKey) {
            this.bucket = bucket;
            this.accessKeyId = accessKeyId;
            this.secretAccessKey = secretAccessKey;
        }

        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder sessionToken(String sessionToken) {
            this.sessionToken = sessionToken;
            return this;
        }

        public Builder pathStyleAccess(boolean pathStyleAccess) {
            this.pathStyleAccess = pathStyleAccess;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
            return this;
        }

        public Builder uploadChecksum(UploadChecksum uploadChecksum) {
            this.uploadChecksum = uploadChecksum;
            return this;
        }

        public Builder multipartCopy(long threshold, long partSize) {
            this.multipartCopyThreshold = threshold;
            this.multipartCopyPartSize = partSize;
            return this;
        }

        public S3StoreConfig build() {
            return new S3StoreConfig(
                    endpoint,
                    region,
                    bucket,
                    accessKeyId,
                    secretAccessKey,
                    sessionToken,
                    pathStyleAccess,
                    maxConnections,
                    connectTimeout,
                    socketTimeout,
                    uploadChecksum,
                    multipartCopyThreshold,
                    multipartCopyPartSize);
        }
    }
}
