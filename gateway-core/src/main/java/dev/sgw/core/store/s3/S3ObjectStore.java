package dev.sgw.core.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

import dev.sgw.core.store.ByteRange;
import dev.sgw.core.store.CheckedBodyStream;
import dev.sgw.core.store.Crc64;
import dev.sgw.core.store.ListPage;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.MultipartPart;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectContent;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectStoreException.Code;
import dev.sgw.core.store.ObjectWritten;
import dev.sgw.core.store.PendingUpload;
import dev.sgw.core.store.Precondition;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.store.UnverifiedReads;
import dev.sgw.core.store.UploadPage;
import dev.sgw.core.store.s3.S3ErrorMapping.BodyReadFailure;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An {@link ObjectStore} on one bucket of an S3-compatible store (AWS S3, MinIO, Ceph RGW, OSS's S3
 * endpoint), through the AWS SDK v2 synchronous client over Apache HttpClient 5. Thread-safe; callers
 * block (on virtual threads) for the duration of each request.
 *
 * <p><b>Retries</b> are off in the SDK: the retry decorator owns them, so that they are not multiplied.
 *
 * <p><b>Integrity.</b>
 * <ul>
 *   <li>Upload: each put and part carries a checksum the store verifies ({@link S3StoreConfig.UploadChecksum}):
 *       the SDK's CRC32 as an {@code aws-chunked} trailer, or a {@code Content-MD5} sgw computes.</li>
 *   <li>A single-request put records the body's CRC64-ECMA as user metadata
 *       {@value ObjectInfo#CRC64_METADATA}; a copy carries the source's. Where the store reports its own
 *       CRC64-ECMA ({@code x-oss-hash-crc64ecma}, OSS's S3 endpoint does) a put or part is checked against it
 *       ({@code INTEGRITY} on a mismatch, {@code crc64Verified} true) and reads use it.</li>
 *   <li>Download: a GET of a whole object whose CRC64 is known checks it as the last byte is read
 *       ({@code INTEGRITY} on a mismatch). Ranged GETs are not checked. Whole reads of objects with no known
 *       CRC64 (multipart objects, objects written by other tools) are counted in {@link #unverifiedReads()},
 *       checked ones in {@link #verifiedReads()}, for the metrics decorator to publish.</li>
 *   <li>The SDK's own response checksum validation is off (S3 has no CRC64-ECMA; sgw's check covers whole
 *       reads).</li>
 * </ul>
 *
 * <p><b>CRC64 of multipart objects.</b> {@link #uploadPart} returns the part's CRC64, computed from the body.
 * {@link #uploadPartCopy} cannot know the CRC64 of a copied range without downloading it, which would undo
 * the point of a server-side copy: its part CRC is {@code 0}, meaning unknown. {@link #completeMultipart}
 * combines the parts' CRCs with {@link Crc64#combine}; when any non-empty part's CRC is unknown, the
 * returned {@code crc64} is {@code 0}, unknown too. The combined CRC is returned, not recorded on the
 * object (S3 takes metadata when an upload starts), so multipart objects read back unverified.
 *
 * <p><b>Preconditions.</b> Puts and multipart completions send {@code If-None-Match: *} or
 * {@code If-Match: "etag"}; the store decides atomically. CopyObject's own conditional headers are newer and
 * not honoured everywhere (S3Proxy 4.1 ignores them), so a copy with a precondition is made as a
 * server-side multipart copy (UploadPartCopy, then a conditional CompleteMultipartUpload): atomic, at the
 * cost of two more requests. Every copy reads the source's ETag first and copies on
 * {@code x-amz-copy-source-if-match}, so the CRC64 it records belongs to the bytes it copied; if the source
 * changes in between, the copy starts again (three times at most).
 */
public final class S3ObjectStore implements ObjectStore, UnverifiedReads {

    private static final String OCTET_STREAM = "application/octet-stream";
    /** The CRC64-ECMA header of OSS, also sent by its S3-compatible endpoint. */
    private static final String STORE_CRC64_HEADER = "x-oss-hash-crc64ecma";
    /** How long a request may wait for a free pooled connection before it fails as UNAVAILABLE. */
    private static final Duration CONNECTION_ACQUISITION_TIMEOUT = Duration.ofSeconds(60);
    /** Keys a DeleteObjects request takes at most. */
    private static final int DELETE_BATCH = 1000;

    private static final int COPY_ATTEMPTS = 3;

    private final S3StoreConfig config;
    private final String bucket;
    private final SdkHttpClient httpClient;
    private final S3Client s3;
    private final LongAdder verifiedReads = new LongAdder();
    private final LongAdder unverifiedReads = new LongAdder();

    /** Opens a client for {@code config}; no request is sent until the first call. */
    public S3ObjectStore(S3StoreConfig config) {
        this(config, UnaryOperator.identity());
    }

    /** As {@link #S3ObjectStore(S3StoreConfig)}, with the HTTP client wrapped (fault injection in tests). */
    S3ObjectStore(S3StoreConfig config, UnaryOperator<SdkHttpClient> httpClientWrapper) {
        this.config = config;
        this.bucket = config.bucket();
        this.httpClient = httpClientWrapper.apply(Apache5HttpClient.builder()
                .maxConnections(config.maxConnections())
                .connectionTimeout(config.connectTimeout())
                .socketTimeout(config.socketTimeout())
                .connectionAcquisitionTimeout(CONNECTION_ACQUISITION_TIMEOUT)
                .tcpKeepAlive(true)
                .build());
        AwsCredentials credentials = config.sessionToken() == null
                ? AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey())
                : AwsSessionCredentials.create(config.accessKeyId(), config.secretAccessKey(), config.sessionToken());
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(httpClient)
                .region(Region.of(config.region()))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .forcePathStyle(config.pathStyleAccess())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        switch (config.uploadChecksum()) {
            case FLEXIBLE_CRC32 -> builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED);
            case CONTENT_MD5 ->
                builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .addPlugin(LegacyMd5Plugin.create()) // DeleteObjects with Content-MD5, as older stores want
                        .serviceConfiguration(S3Configuration.builder()
                                .chunkedEncodingEnabled(false)
                                .build());
        }
        this.s3 = builder.build();
    }

    /** Whole-object reads whose content was checked against a known CRC64-ECMA, since this store opened. */
    public long verifiedReads() {
        return verifiedReads.sum();
    }

    /** Whole-object reads served without a CRC64-ECMA to check them against, since this store opened. */
    @Override
    public long unverifiedReads() {
        return unverifiedReads.sum();
    }

    // ---- single objects ---------------------------------------------------------------------------

    @Override
    public ObjectInfo head(String key) throws ObjectStoreException {
        return head("head", key);
    }

    private ObjectInfo head(String operation, String key) throws ObjectStoreException {
        requireKey(operation, key);
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key));
            return info(key, r.contentLength(), r.eTag(), r.lastModified(), r.metadata(), r.sdkHttpResponse());
        } catch (SdkException e) {
            throw S3ErrorMapping.map(operation, key, e);
        }
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        requireKey("get", key);
        GetObjectRequest.Builder request =
                GetObjectRequest.builder().bucket(bucket).key(key);
        if (range != null) {
            request.range("bytes=" + range.offset() + "-" + range.lastByte());
        }
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(request.build());
        } catch (SdkException e) {
            throw S3ErrorMapping.map("get", key, e);
        }
        try {
            GetObjectResponse r = in.response();
            long received = r.contentLength();
            boolean rangeApplied = range != null && r.contentRange() != null;
            long size = rangeApplied ? totalSize(r.contentRange(), received) : received;
            ObjectInfo info = info(key, size, r.eTag(), r.lastModified(), r.metadata(), r.sdkHttpResponse());
            if (range == null) {
                (info.crc64().isPresent() ? verifiedReads : unverifiedReads).increment();
                return new ObjectContent(info, null, received, body(in, key, received, info.crc64()));
            }
            long length = received;
            if (!rangeApplied) { // the store sent the whole object: cut the range out of it
                if (range.offset() >= size) {
                    throw new ObjectStoreException(
                            Code.INVALID, "get " + key + ": range " + range + " starts past the end");
                }
                in.skipNBytes(range.offset());
                length = Math.min(range.length(), size - range.offset());
            }
            return new ObjectContent(info, range, length, body(in, key, length, OptionalLong.empty()));
        } catch (IOException | RuntimeException e) {
            in.abort();
            throw S3ErrorMapping.map("get", key, e);
        }
    }

    private static CheckedBodyStream body(
            ResponseInputStream<GetObjectResponse> in, String key, long length, OptionalLong expectedCrc) {
        return new CheckedBodyStream(
                in,
                key,
                length,
                expectedCrc,
                failure -> S3ErrorMapping.map("get (reading the body of)", key, failure),
                complete -> {
                    if (!complete) {
                        in.abort(); // do not drain what nobody will read
                    }
                    try {
                        in.close();
                    } catch (IOException | RuntimeException e) {
                        // the response is finished with either way; failing to release it changes nothing for the
                        // reader
                    }
                });
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        requireKey("put", key);
        long crc = crc64Of("put", key, body);
        Map<String, String> metadata = metadataWithCrc(options.userMetadata(), OptionalLong.of(crc));
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .metadata(metadata)
                .contentType(OCTET_STREAM)
                .contentLength(body.length());
        Precondition condition = options.precondition();
        switch (condition.kind()) {
            case NONE -> {}
            case IF_ABSENT -> request.ifNoneMatch("*");
            case IF_MATCH -> request.ifMatch(quote(condition.etag()));
        }
        if (config.uploadChecksum() == S3StoreConfig.UploadChecksum.CONTENT_MD5) {
            request.contentMD5(contentMd5("put", key, body));
        }
        try {
            PutObjectResponse r = s3.putObject(request.build(), requestBody(body));
            boolean verified = checkStoreCrc("put", key, r.sdkHttpResponse(), crc);
            return new ObjectWritten(key, unquote(r.eTag()), body.length(), crc, verified);
        } catch (SdkException e) {
            throw S3ErrorMapping.map("put", key, e);
        }
    }

    @Override
    public void delete(String key) throws ObjectStoreException {
        requireKey("delete", key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            ObjectStoreException mapped = S3ErrorMapping.map("delete", key, e);
            if (mapped.code() != Code.NOT_FOUND) {
                throw mapped;
            }
        }
    }

    @Override
    public void deleteAll(Collection<String> keys) throws ObjectStoreException {
        List<String> all = List.copyOf(keys);
        for (String key : all) {
            requireKey("deleteAll", key);
        }
        List<String> failed = new ArrayList<>();
        Code firstCode = null;
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + DELETE_BATCH));
            List<ObjectIdentifier> ids = batch.stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build())
                    .toList();
            try {
                DeleteObjectsResponse r = s3.deleteObjects(
                        b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(true)));
                for (S3Error error : r.errors()) {
                    Code code = S3ErrorMapping.code(0, error.code());
                    if (code != Code.NOT_FOUND) {
                        failed.add(error.key() + " (" + error.code() + ")");
                        firstCode = firstCode == null ? code : firstCode;
                    }
                }
            } catch (SdkException e) {
                ObjectStoreException mapped = S3ErrorMapping.map("deleteAll", batch.get(0), e);
                batch.forEach(k -> failed.add(k + " (" + mapped.code() + ")"));
                firstCode = firstCode == null ? mapped.code() : firstCode;
            }
        }
        if (!failed.isEmpty()) {
            throw new ObjectStoreException(
                    firstCode,
                    "deleteAll: " + failed.size() + " of " + all.size()
                            + " keys not deleted: " + String.join(", ", failed.subList(0, Math.min(20, failed.size())))
                            + (failed.size() > 20 ? ", ..." : ""));
        }
    }

    // ---- copy --------------------------------------------------------------------------------------

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        requireKey("copy (target)", targetKey);
        for (int attempt = 1; ; attempt++) {
            ObjectInfo source = head("copy (source)", sourceKey);
            try {
                return copyVersion(source, targetKey, options);
            } catch (SourceChanged changed) {
                if (attempt == COPY_ATTEMPTS) {
                    throw new ObjectStoreException(
                            Code.UNAVAILABLE,
                            "copy " + sourceKey + " to " + targetKey + ": the source changed during each of "
                                    + COPY_ATTEMPTS + " attempts");
                }
            }
        }
    }

    /** Copies the version of the source that {@code source} describes; SourceChanged if it is gone. */
    private ObjectWritten copyVersion(ObjectInfo source, String targetKey, PutOptions options)
            throws ObjectStoreException, SourceChanged {
        Map<String, String> metadata = metadataWithCrc(options.userMetadata(), source.crc64());
        long crc = source.crc64().orElse(0);
        boolean conditional = options.precondition().kind() != Precondition.Kind.NONE;
        if (source.size() == 0) {
            // nothing to copy, and a put can be conditional; some stores give no ETag for a "dir/" marker
            return put(targetKey, ObjectBody.of(new byte[0]), options);
        }
        if (!conditional && source.size() <= config.multipartCopyThreshold()) {
            try {
                CopyObjectResponse r = s3.copyObject(b -> b.sourceBucket(bucket)
                        .sourceKey(source.key())
                        .destinationBucket(bucket)
                        .destinationKey(targetKey)
                        .copySourceIfMatch(source.etag() == null ? null : quote(source.etag()))
                        .metadataDirective(MetadataDirective.REPLACE)
                        .metadata(metadata)
                        .contentType(OCTET_STREAM));
                return new ObjectWritten(targetKey, unquote(r.copyObjectResult().eTag()), source.size(), crc, false);
            } catch (SdkException e) {
                ObjectStoreException mapped = S3ErrorMapping.map("copy to " + targetKey + " from", source.key(), e);
                if (mapped.code() == Code.PRECONDITION_FAILED || mapped.code() == Code.NOT_FOUND) {
                    throw new SourceChanged(); // copied on the source's ETag, and the only condition is that
                }
                throw mapped;
            }
        }
        String uploadId = startMultipart(targetKey, metadata);
        try {
            long partSize =
                    Math.max(config.multipartCopyPartSize(), ceilDiv(source.size(), MultipartPart.MAX_PART_NUMBER));
            List<MultipartPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < source.size(); offset += partSize, number++) {
                long length = Math.min(partSize, source.size() - offset);
                parts.add(copyPart(
                        targetKey, uploadId, number, source.key(), ByteRange.of(offset, length), source.etag()));
            }
            ObjectWritten done = completeMultipart(targetKey, uploadId, parts, options.precondition());
            return new ObjectWritten(targetKey, done.etag(), done.size(), crc, false);
        } catch (ObjectStoreException | SourceChanged e) {
            abortQuietly(targetKey, uploadId);
            throw e;
        }
    }

    // ---- listing -----------------------------------------------------------------------------------

    @Override
    public ListPage list(ListRequest request) throws ObjectStoreException {
        ListObjectsV2Request.Builder b = ListObjectsV2Request.builder()
                .bucket(bucket)
                .prefix(request.prefix())
                .maxKeys(request.maxKeys())
                .encodingType(EncodingType.URL);
        if (request.delimiter() != null) {
            b.delimiter(request.delimiter());
        }
        if (request.token() != null) {
            b.continuationToken(request.token());
        }
        try {
            ListObjectsV2Response r = s3.listObjectsV2(b.build());
            List<ObjectInfo> objects = new ArrayList<>(r.contents().size());
            for (S3Object o : r.contents()) {
                objects.add(new ObjectInfo(
                        o.key(), o.size(), unquote(o.eTag()), o.lastModified(), Map.of(), OptionalLong.empty()));
            }
            List<String> prefixes =
                    r.commonPrefixes().stream().map(CommonPrefix::prefix).toList();
            String next = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
            return new ListPage(objects, prefixes, next);
        } catch (SdkException e) {
            throw S3ErrorMapping.map("list", request.prefix(), e);
        }
    }

    // ---- multipart ---------------------------------------------------------------------------------

    @Override
    public String startMultipart(String key, PutOptions options) throws ObjectStoreException {
        return startMultipart(key, metadataWithCrc(options.userMetadata(), OptionalLong.empty()));
    }

    private String startMultipart(String key, Map<String, String> metadata) throws ObjectStoreException {
        requireKey("startMultipart", key);
        try {
            return s3.createMultipartUpload(
                            b -> b.bucket(bucket).key(key).metadata(metadata).contentType(OCTET_STREAM))
                    .uploadId();
        } catch (SdkException e) {
            throw S3ErrorMapping.map("startMultipart", key, e);
        }
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body)
            throws ObjectStoreException {
        requireKey("uploadPart", key);
        long crc = crc64Of("uploadPart", key, body);
        UploadPartRequest.Builder request = UploadPartRequest.builder()
                .bucket(bucket)
                .key(key)
                .uploadId(uploadId)
                .partNumber(partNumber)
                .contentLength(body.length());
        if (config.uploadChecksum() == S3StoreConfig.UploadChecksum.CONTENT_MD5) {
            request.contentMD5(contentMd5("uploadPart", key, body));
        }
        try {
            UploadPartResponse r = s3.uploadPart(request.build(), requestBody(body));
            checkStoreCrc("uploadPart " + partNumber, key, r.sdkHttpResponse(), crc);
            return new MultipartPart(partNumber, unquote(r.eTag()), body.length(), crc);
        } catch (SdkException e) {
            throw S3ErrorMapping.map("uploadPart " + partNumber + " of", key, e);
        }
    }

    /** {@inheritDoc} The part's CRC64 is unknown ({@code 0}); see the class comment. */
    @Override
    public MultipartPart uploadPartCopy(
            String key, String uploadId, int partNumber, String sourceKey, ByteRange sourceRange)
            throws ObjectStoreException {
        requireKey("uploadPartCopy", key);
        requireKey("uploadPartCopy (source)", sourceKey);
        ByteRange range = sourceRange;
        if (range == null) {
            ObjectInfo source = head("uploadPartCopy (source)", sourceKey);
            if (source.size() == 0) {
                throw new ObjectStoreException(
                        Code.INVALID, "uploadPartCopy of " + key + ": source " + sourceKey + " is empty");
            }
            range = ByteRange.of(0, source.size());
        }
        try {
            return copyPart(key, uploadId, partNumber, sourceKey, range, null);
        } catch (SourceChanged cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
    }

    /** One UploadPartCopy; with {@code sourceEtag}, only from that version of the source (else SourceChanged). */
    private MultipartPart copyPart(
            String key, String uploadId, int partNumber, String sourceKey, ByteRange range, String sourceEtag)
            throws ObjectStoreException, SourceChanged {
        try {
            UploadPartCopyResponse r = s3.uploadPartCopy(b -> {
                b.sourceBucket(bucket)
                        .sourceKey(sourceKey)
                        .destinationBucket(bucket)
                        .destinationKey(key)
                        .uploadId(uploadId)
                        .partNumber(partNumber)
                        .copySourceRange("bytes=" + range.offset() + "-" + range.lastByte());
                if (sourceEtag != null) {
                    b.copySourceIfMatch(quote(sourceEtag));
                }
            });
            return new MultipartPart(partNumber, unquote(r.copyPartResult().eTag()), range.length(), 0);
        } catch (SdkException e) {
            ObjectStoreException mapped =
                    S3ErrorMapping.map("uploadPartCopy " + partNumber + " of " + key + " from", sourceKey, e);
            if (sourceEtag != null && mapped.code() == Code.PRECONDITION_FAILED) {
                throw new SourceChanged();
            }
            throw mapped;
        }
    }

    @Override
    public ObjectWritten completeMultipart(
            String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        requireKey("completeMultipart", key);
        if (parts.isEmpty()) {
            throw new ObjectStoreException(Code.INVALID, "completeMultipart " + key + ": no parts");
        }
        List<CompletedPart> completed = new ArrayList<>(parts.size());
        long size = 0;
        long crc = 0;
        boolean crcKnown = true;
        for (MultipartPart part : parts) {
            completed.add(CompletedPart.builder()
                    .partNumber(part.partNumber())
                    .eTag(quote(part.etag()))
                    .build());
            if (part.size() > 0 && part.crc64() == 0) {
                crcKnown = false;
            }
            crc = Crc64.combine(crc, part.crc64(), part.size());
            size += part.size();
        }
        CompleteMultipartUploadRequest.Builder request = CompleteMultipartUploadRequest.builder()
                .bucket(bucket)
                .key(key)
                .uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed));
        switch (condition.kind()) {
            case NONE -> {}
            case IF_ABSENT -> request.ifNoneMatch("*");
            case IF_MATCH -> request.ifMatch(quote(condition.etag()));
        }
        try {
            CompleteMultipartUploadResponse r = s3.completeMultipartUpload(request.build());
            return new ObjectWritten(key, unquote(r.eTag()), size, crcKnown ? crc : 0, false);
        } catch (SdkException e) {
            throw S3ErrorMapping.map("completeMultipart", key, e);
        }
    }

    @Override
    public void abortMultipart(String key, String uploadId) throws ObjectStoreException {
        requireKey("abortMultipart", key);
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            ObjectStoreException mapped = S3ErrorMapping.map("abortMultipart", key, e);
            if (mapped.code() != Code.NOT_FOUND) {
                throw mapped;
            }
        }
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            abortMultipart(key, uploadId);
        } catch (ObjectStoreException e) {
            // left for the sweep of stale uploads (listMultipartUploads); the original failure matters more
        }
    }

    @Override
    public UploadPage listMultipartUploads(String prefix, String token) throws ObjectStoreException {
        ListMultipartUploadsRequest.Builder b =
                ListMultipartUploadsRequest.builder().bucket(bucket).prefix(prefix);
        if (token != null) {
            UploadMarker marker = UploadMarker.parse(token);
            b.keyMarker(marker.key()).uploadIdMarker(marker.uploadId());
        }
        try {
            ListMultipartUploadsResponse r = s3.listMultipartUploads(b.build());
            List<PendingUpload> uploads = r.uploads().stream()
                    .map(u -> new PendingUpload(u.key(), u.uploadId(), u.initiated()))
                    .toList();
            String next = Boolean.TRUE.equals(r.isTruncated())
                    ? new UploadMarker(r.nextKeyMarker(), r.nextUploadIdMarker()).format()
                    : null;
            return new UploadPage(uploads, next);
        } catch (SdkException e) {
            throw S3ErrorMapping.map("listMultipartUploads", prefix, e);
        }
    }

    /** Where a listing of uploads resumes, as one opaque token: {@code <key length>:<key><upload id>}. */
    private record UploadMarker(String key, String uploadId) {
        String format() {
            String k = key == null ? "" : key;
            return k.length() + ":" + k + (uploadId == null ? "" : uploadId);
        }

        static UploadMarker parse(String token) throws ObjectStoreException {
            int colon = token.indexOf(':');
            try {
                int keyLength = Integer.parseInt(token.substring(0, colon));
                String key = token.substring(colon + 1, colon + 1 + keyLength);
                String uploadId = token.substring(colon + 1 + keyLength);
                return new UploadMarker(key, uploadId.isEmpty() ? null : uploadId);
            } catch (RuntimeException e) {
                throw new ObjectStoreException(Code.INVALID, "not an upload listing token: " + token);
            }
        }
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    @Override
    public void close() {
        s3.close();
        httpClient.close();
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + bucket + " at "
                + (config.endpoint() == null ? "AWS " + config.region() : config.endpoint()) + "]";
    }

    // ---- conversions -------------------------------------------------------------------------------

    /** An empty key would address the bucket itself (a PUT of it creates a bucket); refused before any request. */
    private static void requireKey(String operation, String key) throws ObjectStoreException {
        if (key == null || key.isEmpty()) {
            throw new ObjectStoreException(Code.INVALID, operation + ": empty key");
        }
    }

    /**
     * The object as sgw describes it: user metadata with lower-case names and without
     * {@value ObjectInfo#CRC64_METADATA}, which becomes {@link ObjectInfo#crc64()} (or else the store's
     * {@code x-oss-hash-crc64ecma}). A malformed recorded CRC counts as unknown.
     */
    private static ObjectInfo info(
            String key, Long size, String etag, Instant modified, Map<String, String> metadata, SdkHttpResponse http) {
        Map<String, String> user = new HashMap<>();
        OptionalLong crc = OptionalLong.empty();
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (name.equals(ObjectInfo.CRC64_METADATA)) {
                crc = parseCrc(entry.getValue());
            } else {
                user.put(name, entry.getValue());
            }
        }
        if (crc.isEmpty()) {
            crc = storeCrc64(http);
        }
        return new ObjectInfo(key, size == null ? 0 : size, unquote(etag), modified, user, crc);
    }

    /** User metadata to write: the caller's, without any {@value ObjectInfo#CRC64_METADATA} of its own, plus {@code crc}. */
    private static Map<String, String> metadataWithCrc(Map<String, String> userMetadata, OptionalLong crc) {
        Map<String, String> metadata = new HashMap<>();
        userMetadata.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals(ObjectInfo.CRC64_METADATA)) {
                metadata.put(lower, value);
            }
        });
        crc.ifPresent(c -> metadata.put(ObjectInfo.CRC64_METADATA, Crc64.toUnsignedString(c)));
        return metadata;
    }

    private static OptionalLong storeCrc64(SdkHttpResponse http) {
        return http == null
                ? OptionalLong.empty()
                : http.firstMatchingHeader(STORE_CRC64_HEADER)
                        .map(S3ObjectStore::parseCrc)
                        .orElse(OptionalLong.empty());
    }

    /** Compares the store's CRC64 of an upload, when it reports one, with ours; true when they were compared. */
    private static boolean checkStoreCrc(String operation, String key, SdkHttpResponse http, long crc)
            throws ObjectStoreException {
        OptionalLong stored = storeCrc64(http);
        if (stored.isEmpty()) {
            return false;
        }
        if (stored.getAsLong() != crc) {
            throw new ObjectStoreException(
                    Code.INTEGRITY,
                    operation + " " + key + ": the store computed CRC64-ECMA "
                            + Crc64.toUnsignedString(stored.getAsLong()) + ", the body has "
                            + Crc64.toUnsignedString(crc));
        }
        return true;
    }

    private static OptionalLong parseCrc(String text) {
        try {
            return OptionalLong.of(Crc64.parseUnsigned(text));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The object size from {@code Content-Range: bytes a-b/size}, or {@code fallback} if it has none. */
    private static long totalSize(String contentRange, long fallback) {
        int slash = contentRange.lastIndexOf('/');
        try {
            return slash < 0
                    ? fallback
                    : Long.parseLong(contentRange.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return fallback; // "*": unknown
        }
    }

    private static RequestBody requestBody(ObjectBody body) {
        return RequestBody.fromContentProvider(
                () -> {
                    try {
                        return body.newStream();
                    } catch (IOException e) {
                        throw new BodyReadFailure(e);
                    }
                },
                body.length(),
                OCTET_STREAM);
    }

    private static long crc64Of(String operation, String key, ObjectBody body) throws ObjectStoreException {
        try {
            return body.crc64();
        } catch (IOException e) {
            throw new ObjectStoreException(
                    Code.INVALID, operation + " " + key + ": cannot read the body: " + e.getMessage(), e);
        }
    }

    private static String contentMd5(String operation, String key, ObjectBody body) throws ObjectStoreException {
        try (InputStream in = body.newStream()) {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[256 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                md5.update(buffer, 0, n);
            }
            return Base64.getEncoder().encodeToString(md5.digest());
        } catch (IOException e) {
            throw new ObjectStoreException(
                    Code.INVALID, operation + " " + key + ": cannot read the body: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static String quote(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    private static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1)
                : etag;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** The source of a copy is no longer the version that was read; the copy starts again. */
    private static final class SourceChanged extends Exception {
        private static final long serialVersionUID = 1L;

        SourceChanged() {
            super(null, null, false, false);
        }
    }
}
