package dev.sgw.core.store.oss;

import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import dev.sgw.core.store.Crc64;
import dev.sgw.core.store.S3ProxyFixture;
import dev.sgw.core.store.oss.OssFixture.Answer;
import dev.sgw.core.store.oss.OssFixture.CrcAnswer;
import dev.sgw.core.store.oss.OssFixture.OssError;
import dev.sgw.core.store.oss.OssFixture.Request;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The operations of {@link OssFixture}: each OSS request done against S3Proxy with the AWS SDK, and
 * answered the way OSS answers it.
 *
 * <p>The CRC64-ECMA of every object is computed from the bytes received and kept where the OSS client
 * cannot see it: in S3 user metadata {@value #CRC_METADATA} for puts and copies, in memory for completed
 * multipart objects (S3 metadata cannot change after completion); an object without either has its CRC64
 * computed on read. Parts and pending uploads are tracked in memory as well.
 *
 * <p>Writes to one key (put, copy, completion, delete) are serialized by a lock per key, so
 * {@code x-oss-forbid-overwrite} is atomic as on OSS.
 */
final class OssOperations implements AutoCloseable {

    static final String CRC_METADATA = "oss-fixture-crc64";
    private static final String META_PREFIX = "x-oss-meta-";
    private static final long MIN_PART_SIZE = 100 * 1024; // OSS's rule for parts but the last
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private record Part(String etag, long size, long crc) {}

    private record Upload(String key, Instant initiated, ConcurrentSkipListMap<Integer, Part> parts) {}

    private record KnownCrc(String etag, long crc) {}

    private final S3Client s3;
    private final String bucket;
    private final ReentrantLock[] keyLocks = new ReentrantLock[64];
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final Map<String, KnownCrc> multipartCrcs = new ConcurrentHashMap<>();
    private final AtomicInteger partCopies = new AtomicInteger();
    private volatile CrcAnswer crcAnswer = CrcAnswer.TRUE;
    private volatile boolean crcOnPartCopy;

    OssOperations(S3ProxyFixture proxy, String bucket) {
        this.bucket = bucket;
        this.s3 = proxy.clientBuilder()
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(64))
                .build();
        for (int i = 0; i < keyLocks.length; i++) {
            keyLocks[i] = new ReentrantLock();
        }
    }

    void crcAnswer(CrcAnswer answer) {
        this.crcAnswer = answer;
    }

    void crcOnPartCopy(boolean report) {
        this.crcOnPartCopy = report;
    }

    int partCopies() {
        return partCopies.get();
    }

    @Override
    public void close() {
        s3.close();
    }

    Answer serve(Request r) throws Exception {
        boolean objectLevel = !r.key().isEmpty();
        return switch (r.method()) {
            case "PUT" -> {
                if (!objectLevel) {
                    throw new OssError(400, "InvalidArgument", "bucket operations are not served");
                }
                boolean copy = r.header("x-oss-copy-source") != null;
                if (r.has("uploadId")) {
                    yield copy ? uploadPartCopy(r) : uploadPart(r);
                }
                yield copy ? copyObject(r) : putObject(r);
            }
            case "GET" -> objectLevel ? getObject(r, false) : r.has("uploads") ? listUploads(r) : listObjects(r);
            case "HEAD" -> getObject(r, true);
            case "DELETE" -> r.has("uploadId") ? abort(r) : deleteObject(r);
            case "POST" -> {
                if (r.has("uploads")) {
                    yield initiate(r);
                }
                if (r.has("uploadId")) {
                    yield complete(r);
                }
                if (r.has("delete")) {
                    yield deleteObjects(r);
                }
                throw new OssError(400, "InvalidArgument", "unknown POST");
            }
            default -> throw new OssError(405, "MethodNotAllowed", r.method());
        };
    }

    // ---- objects -----------------------------------------------------------------------------------

    private Answer putObject(Request r) throws Exception {
        checkContentMd5(r);
        byte[] data = r.body();
        long crc = Crc64.of(data);
        Map<String, String> metadata = userMetadata(r);
        metadata.put(CRC_METADATA, Long.toUnsignedString(crc));
        return locked(r.key(), () -> {
            refuseOverwrite(r, r.key());
            String etag = s3.putObject(
                            b -> b.bucket(bucket)
                                    .key(r.key())
                                    .metadata(metadata)
                                    .contentType("application/octet-stream"),
                            RequestBody.fromBytes(data))
                    .eTag();
            multipartCrcs.remove(r.key());
            return new Answer(200).header("ETag", quote(etag)).header(OssObjectStore.CRC64_HEADER, crcHeader(crc));
        });
    }

    private Answer getObject(Request r, boolean headOnly) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HeadObjectResponse head = s3head(r.key());
            long size = head.contentLength();
            Long crc = knownCrc(r.key(), head);
            long[] range = parseRange(r.header("Range"), size, "standard".equals(r.header("x-oss-range-behavior")));
            Answer answer = new Answer(range == null ? 200 : 206);
            objectHeaders(answer, head);
            try {
                if (range == null && crc == null) {
                    byte[] data = s3.getObjectAsBytes(
                                    b -> b.bucket(bucket).key(r.key()).ifMatch(head.eTag()))
                            .asByteArray();
                    crc = Crc64.of(data);
                    answer.body = headOnly ? new byte[0] : data;
                } else if (!headOnly) {
                    String s3Range = range == null ? null : "bytes=" + range[0] + "-" + range[1];
                    ResponseInputStream<GetObjectResponse> stream = s3.getObject(b ->
                            b.bucket(bucket).key(r.key()).ifMatch(head.eTag()).range(s3Range));
                    answer.stream = stream;
                    answer.streamLength = range == null ? size : range[1] - range[0] + 1;
                }
            } catch (S3Exception e) {
                if (e.statusCode() == 412 && attempt < 3) {
                    continue; // replaced between the HEAD and the GET: describe the new version
                }
                throw asOssError(e);
            }
            long length = range == null ? size : range[1] - range[0] + 1;
            if (range != null) {
                answer.header("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
            }
            if (headOnly) {
                answer.header("Content-Length", Long.toString(length));
            }
            return answer.header(OssObjectStore.CRC64_HEADER, crc == null ? null : crcHeader(crc));
        }
    }

    private void objectHeaders(Answer answer, HeadObjectResponse head) {
        answer.header("ETag", quote(etagOf(head)))
                .header("Last-Modified", HTTP_DATE.format(head.lastModified()))
                .header("Content-Type", head.contentType() == null ? "application/octet-stream" : head.contentType())
                .header("x-oss-object-type", etagOf(head).contains("-") ? "Multipart" : "Normal");
        head.metadata().forEach((name, value) -> {
            if (!CRC_METADATA.equalsIgnoreCase(name)) {
                answer.header(META_PREFIX + name.toLowerCase(Locale.ROOT), value);
            }
        });
    }

    /** [first, last] of a "bytes=a-b" range cut at the end, null for the whole object. */
    private static long[] parseRange(String header, long size, boolean standard) {
        if (header == null || !header.startsWith("bytes=")) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        long first = Long.parseLong(spec.substring(0, dash));
        long last = dash == spec.length() - 1 ? size - 1 : Long.parseLong(spec.substring(dash + 1));
        if (first >= size || first > last) {
            if (standard) {
                throw new OssError(416, "InvalidRange", "The requested range cannot be satisfied.");
            }
            return null; // OSS without x-oss-range-behavior: the whole object
        }
        return new long[] {first, Math.min(last, size - 1)};
    }

    private Answer deleteObject(Request r) throws Exception {
        return locked(r.key(), () -> {
            s3.deleteObject(b -> b.bucket(bucket).key(r.key()));
            multipartCrcs.remove(r.key());
            return new Answer(204);
        });
    }

    private Answer deleteObjects(Request r) throws Exception {
        OssXml.DeleteRequest delete = OssXml.parseDelete(r.body());
        if (delete.keys().size() > 1000) {
            throw new OssError(400, "MalformedXML", "more than 1000 keys");
        }
        List<ObjectIdentifier> ids = delete.keys().stream()
                .map(k -> ObjectIdentifier.builder().key(k).build())
                .toList();
        if (!ids.isEmpty()) {
            var result = s3.deleteObjects(
                    b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(true)));
            if (result.hasErrors() && !result.errors().isEmpty()) {
                throw new OssError(
                        500,
                        "InternalError",
                        "S3 could not delete " + result.errors().size() + " keys");
            }
            delete.keys().forEach(multipartCrcs::remove);
        }
        OssXml xml = OssXml.document("DeleteResult");
        if (!delete.quiet()) {
            for (String key : delete.keys()) {
                xml.start("Deleted").text("Key", key).end();
            }
        }
        return new Answer(200).xml(xml.toBytes());
    }

    private Answer copyObject(Request r) throws Exception {
        String sourceKey = copySourceKey(r);
        HeadObjectResponse source = s3head(sourceKey);
        checkCopySourceMatch(r, source);
        Long known = knownCrc(sourceKey, source);
        long crc = known != null
                ? known
                : Crc64.of(
                        s3.getObjectAsBytes(b -> b.bucket(bucket).key(sourceKey).ifMatch(source.eTag()))
                                .asByteArray());
        Map<String, String> metadata = new HashMap<>();
        if ("REPLACE".equalsIgnoreCase(r.header("x-oss-metadata-directive"))) {
            metadata.putAll(userMetadata(r));
        } else {
            source.metadata().forEach((name, value) -> metadata.put(name.toLowerCase(Locale.ROOT), value));
        }
        metadata.put(CRC_METADATA, Long.toUnsignedString(crc));
        return locked(r.key(), () -> {
            refuseOverwrite(r, r.key());
            var result = s3.copyObject(b -> b.sourceBucket(bucket)
                    .sourceKey(sourceKey)
                    .copySourceIfMatch(source.eTag())
                    .destinationBucket(bucket)
                    .destinationKey(r.key())
                    .metadataDirective(MetadataDirective.REPLACE)
                    .metadata(metadata));
            multipartCrcs.remove(r.key());
            Instant modified = result.copyObjectResult().lastModified();
            return new Answer(200)
                    .header(OssObjectStore.CRC64_HEADER, crcHeader(crc))
                    .xml(OssXml.document("CopyObjectResult")
                            .etag("ETag", result.copyObjectResult().eTag().replace("\"", ""))
                            .time("LastModified", modified == null ? Instant.now() : modified)
                            .toBytes());
        });
    }

    // ---- listing -----------------------------------------------------------------------------------

    private Answer listObjects(Request r) {
        Map<String, String> q = r.query();
        int maxKeys = q.get("max-keys") == null ? 100 : Integer.parseInt(q.get("max-keys"));
        ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket)
                .prefix(q.get("prefix"))
                .delimiter(q.get("delimiter"))
                .maxKeys(maxKeys)
                .continuationToken(q.get("continuation-token"))
                .startAfter(q.get("start-after")));
        OssXml xml = OssXml.document("ListBucketResult")
                .text("Name", bucket)
                .text("Prefix", q.getOrDefault("prefix", ""))
                .text("MaxKeys", maxKeys)
                .text("Delimiter", q.get("delimiter"))
                .text("IsTruncated", page.isTruncated())
                .text("KeyCount", page.contents().size() + page.commonPrefixes().size())
                .text("ContinuationToken", q.get("continuation-token"))
                .text(
                        "NextContinuationToken",
                        Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null);
        for (S3Object object : page.contents()) {
            xml.start("Contents")
                    .text("Key", object.key())
                    .time("LastModified", object.lastModified())
                    .etag("ETag", object.eTag().replace("\"", ""))
                    .text("Type", "Normal")
                    .text("Size", object.size())
                    .text("StorageClass", "Standard")
                    .end();
        }
        for (CommonPrefix prefix : page.commonPrefixes()) {
            xml.start("CommonPrefixes").text("Prefix", prefix.prefix()).end();
        }
        return new Answer(200).xml(xml.toBytes());
    }

    // ---- multipart ---------------------------------------------------------------------------------

    private Answer initiate(Request r) {
        Map<String, String> metadata = userMetadata(r);
        String uploadId = s3.createMultipartUpload(
                        b -> b.bucket(bucket).key(r.key()).metadata(metadata).contentType("application/octet-stream"))
                .uploadId();
        uploads.put(uploadId, new Upload(r.key(), Instant.now(), new ConcurrentSkipListMap<>()));
        return new Answer(200)
                .xml(OssXml.document("InitiateMultipartUploadResult")
                        .text("Bucket", bucket)
                        .text("Key", r.key())
                        .text("UploadId", uploadId)
                        .toBytes());
    }

    private Answer uploadPart(Request r) throws Exception {
        Upload upload = upload(r);
        int number = partNumber(r);
        checkContentMd5(r);
        byte[] data = r.body();
        long crc = Crc64.of(data);
        String etag = s3.uploadPart(
                        b -> b.bucket(bucket)
                                .key(r.key())
                                .uploadId(r.query().get("uploadId"))
                                .partNumber(number),
                        RequestBody.fromBytes(data))
                .eTag()
                .replace("\"", "");
        upload.parts().put(number, new Part(etag, data.length, crc));
        return new Answer(200).header("ETag", quote(etag)).header(OssObjectStore.CRC64_HEADER, crcHeader(crc));
    }

    private Answer uploadPartCopy(Request r) throws Exception {
        Upload upload = upload(r);
        int number = partNumber(r);
        String sourceKey = copySourceKey(r);
        HeadObjectResponse source = s3head(sourceKey);
        checkCopySourceMatch(r, source);
        String rangeHeader = r.header("x-oss-copy-source-range");
        long[] range = rangeHeader == null
                ? new long[] {0, source.contentLength() - 1}
                : parseRange(rangeHeader, source.contentLength(), true);
        if (range == null || range[1] >= source.contentLength()) {
            throw new OssError(400, "InvalidArgument", "copy range outside the source");
        }
        String s3Range = "bytes=" + range[0] + "-" + range[1];
        long crc = Crc64.of(s3.getObjectAsBytes(b ->
                        b.bucket(bucket).key(sourceKey).ifMatch(source.eTag()).range(s3Range))
                .asByteArray());
        String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                        .sourceKey(sourceKey)
                        .copySourceIfMatch(source.eTag())
                        .copySourceRange(s3Range)
                        .destinationBucket(bucket)
                        .destinationKey(r.key())
                        .uploadId(r.query().get("uploadId"))
                        .partNumber(number))
                .copyPartResult()
                .eTag()
                .replace("\"", "");
        upload.parts().put(number, new Part(etag, range[1] - range[0] + 1, crc));
        partCopies.incrementAndGet();
        Instant now = Instant.now();
        return new Answer(200)
                .header(OssObjectStore.CRC64_HEADER, crcOnPartCopy ? crcHeader(crc) : null)
                .xml(OssXml.document("CopyPartResult")
                        .time("LastModified", now)
                        .etag("ETag", etag)
                        .toBytes());
    }

    private Answer complete(Request r) throws Exception {
        String uploadId = r.query().get("uploadId");
        Upload upload = upload(r);
        List<OssXml.PartRef> given = OssXml.parseCompleteParts(r.body());
        if (given.isEmpty()) {
            throw new OssError(400, "MalformedXML", "no parts");
        }
        List<CompletedPart> completed = new ArrayList<>();
        long crc = 0;
        int previous = 0;
        for (int i = 0; i < given.size(); i++) {
            OssXml.PartRef ref = given.get(i);
            Part part = upload.parts().get(ref.partNumber());
            if (part == null || !part.etag().equalsIgnoreCase(ref.etag())) {
                throw new OssError(400, "InvalidPart", "part " + ref.partNumber() + " was not uploaded with that ETag");
            }
            if (ref.partNumber() <= previous) {
                throw new OssError(400, "InvalidPartOrder", "part numbers must ascend");
            }
            if (i < given.size() - 1 && part.size() < MIN_PART_SIZE) {
                throw new OssError(400, "EntityTooSmall", "part " + ref.partNumber() + " is smaller than 100 KB");
            }
            previous = ref.partNumber();
            crc = Crc64.combine(crc, part.crc(), part.size());
            completed.add(CompletedPart.builder()
                    .partNumber(ref.partNumber())
                    .eTag(quote(part.etag()))
                    .build());
        }
        long whole = crc;
        return locked(r.key(), () -> {
            refuseOverwrite(r, r.key());
            String etag = s3.completeMultipartUpload(b ->
                            b.bucket(bucket).key(r.key()).uploadId(uploadId).multipartUpload(m -> m.parts(completed)))
                    .eTag()
                    .replace("\"", "");
            uploads.remove(uploadId);
            multipartCrcs.put(r.key(), new KnownCrc(etag, whole));
            return new Answer(200)
                    .header(OssObjectStore.CRC64_HEADER, crcHeader(whole))
                    .xml(OssXml.document("CompleteMultipartUploadResult")
                            .text("Location", "/" + bucket + "/" + r.key())
                            .text("Bucket", bucket)
                            .text("Key", r.key())
                            .etag("ETag", etag)
                            .toBytes());
        });
    }

    private Answer abort(Request r) {
        String uploadId = r.query().get("uploadId");
        upload(r);
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(r.key()).uploadId(uploadId));
        uploads.remove(uploadId);
        return new Answer(204);
    }

    private Answer listUploads(Request r) {
        Map<String, String> q = r.query();
        String prefix = q.getOrDefault("prefix", "");
        String keyMarker = q.get("key-marker");
        String idMarker = q.getOrDefault("upload-id-marker", "");
        int max = q.get("max-uploads") == null ? 1000 : Integer.parseInt(q.get("max-uploads"));
        List<Map.Entry<String, Upload>> pending = new ArrayList<>(uploads.entrySet().stream()
                .filter(e -> e.getValue().key().startsWith(prefix))
                .filter(e -> keyMarker == null
                        || e.getValue().key().compareTo(keyMarker) > 0
                        || e.getValue().key().equals(keyMarker) && e.getKey().compareTo(idMarker) > 0)
                .toList());
        pending.sort(Comparator.comparing(
                        (Map.Entry<String, Upload> e) -> e.getValue().key())
                .thenComparing(Map.Entry::getKey));
        boolean truncated = pending.size() > max;
        List<Map.Entry<String, Upload>> page = pending.subList(0, Math.min(max, pending.size()));
        Map.Entry<String, Upload> last = page.isEmpty() ? null : page.getLast();
        OssXml xml = OssXml.document("ListMultipartUploadsResult")
                .text("Bucket", bucket)
                .text("KeyMarker", keyMarker == null ? "" : keyMarker)
                .text("UploadIdMarker", idMarker)
                .text("NextKeyMarker", truncated ? last.getValue().key() : "")
                .text("NextUploadIdMarker", truncated ? last.getKey() : "")
                .text("Prefix", prefix)
                .text("MaxUploads", max)
                .text("IsTruncated", truncated);
        for (Map.Entry<String, Upload> entry : page) {
            xml.start("Upload")
                    .text("Key", entry.getValue().key())
                    .text("UploadId", entry.getKey())
                    .text("StorageClass", "Standard")
                    .time("Initiated", entry.getValue().initiated())
                    .end();
        }
        return new Answer(200).xml(xml.toBytes());
    }

    private Upload upload(Request r) {
        Upload upload = uploads.get(r.query().get("uploadId"));
        if (upload == null || !upload.key().equals(r.key())) {
            throw new OssError(404, "NoSuchUpload", "The specified upload does not exist.");
        }
        return upload;
    }

    private static int partNumber(Request r) {
        int number = Integer.parseInt(r.query().get("partNumber"));
        if (number < 1 || number > 10_000) {
            throw new OssError(400, "InvalidArgument", "part number out of range");
        }
        return number;
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** The CRC64 as the fixture reports it now: true, corrupted, or left out ({@code null}). */
    private String crcHeader(long crc) {
        return switch (crcAnswer) {
            case TRUE -> Long.toUnsignedString(crc);
            case CORRUPT -> Long.toUnsignedString(crc ^ 1);
            case OMIT -> null;
        };
    }

    /** The object's CRC64 where the fixture recorded it, else null. */
    private Long knownCrc(String key, HeadObjectResponse head) {
        for (Map.Entry<String, String> entry : head.metadata().entrySet()) {
            if (CRC_METADATA.equalsIgnoreCase(entry.getKey())) {
                return Long.parseUnsignedLong(entry.getValue());
            }
        }
        KnownCrc known = multipartCrcs.get(key);
        return known != null && known.etag().equalsIgnoreCase(etagOf(head)) ? known.crc() : null;
    }

    /**
     * The object's ETag without quotes; S3Proxy's filesystem store gives none for a zero-byte key ending
     * in "/" (it keeps it as a directory), which gets the ETag of empty content, as OSS gives it.
     */
    private static String etagOf(HeadObjectResponse head) {
        return head.eTag() == null
                ? "d41d8cd98f00b204e9800998ecf8427e"
                : head.eTag().replace("\"", "");
    }

    private HeadObjectResponse s3head(String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (S3Exception e) {
            throw asOssError(e);
        }
    }

    private static OssError asOssError(S3Exception e) {
        return switch (e.statusCode()) {
            case 404 -> new OssError(404, "NoSuchKey", "The specified key does not exist.");
            case 412 ->
                new OssError(
                        412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.");
            case 400 ->
                new OssError(
                        400,
                        e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                                ? "InvalidArgument"
                                : e.awsErrorDetails().errorCode(),
                        "S3 refused: " + e.getMessage());
            default -> new OssError(500, "InternalError", "S3 answered " + e.statusCode());
        };
    }

    private void refuseOverwrite(Request r, String key) {
        if (!"true".equalsIgnoreCase(r.header("x-oss-forbid-overwrite"))) {
            return;
        }
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return;
            }
            throw asOssError(e);
        }
        throw new OssError(
                409, "FileAlreadyExists", "The object you specified already exists and can not be overwritten.");
    }

    private static void checkCopySourceMatch(Request r, HeadObjectResponse source) {
        String wanted = r.header("x-oss-copy-source-if-match");
        if (wanted != null && !wanted.replace("\"", "").equalsIgnoreCase(etagOf(source))) {
            throw new OssError(412, "PreconditionFailed", "x-oss-copy-source-if-match did not hold.");
        }
    }

    private String copySourceKey(Request r) {
        String source = OssFixture.percentDecode(r.header("x-oss-copy-source"));
        String expected = "/" + bucket + "/";
        if (!source.startsWith(expected)) {
            throw new OssError(400, "InvalidArgument", "copy source must be in " + expected);
        }
        return source.substring(expected.length());
    }

    private static Map<String, String> userMetadata(Request r) {
        Map<String, String> metadata = new HashMap<>();
        r.headers().forEach((name, value) -> {
            if (name.startsWith(META_PREFIX)) {
                metadata.put(name.substring(META_PREFIX.length()), value);
            }
        });
        return metadata;
    }

    private static void checkContentMd5(Request r) throws Exception {
        String md5 = r.header("Content-MD5");
        if (md5 != null
                && !md5.equals(Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("MD5").digest(r.body())))) {
            throw new OssError(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
        }
    }

    private <T> T locked(String key, Supplier<T> write) {
        ReentrantLock lock = keyLocks[Math.floorMod(key.hashCode(), keyLocks.length)];
        lock.lock();
        try {
            return write.get();
        } catch (S3Exception e) {
            throw asOssError(e);
        } finally {
            lock.unlock();
        }
    }

    private static String quote(String etag) {
        return "\"" + etag.replace("\"", "") + "\"";
    }
}
