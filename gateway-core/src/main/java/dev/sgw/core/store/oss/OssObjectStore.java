package dev.sgw.core.store.oss;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.AbortMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadResult;
import com.aliyun.oss.model.CopyObjectRequest;
import com.aliyun.oss.model.CopyObjectResult;
import com.aliyun.oss.model.DeleteObjectsRequest;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.ListObjectsV2Request;
import com.aliyun.oss.model.ListObjectsV2Result;
import com.aliyun.oss.model.MultipartUpload;
import com.aliyun.oss.model.MultipartUploadListing;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import com.aliyun.oss.model.UploadPartCopyRequest;
import com.aliyun.oss.model.UploadPartCopyResult;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.oss.model.UploadPartResult;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ObjectStore} on an Alibaba Cloud OSS bucket, through Alibaba's SDK ({@code com.aliyun.oss.OSS}).
 *
 * <p><b>Retries</b> are off in the SDK ({@code maxErrorRetry = 0}): the retry decorator owns them, so one
 * call here is one request (or the few a composite operation needs).
 *
 * <p><b>Integrity.</b> OSS answers every write with {@code x-oss-hash-crc64ecma}, its CRC64-ECMA of what it
 * stored. The SDK's own check stays on, but it is silent when the header is missing and never looks at
 * streamed or ranged GETs, so this class checks for itself:
 * <ul>
 *   <li>put and part: the server's CRC64 must equal {@link ObjectBody#crc64()} (and the CRC64 of the bytes
 *       the SDK actually sent), else {@code INTEGRITY}. A write whose answer lacks the header is counted in
 *       {@link #unverifiedWrites()} and reported with {@code crc64Verified = false}; a write that failed
 *       its check is not undone (the object at the key is then suspect and the caller writes it again).</li>
 *   <li>complete: the server's CRC64 of the whole object must equal {@link Crc64#combine} of the parts'.</li>
 *   <li>copy: the copy's CRC64, where OSS reports one, must equal the source's.</li>
 *   <li>GET of a whole object: the body is checked against the response's CRC64 as it is read
 *       ({@link CheckedBodyStream}); without the header the read is counted in {@link #unverifiedReads()}.
 *       Ranged GETs are not checked.</li>
 * </ul>
 *
 * <p><b>Preconditions.</b> {@link Precondition#ifAbsent()} is OSS's {@code x-oss-forbid-overwrite: true} on
 * PutObject, CopyObject and CompleteMultipartUpload: atomic on the server. OSS has no If-Match on writes
 * (PutObject, CopyObject and CompleteMultipartUpload take no condition on the target's ETag; the
 * {@code x-oss-copy-source-if-*} headers guard the source only). {@link Precondition#ifMatch(String)} is
 * therefore emulated: a HEAD of the target, a comparison of its ETag, then the unconditional write.
 * <b>The race that remains:</b> a writer that replaces the object after that HEAD and before this write
 * completes on the server is overwritten without notice (a lost update). The window is one HEAD round trip
 * plus the whole transfer of the body (for a multipart write, plus the CompleteMultipartUpload request).
 * Callers that need a true compare-and-swap must serialize their writers to a key themselves; on OSS,
 * bucket versioning at least keeps the overwritten version.
 *
 * <p><b>Multipart.</b> The SPI's rules (parts of at least {@link #MIN_PART_SIZE} but the last, ascending
 * numbers) are stricter than OSS's. A part copy pins the source version (HEAD, then
 * {@code x-oss-copy-source-if-match}); its CRC64 is the one OSS reports for the part, or else it is computed
 * by reading the copied range of the pinned source (a ranged GET: the part's bytes cross the network once,
 * downwards), so that every part's CRC64 is known and the completion can be checked. Objects over
 * {@link OssStoreConfig#multipartCopyThreshold()} are copied part by part without reading them.
 *
 * <p>Thread-safe: the SDK client is.
 */
public final class OssObjectStore implements ObjectStore, UnverifiedReads {

    private static final Logger LOG = LoggerFactory.getLogger(OssObjectStore.class);

    static final String CRC64_HEADER = OssCrc64Checks.CRC64_HEADER;
    static final String FORBID_OVERWRITE = "x-oss-forbid-overwrite";
    /** Makes OSS answer a range that starts past the end with 416, not with the whole object. */
    static final String RANGE_BEHAVIOR = "x-oss-range-behavior";

    private static final int DELETE_BATCH = 1_000;
    private static final int UPLOAD_PAGE = 1_000;

    private final OssStoreConfig config;
    private final String bucket;
    private final OSS client;
    private final OssCrc64Checks crcChecks = new OssCrc64Checks();

    /** Opens a client for {@code config}; no request is sent until the first call. */
    public OssObjectStore(OssStoreConfig config) {
        this.config = config;
        this.bucket = config.bucket();
        this.client = newClient(config);
        LOG.info("OSS store on {}", config);
    }

    private static OSS newClient(OssStoreConfig config) {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setMaxErrorRetry(0);
        conf.setCrcCheckEnabled(true);
        conf.setMaxConnections(config.maxConnections());
        conf.setConnectionTimeout(millis(config.connectTimeout()));
        conf.setSocketTimeout(millis(config.socketTimeout()));
        conf.setRequestTimeoutEnabled(true);
        conf.setRequestTimeout(millis(config.requestTimeout()));
        conf.setSupportCname(false);
        conf.setSLDEnabled(config.pathStyle());
        conf.setSignatureVersion(config.region() == null ? SignVersion.V1 : SignVersion.V4);
        DefaultCredentialProvider credentials = config.securityToken() == null
                ? new DefaultCredentialProvider(config.accessKeyId(), config.accessKeySecret())
                : new DefaultCredentialProvider(config.accessKeyId(), config.accessKeySecret(), config.securityToken());
        OSSClientBuilder.OSSClientBuilderImpl builder = OSSClientBuilder.create()
                .endpoint(config.endpoint().toString())
                .credentialsProvider(credentials)
                .clientConfiguration(conf);
        if (config.region() != null) {
            builder.region(config.region());
        }
        return builder.build();
    }

    private static int millis(java.time.Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    /** Writes (puts, parts, copies, completions) whose answer carried no CRC64, so nothing was verified. */
    public long unverifiedWrites() {
        return crcChecks.unverifiedWrites();
    }

    /** Whole-object GETs whose answer carried no CRC64, so the body was not verified. */
    @Override
    public long unverifiedReads() {
        return crcChecks.unverifiedReads();
    }

    /** The configuration, secrets masked in its {@code toString()}. */
    public OssStoreConfig config() {
        return config;
    }

    // ---- single objects ----------------------------------------------------------------------------

    @Override
    public ObjectInfo head(String key) throws ObjectStoreException {
        checkKey(key);
        try {
            ObjectMetadata metadata = client.getObjectMetadata(bucket, key);
            return info(key, metadata, metadata.getContentLength());
        } catch (RuntimeException e) {
            throw OssErrorMapper.map("head", key, e);
        }
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        checkKey(key);
        GetObjectRequest request = new GetObjectRequest(bucket, key);
        if (range != null) {
            request.setRange(range.offset(), range.lastByte());
            request.addHeader(RANGE_BEHAVIOR, "standard");
        }
        OSSObject object;
        try {
            object = client.getObject(request);
        } catch (RuntimeException e) {
            throw OssErrorMapper.map("get", key, e);
        }
        ObjectMetadata metadata = object.getObjectMetadata();
        long length = metadata.getContentLength();
        long size = length;
        if (range != null) {
            size = checkContentRange(key, range, metadata, object);
        }
        Long crc = metadata.getServerCRC();
        if (range == null && crc == null) {
            crcChecks.unverifiedRead(key);
        }
        InputStream body = new CheckedBodyStream(
                object.getObjectContent(),
                key,
                length,
                range == null && crc != null ? OptionalLong.of(crc) : OptionalLong.empty(),
                failure -> failure instanceof RuntimeException runtime
                        ? OssErrorMapper.map("get (reading the body of)", key, runtime)
                        : new ObjectStoreException(
                                Code.UNAVAILABLE,
                                "get " + key + ": reading the body failed: " + failure.getMessage(),
                                failure),
                complete -> {
                    if (complete) {
                        object.close();
                    } else {
                        object.forcedClose();
                    }
                });
        return new ObjectContent(info(key, metadata, size), range, length, body);
    }

    /** The object's whole size from a ranged answer, after checking the answer is the range asked for. */
    private static long checkContentRange(String key, ByteRange range, ObjectMetadata metadata, OSSObject object)
            throws ObjectStoreException {
        Object header = metadata.getRawMetadata().get("Content-Range");
        String contentRange = header == null ? null : header.toString();
        // "bytes <first>-<last>/<size>"
        if (contentRange != null && contentRange.startsWith("bytes ")) {
            int dash = contentRange.indexOf('-');
            int slash = contentRange.indexOf('/');
            if (dash > 6 && slash > dash) {
                long first = Long.parseLong(contentRange.substring(6, dash).trim());
                String total = contentRange.substring(slash + 1).trim();
                if (first == range.offset() && !"*".equals(total)) {
                    return Long.parseLong(total);
                }
            }
        }
        try {
            object.forcedClose();
        } catch (IOException ignored) {
            // the answer is discarded either way
        }
        throw new ObjectStoreException(
                Code.OTHER,
                "get " + key + " " + range + ": OSS did not answer with the range (Content-Range: " + contentRange
                        + ")");
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        checkKey(key);
        long expected = OssCrc64Checks.crcOf(body, "put", key);
        Precondition condition = options.precondition();
        requireMatchingEtag("put", key, condition);
        ObjectMetadata metadata = newMetadata(options.userMetadata());
        metadata.setContentLength(body.length());
        if (condition.kind() == Precondition.Kind.IF_ABSENT) {
            metadata.setHeader(FORBID_OVERWRITE, "true");
        }
        try (InputStream in = body.newStream()) {
            PutObjectResult result;
            try {
                result = client.putObject(new PutObjectRequest(bucket, key, in, metadata));
            } catch (RuntimeException e) {
                throw OssErrorMapper.map("put", key, e);
            }
            boolean verified =
                    crcChecks.checkWrite("put", key, expected, result.getClientCRC(), OssCrc64Checks.serverCrc(result));
            return new ObjectWritten(key, unquote(result.getETag()), body.length(), expected, verified);
        } catch (ObjectStoreException e) {
            throw e;
        } catch (IOException e) {
            throw new ObjectStoreException(Code.INVALID, "put " + key + ": cannot read the body: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws ObjectStoreException {
        checkKey(key);
        try {
            client.deleteObject(bucket, key);
        } catch (RuntimeException e) {
            ObjectStoreException mapped = OssErrorMapper.map("delete", key, e);
            if (mapped.code() != Code.NOT_FOUND) {
                throw mapped;
            }
        }
    }

    /**
     * Deletes in DeleteObjects requests of up to 1,000 keys, in quiet mode. OSS's answer names no per-key
     * failures: a request fails or succeeds as a whole, so a failed request counts all its keys as not
     * deleted. Every batch is tried; the first failure's code is thrown with the failed keys named.
     */
    @Override
    public void deleteAll(Collection<String> keys) throws ObjectStoreException {
        List<String> all = List.copyOf(keys);
        List<String> failedKeys = new ArrayList<>();
        ObjectStoreException first = null;
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            List<String> batch = new ArrayList<>(all.subList(from, Math.min(all.size(), from + DELETE_BATCH)));
            try {
                for (String key : batch) {
                    checkKey(key);
                }
                DeleteObjectsRequest request = new DeleteObjectsRequest(bucket);
                request.setQuiet(true);
                request.setKeys(batch);
                client.deleteObjects(request);
            } catch (ObjectStoreException e) {
                failedKeys.addAll(batch);
                first = first == null ? e : first;
            } catch (RuntimeException e) {
                failedKeys.addAll(batch);
                first = first == null
                        ? OssErrorMapper.map("deleteAll", batch.get(0) + ".." + batch.getLast(), e)
                        : first;
            }
        }
        if (first != null) {
            List<String> named = failedKeys.subList(0, Math.min(20, failedKeys.size()));
            throw new ObjectStoreException(
                    first.code(),
                    "deleteAll: " + failedKeys.size() + " of " + all.size() + " keys not deleted, among them " + named
                            + "; first failure: " + first.getMessage(),
                    first);
        }
    }

    // ---- copy --------------------------------------------------------------------------------------

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        checkKey(targetKey);
        ObjectInfo source = head(sourceKey);
        Precondition condition = options.precondition();
        requireMatchingEtag("copy", targetKey, condition);
        if (source.size() > config.multipartCopyThreshold()) {
            return copyInParts(source, targetKey, options);
        }
        CopyObjectRequest request = new CopyObjectRequest(bucket, sourceKey, bucket, targetKey);
        ObjectMetadata metadata = newMetadata(options.userMetadata()); // new metadata: directive REPLACE
        if (condition.kind() == Precondition.Kind.IF_ABSENT) {
            metadata.setHeader(FORBID_OVERWRITE, "true");
        }
        request.setNewObjectMetadata(metadata);
        request.setMatchingETagConstraints(List.of(source.etag()));
        CopyObjectResult result;
        try {
            result = client.copyObject(request);
        } catch (RuntimeException e) {
            throw sourceChangedOr(OssErrorMapper.map("copy", sourceKey + " -> " + targetKey, e), sourceKey);
        }
        Long copied = OssCrc64Checks.serverCrc(result);
        return copyWritten(source, targetKey, unquote(result.getETag()), copied);
    }

    /** The outcome of a copy: the copy's CRC64 (as OSS reports it) must be the source's. */
    private ObjectWritten copyWritten(ObjectInfo source, String targetKey, String etag, Long copied)
            throws ObjectStoreException {
        OptionalLong original = source.crc64();
        if (copied != null && original.isPresent() && copied != original.getAsLong()) {
            throw new ObjectStoreException(
                    Code.INTEGRITY,
                    "copy " + source.key() + " -> " + targetKey
                            + ": CRC64 of the copy " + Crc64.toUnsignedString(copied) + " differs from the source's "
                            + Crc64.toUnsignedString(original.getAsLong()));
        }
        boolean verified = copied != null && original.isPresent();
        if (!verified) {
            crcChecks.unverifiedWrite("copy", targetKey);
        }
        long crc = copied != null ? copied : original.orElse(0);
        return new ObjectWritten(targetKey, etag, source.size(), crc, verified);
    }

    /** A copy of an object too large for CopyObject: UploadPartCopy of every range, then a completion. */
    private ObjectWritten copyInParts(ObjectInfo source, String targetKey, PutOptions options)
            throws ObjectStoreException {
        long partSize = Math.max(config.copyPartSize(), ceilDiv(source.size(), MultipartPart.MAX_PART_NUMBER));
        if (options.precondition().kind() == Precondition.Kind.IF_ABSENT) {
            refuseIfPresent(targetKey); // fail before copying gigabytes; the completion still decides
        }
        String uploadId = startMultipart(targetKey, options);
        try {
            List<PartETag> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < source.size(); offset += partSize, number++) {
                long length = Math.min(partSize, source.size() - offset);
                UploadPartCopyResult part = copyPart(targetKey, uploadId, number, source, offset, length);
                parts.add(new PartETag(number, unquote(part.getETag()), length, OssCrc64Checks.serverCrc(part)));
            }
            CompleteMultipartUploadResult result = complete(targetKey, uploadId, parts, options.precondition());
            return copyWritten(source, targetKey, unquote(result.getETag()), OssCrc64Checks.serverCrc(result));
        } catch (ObjectStoreException e) {
            abortQuietly(targetKey, uploadId);
            throw e;
        }
    }

    // ---- listing -----------------------------------------------------------------------------------

    @Override
    public ListPage list(ListRequest request) throws ObjectStoreException {
        ListObjectsV2Request list = new ListObjectsV2Request(bucket);
        if (!request.prefix().isEmpty()) {
            list.setPrefix(request.prefix());
        }
        if (request.delimiter() != null && !request.delimiter().isEmpty()) {
            list.setDelimiter(request.delimiter());
        }
        list.setMaxKeys(request.maxKeys());
        if (request.token() != null) {
            list.setContinuationToken(request.token());
        }
        ListObjectsV2Result result;
        try {
            result = client.listObjectsV2(list);
        } catch (RuntimeException e) {
            throw OssErrorMapper.map("list", request.prefix(), e);
        }
        List<ObjectInfo> objects = new ArrayList<>();
        for (OSSObjectSummary summary : result.getObjectSummaries()) {
            objects.add(new ObjectInfo(
                    summary.getKey(),
                    summary.getSize(),
                    unquote(summary.getETag()),
                    instant(summary.getLastModified()),
                    Map.of(),
                    OptionalLong.empty()));
        }
        List<String> prefixes = result.getCommonPrefixes() == null ? List.of() : result.getCommonPrefixes();
        String next = result.isTruncated() ? result.getNextContinuationToken() : null;
        return new ListPage(objects, prefixes, next);
    }

    // ---- multipart ---------------------------------------------------------------------------------

    @Override
    public String startMultipart(String key, PutOptions options) throws ObjectStoreException {
        checkKey(key);
        try {
            return client.initiateMultipartUpload(
                            new InitiateMultipartUploadRequest(bucket, key, newMetadata(options.userMetadata())))
                    .getUploadId();
        } catch (RuntimeException e) {
            throw OssErrorMapper.map("startMultipart", key, e);
        }
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body)
            throws ObjectStoreException {
        checkKey(key);
        checkPartNumber(key, partNumber);
        long expected = OssCrc64Checks.crcOf(body, "uploadPart", key);
        try (InputStream in = body.newStream()) {
            UploadPartResult result;
            try {
                result = client.uploadPart(new UploadPartRequest(bucket, key, uploadId, partNumber, in, body.length()));
            } catch (RuntimeException e) {
                throw OssErrorMapper.map("uploadPart " + partNumber + " of", key, e);
            }
            crcChecks.checkWrite(
                    "uploadPart " + partNumber + " of",
                    key,
                    expected,
                    result.getClientCRC(),
                    OssCrc64Checks.serverCrc(result));
            return new MultipartPart(partNumber, unquote(result.getETag()), body.length(), expected);
        } catch (ObjectStoreException e) {
            throw e;
        } catch (IOException e) {
            throw new ObjectStoreException(
                    Code.INVALID,
                    "uploadPart " + partNumber + " of " + key + ": cannot read the body: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public MultipartPart uploadPartCopy(
            String key, String uploadId, int partNumber, String sourceKey, ByteRange sourceRange)
            throws ObjectStoreException {
        checkKey(key);
        checkPartNumber(key, partNumber);
        ObjectInfo source = head(sourceKey);
        long offset = sourceRange == null ? 0 : sourceRange.offset();
        long length = sourceRange == null ? source.size() : sourceRange.length();
        if (offset + length > source.size()) {
            throw new ObjectStoreException(
                    Code.INVALID,
                    "uploadPartCopy " + partNumber + " of " + key + ": range " + sourceRange + " runs past the end of "
                            + sourceKey + " (" + source.size() + " bytes)");
        }
        UploadPartCopyResult result = copyPart(key, uploadId, partNumber, source, offset, length);
        Long crc = OssCrc64Checks.serverCrc(result);
        if (crc == null
                && offset == 0
                && length == source.size()
                && source.crc64().isPresent()) {
            crc = source.crc64().getAsLong();
        }
        if (crc == null) {
            crc = crcOfRange(source, offset, length);
        }
        return new MultipartPart(partNumber, unquote(result.getETag()), length, crc);
    }

    /** One UploadPartCopy from the version of {@code source} that was headed (copy-source-if-match). */
    private UploadPartCopyResult copyPart(
            String key, String uploadId, int partNumber, ObjectInfo source, long offset, long length)
            throws ObjectStoreException {
        UploadPartCopyRequest request = new UploadPartCopyRequest();
        request.setSourceBucketName(bucket);
        request.setSourceKey(source.key());
        request.setBucketName(bucket);
        request.setKey(key);
        request.setUploadId(uploadId);
        request.setPartNumber(partNumber);
        request.setBeginIndex(offset);
        request.setPartSize(length);
        request.setMatchingETagConstraints(List.of(source.etag()));
        try {
            return client.uploadPartCopy(request);
        } catch (RuntimeException e) {
            throw sourceChangedOr(
                    OssErrorMapper.map("uploadPartCopy " + partNumber + " of", key + " from " + source.key(), e),
                    source.key());
        }
    }

    /** The CRC64 of a range of the headed version of {@code source}, by reading it. */
    private long crcOfRange(ObjectInfo source, long offset, long length) throws ObjectStoreException {
        if (length == 0) {
            return 0;
        }
        GetObjectRequest request = new GetObjectRequest(bucket, source.key());
        request.setRange(offset, offset + length - 1);
        request.addHeader(RANGE_BEHAVIOR, "standard");
        request.setMatchingETagConstraints(List.of(source.etag()));
        LOG.debug("part copy of {}: no CRC64 in the answer, reading {} bytes to compute it", source.key(), length);
        try (OSSObject object = client.getObject(request);
                InputStream in = object.getObjectContent()) {
            byte[] buffer = new byte[256 * 1024];
            long crc = 0;
            long seen = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc = Crc64.update(crc, buffer, 0, n);
                seen += n;
            }
            if (seen != length) {
                throw new ObjectStoreException(
                        Code.UNAVAILABLE,
                        "reading " + source.key() + " for a part CRC64 gave " + seen + " of " + length + " bytes");
            }
            return crc;
        } catch (ObjectStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw sourceChangedOr(
                    OssErrorMapper.map("uploadPartCopy (CRC64 of the range) of", source.key(), e), source.key());
        } catch (IOException e) {
            throw new ObjectStoreException(
                    Code.UNAVAILABLE, "reading " + source.key() + " for a part CRC64: " + e.getMessage(), e);
        }
    }

    @Override
    public ObjectWritten completeMultipart(
            String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        checkKey(key);
        if (parts.isEmpty()) {
            throw new ObjectStoreException(Code.INVALID, "completeMultipart " + key + ": no parts");
        }
        List<PartETag> etags = new ArrayList<>();
        long size = 0;
        long combined = 0;
        int previous = 0;
        for (MultipartPart part : parts) {
            if (part.partNumber() <= previous) {
                throw new ObjectStoreException(
                        Code.INVALID,
                        "completeMultipart " + key + ": part numbers must ascend, " + part.partNumber() + " follows "
                                + previous);
            }
            previous = part.partNumber();
            etags.add(new PartETag(part.partNumber(), part.etag(), part.size(), part.crc64()));
            size += part.size();
            combined = Crc64.combine(combined, part.crc64(), part.size());
        }
        requireMatchingEtag("completeMultipart", key, condition);
        CompleteMultipartUploadResult result = complete(key, uploadId, etags, condition);
        Long server = OssCrc64Checks.serverCrc(result);
        boolean verified = crcChecks.checkWrite("completeMultipart", key, combined, null, server);
        return new ObjectWritten(key, unquote(result.getETag()), size, combined, verified);
    }

    private CompleteMultipartUploadResult complete(
            String key, String uploadId, List<PartETag> parts, Precondition condition) throws ObjectStoreException {
        CompleteMultipartUploadRequest request = new CompleteMultipartUploadRequest(bucket, key, uploadId, parts);
        if (condition.kind() == Precondition.Kind.IF_ABSENT) {
            request.addHeader(FORBID_OVERWRITE, "true");
        }
        try {
            return client.completeMultipartUpload(request);
        } catch (RuntimeException e) {
            throw OssErrorMapper.map("completeMultipart", key, e);
        }
    }

    @Override
    public void abortMultipart(String key, String uploadId) throws ObjectStoreException {
        checkKey(key);
        try {
            client.abortMultipartUpload(new AbortMultipartUploadRequest(bucket, key, uploadId));
        } catch (RuntimeException e) {
            ObjectStoreException mapped = OssErrorMapper.map("abortMultipart", key, e);
            if (mapped.code() != Code.NOT_FOUND) {
                throw mapped;
            }
        }
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            abortMultipart(key, uploadId);
        } catch (ObjectStoreException e) {
            LOG.warn("could not abort the multipart upload of {} ({}): {}", key, uploadId, e.getMessage());
        }
    }

    @Override
    public UploadPage listMultipartUploads(String prefix, String token) throws ObjectStoreException {
        ListMultipartUploadsRequest request = new ListMultipartUploadsRequest(bucket);
        if (!prefix.isEmpty()) {
            request.setPrefix(prefix);
        }
        request.setMaxUploads(UPLOAD_PAGE);
        if (token != null) {
            String[] markers = decodeUploadToken(token);
            request.setKeyMarker(markers[0]);
            request.setUploadIdMarker(markers[1]);
        }
        MultipartUploadListing listing;
        try {
            listing = client.listMultipartUploads(request);
        } catch (RuntimeException e) {
            throw OssErrorMapper.map("listMultipartUploads", prefix, e);
        }
        List<PendingUpload> uploads = new ArrayList<>();
        for (MultipartUpload upload : listing.getMultipartUploads()) {
            uploads.add(new PendingUpload(upload.getKey(), upload.getUploadId(), instant(upload.getInitiated())));
        }
        String next = listing.isTruncated()
                ? encodeUploadToken(listing.getNextKeyMarker(), listing.getNextUploadIdMarker())
                : null;
        return new UploadPage(uploads, next);
    }

    private static String encodeUploadToken(String keyMarker, String uploadIdMarker) {
        String joined = (keyMarker == null ? "" : keyMarker) + "\n" + (uploadIdMarker == null ? "" : uploadIdMarker);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decodeUploadToken(String token) throws ObjectStoreException {
        try {
            String joined = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int split = joined.lastIndexOf('\n');
            if (split >= 0) {
                return new String[] {joined.substring(0, split), joined.substring(split + 1)};
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new ObjectStoreException(Code.INVALID, "not an upload listing token: " + token);
    }

    @Override
    public void close() {
        client.shutdown();
    }

    @Override
    public String toString() {
        return "OssObjectStore[" + config.endpoint() + "/" + bucket + "]";
    }

    // ---- preconditions -----------------------------------------------------------------------------

    /**
     * The emulated If-Match (see the class comment for the race it leaves): the target must exist with
     * the given ETag right now.
     */
    private void requireMatchingEtag(String operation, String key, Precondition condition) throws ObjectStoreException {
        if (condition.kind() != Precondition.Kind.IF_MATCH) {
            return;
        }
        ObjectInfo current;
        try {
            current = head(key);
        } catch (ObjectStoreException e) {
            if (e.code() == Code.NOT_FOUND) {
                throw new ObjectStoreException(
                        Code.PRECONDITION_FAILED,
                        operation + " " + key + ": if-match " + condition.etag() + " but there is no object",
                        e);
            }
            throw e;
        }
        if (!sameEtag(current.etag(), condition.etag())) {
            throw new ObjectStoreException(
                    Code.PRECONDITION_FAILED,
                    operation + " " + key + ": if-match " + condition.etag() + " but the object's ETag is "
                            + current.etag());
        }
    }

    private void refuseIfPresent(String key) throws ObjectStoreException {
        try {
            head(key);
        } catch (ObjectStoreException e) {
            if (e.code() == Code.NOT_FOUND) {
                return;
            }
            throw e;
        }
        throw new ObjectStoreException(Code.PRECONDITION_FAILED, "copy to " + key + ": the object exists");
    }

    /**
     * A failed copy-source-if-match (OSS "PreconditionFailed", unlike "FileAlreadyExists" of a forbidden
     * overwrite) means the source changed under the copy: say so, as a failure worth retrying.
     */
    private static ObjectStoreException sourceChangedOr(ObjectStoreException mapped, String sourceKey) {
        if (!(mapped.getCause() instanceof OSSException oss) || !"PreconditionFailed".equals(oss.getErrorCode())) {
            return mapped;
        }
        return new ObjectStoreException(
                Code.UNAVAILABLE, "the source " + sourceKey + " changed while it was being copied; copy again", mapped);
    }

    // ---- small conversions -------------------------------------------------------------------------

    private ObjectInfo info(String key, ObjectMetadata metadata, long size) {
        Map<String, String> user = new HashMap<>();
        if (metadata.getUserMetadata() != null) {
            metadata.getUserMetadata().forEach((name, value) -> user.put(name.toLowerCase(Locale.ROOT), value));
        }
        Long crc = metadata.getServerCRC();
        return new ObjectInfo(
                key,
                size,
                unquote(metadata.getETag()),
                instant(metadata.getLastModified()),
                user,
                crc == null ? OptionalLong.empty() : OptionalLong.of(crc));
    }

    private static ObjectMetadata newMetadata(Map<String, String> userMetadata) {
        ObjectMetadata metadata = new ObjectMetadata();
        metadata.setUserMetadata(new HashMap<>(userMetadata));
        return metadata;
    }

    private static Instant instant(Date date) {
        return date == null ? Instant.EPOCH : date.toInstant();
    }

    private static String unquote(String etag) {
        if (etag == null) {
            return "";
        }
        String trimmed = etag.trim();
        if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
            return trimmed.substring(1, trimmed.length() - 1);
        }
        return trimmed;
    }

    private static boolean sameEtag(String a, String b) {
        return unquote(a).equalsIgnoreCase(unquote(b));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static void checkKey(String key) throws ObjectStoreException {
        if (key == null || key.isEmpty()) {
            throw new ObjectStoreException(Code.INVALID, "empty key");
        }
    }

    private static void checkPartNumber(String key, int partNumber) throws ObjectStoreException {
        if (partNumber < 1 || partNumber > MultipartPart.MAX_PART_NUMBER) {
            throw new ObjectStoreException(
                    Code.INVALID,
                    "part number " + partNumber + " of " + key + " is outside 1.." + MultipartPart.MAX_PART_NUMBER);
        }
    }
}
