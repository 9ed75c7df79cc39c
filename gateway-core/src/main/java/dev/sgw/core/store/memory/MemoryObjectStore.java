package dev.sgw.core.store.memory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;

import dev.sgw.core.store.ByteRange;
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
import dev.sgw.core.store.UploadPage;

/**
 * An object store in memory, for tests: it follows the {@link ObjectStore} contract as strictly as a real
 * store (conditional writes, S3's minimum part size, ETags as MD5 hex, multipart ETags as
 * {@code md5-of-part-md5s-N}) and reports the CRC64-ECMA of every object, as OSS does.
 *
 * <p>Writes to one key are atomic: a reader sees the old or the new object, never a mix.
 */
public final class MemoryObjectStore implements ObjectStore {

    // the array component is carried as is; this record is never compared or used as a key
    @SuppressWarnings("ArrayRecordComponent")
    private record Stored(byte[] data, Map<String, String> metadata, String etag, Instant modified, long crc64) {
        ObjectInfo info(String key) {
            return new ObjectInfo(key, data.length, etag, modified, metadata, OptionalLong.of(crc64));
        }
    }

    // the array component is carried as is; this record is never compared or used as a key
    @SuppressWarnings("ArrayRecordComponent")
    private record Part(byte[] data, String etag, long crc64) {}

    private record Upload(
            String key, Map<String, String> metadata, Instant initiated, ConcurrentSkipListMap<Integer, Part> parts) {}

    private final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<String, Upload> uploads = new ConcurrentSkipListMap<>();

    @Override
    public ObjectInfo head(String key) throws ObjectStoreException {
        return require(key).info(key);
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        Stored stored = require(key);
        if (range == null) {
            return new ObjectContent(stored.info(key), null, stored.data.length, new ByteArrayInputStream(stored.data));
        }
        if (range.offset() >= stored.data.length) {
            throw new ObjectStoreException(Code.INVALID, "range " + range + " starts past the end of " + key);
        }
        int length = (int) Math.min(range.length(), stored.data.length - range.offset());
        return new ObjectContent(
                stored.info(key), range, length, new ByteArrayInputStream(stored.data, (int) range.offset(), length));
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        checkKey(key);
        byte[] data = readBody(body);
        Stored stored = new Stored(data, options.userMetadata(), md5Hex(data), Instant.now(), Crc64.of(data));
        store(key, stored, options.precondition());
        return new ObjectWritten(key, stored.etag, data.length, stored.crc64, true);
    }

    @Override
    public void delete(String key) throws ObjectStoreException {
        checkKey(key);
        objects.remove(key);
    }

    @Override
    public void deleteAll(Collection<String> keys) throws ObjectStoreException {
        for (String key : keys) {
            delete(key);
        }
    }

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        checkKey(targetKey);
        Stored source = require(sourceKey);
        Stored copy = new Stored(source.data, options.userMetadata(), source.etag, Instant.now(), source.crc64);
        store(targetKey, copy, options.precondition());
        return new ObjectWritten(targetKey, copy.etag, copy.data.length, copy.crc64, true);
    }

    @Override
    public ListPage list(ListRequest request) throws ObjectStoreException {
        String prefix = request.prefix();
        String delimiter = request.delimiter();
        NavigableMap<String, Stored> tail =
                request.token() == null ? objects.tailMap(prefix, true) : objects.tailMap(request.token(), false);
        List<ObjectInfo> found = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = null;
        for (Map.Entry<String, Stored> entry : tail.entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(prefix)) {
                break;
            }
            String rolledUp = rollUp(key, prefix, delimiter);
            if (rolledUp != null && (rolledUp.equals(request.token()) || rolledUp.equals(last))) {
                continue;
            }
            if (found.size() + prefixes.size() == request.maxKeys()) {
                return new ListPage(found, prefixes, last);
            }
            if (rolledUp != null) {
                prefixes.add(rolledUp);
                last = rolledUp;
            } else {
                Stored stored = entry.getValue();
                found.add(new ObjectInfo(
                        key,
                        stored.data.length,
                        stored.etag,
                        stored.modified,
                        Map.of(),
                        OptionalLong.of(stored.crc64)));
                last = key;
            }
        }
        return new ListPage(found, prefixes, null);
    }

    private static String rollUp(String key, String prefix, String delimiter) {
        if (delimiter == null || delimiter.isEmpty()) {
            return null;
        }
        int at = key.indexOf(delimiter, prefix.length());
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    @Override
    public String startMultipart(String key, PutOptions options) throws ObjectStoreException {
        checkKey(key);
        String uploadId = UUID.randomUUID().toString();
        uploads.put(uploadId, new Upload(key, options.userMetadata(), Instant.now(), new ConcurrentSkipListMap<>()));
        return uploadId;
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body)
            throws ObjectStoreException {
        Upload upload = requireUpload(key, uploadId);
        return addPart(upload, partNumber, readBody(body));
    }

    @Override
    public MultipartPart uploadPartCopy(String key, String uploadId, int partNumber, String sourceKey, ByteRange range)
            throws ObjectStoreException {
        Upload upload = requireUpload(key, uploadId);
        Stored source = require(sourceKey);
        byte[] data;
        if (range == null) {
            data = source.data;
        } else {
            if (range.lastByte() >= source.data.length) {
                throw new ObjectStoreException(
                        Code.INVALID, "copy range " + range + " runs past the end of " + sourceKey);
            }
            data = new byte[(int) range.length()];
            System.arraycopy(source.data, (int) range.offset(), data, 0, data.length);
        }
        return addPart(upload, partNumber, data);
    }

    private static MultipartPart addPart(Upload upload, int partNumber, byte[] data) {
        Part part = new Part(data, md5Hex(data), Crc64.of(data));
        MultipartPart acknowledged = new MultipartPart(partNumber, part.etag, data.length, part.crc64);
        upload.parts.put(partNumber, part);
        return acknowledged;
    }

    @Override
    public ObjectWritten completeMultipart(
            String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        Upload upload = requireUpload(key, uploadId);
        if (parts.isEmpty()) {
            throw new ObjectStoreException(Code.INVALID, "no parts to complete " + key);
        }
        int size = 0;
        long crc = 0;
        int previous = 0;
        MessageDigest etags = md5();
        List<Part> chosen = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            MultipartPart given = parts.get(i);
            Part part = upload.parts.get(given.partNumber());
            if (given.partNumber() <= previous || part == null || !part.etag.equals(given.etag())) {
                throw new ObjectStoreException(Code.INVALID, "InvalidPart: part " + given.partNumber() + " of " + key);
            }
            if (i < parts.size() - 1 && part.data.length < MIN_PART_SIZE) {
                throw new ObjectStoreException(
                        Code.INVALID, "EntityTooSmall: part " + given.partNumber() + " of " + key);
            }
            previous = given.partNumber();
            chosen.add(part);
            size += part.data.length;
            crc = Crc64.combine(crc, part.crc64, part.data.length);
            etags.update(HexFormat.of().parseHex(part.etag));
        }
        byte[] data = new byte[size];
        int at = 0;
        for (Part part : chosen) {
            System.arraycopy(part.data, 0, data, at, part.data.length);
            at += part.data.length;
        }
        String etag = HexFormat.of().formatHex(etags.digest()) + "-" + parts.size();
        Stored stored = new Stored(data, upload.metadata, etag, Instant.now(), crc);
        synchronized (upload) {
            if (!uploads.containsKey(uploadId)) {
                throw new ObjectStoreException(Code.NOT_FOUND, "NoSuchUpload: " + uploadId);
            }
            store(key, stored, condition);
            uploads.remove(uploadId);
        }
        return new ObjectWritten(key, etag, size, crc, true);
    }

    @Override
    public void abortMultipart(String key, String uploadId) {
        Upload upload = uploads.get(uploadId);
        if (upload != null && upload.key.equals(key)) {
            uploads.remove(uploadId);
        }
    }

    @Override
    public UploadPage listMultipartUploads(String prefix, String token) {
        List<PendingUpload> pending = new ArrayList<>();
        uploads.forEach((id, upload) -> {
            if (upload.key.startsWith(prefix)) {
                pending.add(new PendingUpload(upload.key, id, upload.initiated));
            }
        });
        pending.sort((a, b) -> a.key().compareTo(b.key()) != 0
                ? a.key().compareTo(b.key())
                : a.uploadId().compareTo(b.uploadId()));
        return new UploadPage(pending, null);
    }

    private void store(String key, Stored stored, Precondition condition) throws ObjectStoreException {
        ObjectStoreException[] failed = new ObjectStoreException[1];
        objects.compute(key, (k, existing) -> {
            boolean ok = switch (condition.kind()) {
                case NONE -> true;
                case IF_ABSENT -> existing == null;
                case IF_MATCH -> existing != null && existing.etag.equals(condition.etag());
            };
            if (!ok) {
                failed[0] = new ObjectStoreException(Code.PRECONDITION_FAILED, condition.kind() + " failed for " + key);
                return existing;
            }
            return stored;
        });
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    private Stored require(String key) throws ObjectStoreException {
        checkKey(key);
        Stored stored = objects.get(key);
        if (stored == null) {
            throw ObjectStoreException.notFound(key);
        }
        return stored;
    }

    private Upload requireUpload(String key, String uploadId) throws ObjectStoreException {
        Upload upload = uploads.get(uploadId);
        if (upload == null || !upload.key.equals(key)) {
            throw new ObjectStoreException(Code.NOT_FOUND, "NoSuchUpload: " + uploadId + " for " + key);
        }
        return upload;
    }

    private static void checkKey(String key) throws ObjectStoreException {
        if (key == null || key.isEmpty()) {
            throw new ObjectStoreException(Code.INVALID, "empty key");
        }
    }

    private static byte[] readBody(ObjectBody body) throws ObjectStoreException {
        try {
            return body.toByteArray().clone(); // the caller's array may be its own buffer
        } catch (IOException e) {
            throw new ObjectStoreException(Code.INVALID, "cannot read the body: " + e.getMessage(), e);
        }
    }

    private static String md5Hex(byte[] data) {
        return HexFormat.of().formatHex(md5().digest(data));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
