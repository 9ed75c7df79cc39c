package dev.sgw.core.store.oss;

import dev.sgw.core.store.ByteRange;
import dev.sgw.core.store.ListPage;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.MultipartPart;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectContent;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectWritten;
import dev.sgw.core.store.PendingUpload;
import dev.sgw.core.store.Precondition;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.store.UploadPage;
import java.util.Collection;
import java.util.List;

/**
 * A store seen under a key prefix, for tests against a shared real bucket: every key gets {@code prefix}
 * in front on the way in and loses it on the way out. (Test scope only; the gateway's own prefixing
 * decorator lives with the other decorators.)
 */
final class KeyPrefixedStore implements ObjectStore {

    private final ObjectStore store;
    private final String prefix;

    KeyPrefixedStore(ObjectStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    private String in(String key) {
        return prefix + key;
    }

    private String out(String key) {
        return key.substring(prefix.length());
    }

    private ObjectInfo out(ObjectInfo info) {
        return new ObjectInfo(out(info.key()), info.size(), info.etag(), info.lastModified(), info.userMetadata(), info.crc64());
    }

    private ObjectWritten out(ObjectWritten written) {
        return new ObjectWritten(out(written.key()), written.etag(), written.size(), written.crc64(), written.crc64Verified());
    }

    @Override
    public ObjectInfo head(String key) throws ObjectStoreException {
        return out(store.head(in(key)));
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        ObjectContent content = store.get(in(key), range);
        return new ObjectContent(out(content.info()), content.range(), content.length(), content.stream());
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        return out(store.put(in(key), body, options));
    }

    @Override
    public void delete(String key) throws ObjectStoreException {
        store.delete(in(key));
    }

    @Override
    public void deleteAll(Collection<String> keys) throws ObjectStoreException {
        store.deleteAll(keys.stream().map(this::in).toList());
    }

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        return out(store.copy(in(sourceKey), in(targetKey), options));
    }

    @Override
    public ListPage list(ListRequest request) throws ObjectStoreException {
        ListPage page = store.list(new ListRequest(in(request.prefix()), request.delimiter(), request.token(), request.maxKeys()));
        return new ListPage(page.objects().stream().map(this::out).toList(),
                page.commonPrefixes().stream().map(this::out).toList(), page.nextToken());
    }

    @Override
    public String startMultipart(String key, PutOptions options) throws ObjectStoreException {
        return store.startMultipart(in(key), options);
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body) throws ObjectStoreException {
        return store.uploadPart(in(key), uploadId, partNumber, body);
    }

    @Override
    public MultipartPart uploadPartCopy(String key, String uploadId, int partNumber, String sourceKey, ByteRange sourceRange)
            throws ObjectStoreException {
        return store.uploadPartCopy(in(key), uploadId, partNumber, in(sourceKey), sourceRange);
    }

    @Override
    public ObjectWritten completeMultipart(String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        return out(store.completeMultipart(in(key), uploadId, parts, condition));
    }

    @Override
    public void abortMultipart(String key, String uploadId) throws ObjectStoreException {
        store.abortMultipart(in(key), uploadId);
    }

    @Override
    public UploadPage listMultipartUploads(String keyPrefix, String token) throws ObjectStoreException {
        UploadPage page = store.listMultipartUploads(in(keyPrefix), token);
        return new UploadPage(page.uploads().stream()
                .map(u -> new PendingUpload(out(u.key()), u.uploadId(), u.initiated())).toList(), page.nextToken());
    }
}
