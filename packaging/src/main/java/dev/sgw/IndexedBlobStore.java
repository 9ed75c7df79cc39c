package dev.sgw;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.SdkResponses;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * S3Proxy's filesystem blob store with its object listings answered from memory. The filesystem store
 * lists by walking the bucket's directories and reading every file's attributes for every page, so a
 * listing of N keys costs O(N²/page); this decorator keeps a {@link BucketIndex} per bucket and answers
 * list requests (prefix, delimiter, marker or continuation token, max keys, common prefixes) from it
 * without touching the disk. Everything else (bodies, metadata, multipart parts, versions, ACLs) goes to
 * the wrapped store.
 *
 * <p>The index is loaded by walking the data directory once when the store opens (in parallel; the count
 * and time are logged). After each put, copy, delete and multipart completion, before the request is
 * answered, the entry of the key written is read back from disk ({@link FilesystemBlobLayout#read}) and
 * stored, or removed if the object is gone; reading the file rather than trusting the request keeps the
 * index equal to what the filesystem listing would show whatever the operation did (versions restored,
 * keys normalized, conditional writes refused). A read-back of one key holds that key's lock, so of
 * concurrent writes of a key the last read-back sees the last write: once a write is acknowledged, every
 * list started afterwards shows it, and never shows an acknowledged delete. The directory markers above a
 * written key are read back too, since S3Proxy lists a marker with its directory's time (a marker created
 * at the very moment of a write inside its directory may keep the time it was read with until its
 * directory changes again).
 *
 * <table>
 *   <caption>Index state of a bucket ({@link IndexState})</caption>
 *   <tr><th>state</th><th>means</th><th>event</th><th>next</th></tr>
 *   <tr><td>UNINDEXED</td><td>no index: lists go to the wrapped store (slow but right)</td>
 *       <td>the store opens and walks the bucket's directory; {@link #createContainer} creates it</td>
 *       <td>INDEXED</td></tr>
 *   <tr><td>INDEXED</td><td>lists answered from the index; every write updates it before it is
 *       acknowledged</td><td>a written key's file cannot be read back (I/O error)</td>
 *       <td>UNINDEXED (logged); the index might be stale, so it is dropped</td></tr>
 *   <tr><td>INDEXED</td><td></td><td>the bucket is deleted</td><td>UNINDEXED (no bucket)</td></tr>
 *   <tr><td>INDEXED</td><td></td><td>{@code deleteContainer} fails part way</td><td>INDEXED, walked
 *       again</td></tr>
 * </table>
 *
 * A bucket directory made by another process while the store runs stays UNINDEXED until the next open.
 * The data directory belongs to this store: files changed behind its back show in the next open only.
 */
public final class IndexedBlobStore extends ForwardingBlobStore {

    /** Whether a bucket's listings come from the index. */
    public enum IndexState {
        INDEXED,
        UNINDEXED
    }

    private static final Logger LOG = LoggerFactory.getLogger(IndexedBlobStore.class);
    private static final int DEFAULT_MAX_KEYS = 1000;
    private static final int KEY_LOCKS = 256;

    private final Path root;
    private final int walkThreads;
    private final ConcurrentHashMap<String, IndexedBucket> buckets = new ConcurrentHashMap<>();
    private final Lock[] keyLocks = new Lock[KEY_LOCKS];

    /** A bucket's index; {@code rebuild} is held shared by read-backs and exclusively while walking it again. */
    private static final class IndexedBucket {
        final ReentrantReadWriteLock rebuild = new ReentrantReadWriteLock();
        volatile BucketIndex index;

        IndexedBucket(BucketIndex index) {
            this.index = index;
        }
    }

    private IndexedBlobStore(BlobStore delegate, Path root, int walkThreads) {
        super(delegate);
        this.root = root;
        this.walkThreads = walkThreads;
        for (int i = 0; i < KEY_LOCKS; i++) {
            keyLocks[i] = new ReentrantLock();
        }
    }

    /**
     * Opens a filesystem blob store over {@code root} (one directory per bucket) and indexes every bucket
     * in it, walking with as many threads as there are processors (at least two).
     */
    public static IndexedBlobStore open(Path root) throws IOException {
        Path absolute = root.toAbsolutePath().normalize();
        Files.createDirectories(absolute);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        IndexedBlobStore store =
                new IndexedBlobStore(new FilesystemNio2BlobStore(absolute.toString()), absolute, threads);
        store.indexAll();
        return store;
    }

    /** Whether {@code bucket}'s listings come from the index. */
    public IndexState indexState(String bucket) {
        IndexedBucket b = buckets.get(bucket);
        return b != null && b.index != null ? IndexState.INDEXED : IndexState.UNINDEXED;
    }

    /** The number of objects indexed in {@code bucket}; 0 when it is not indexed. */
    public int indexedObjects(String bucket) {
        IndexedBucket b = buckets.get(bucket);
        BucketIndex index = b == null ? null : b.index;
        return index == null ? 0 : index.size();
    }

    // ---- listing -----------------------------------------------------------------------------------

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        IndexedBucket bucket = request.bucket() == null ? null : buckets.get(request.bucket());
        BucketIndex index = bucket == null ? null : bucket.index;
        if (index == null) {
            return super.list(request);
        }
        String prefix = request.prefix() == null ? "" : request.prefix();
        String delimiter = request.delimiter() == null || request.delimiter().isEmpty() ? null : request.delimiter();
        String marker = request.continuationToken() != null ? request.continuationToken() : request.startAfter();
        int maxKeys = request.maxKeys() == null ? DEFAULT_MAX_KEYS : request.maxKeys();
        BucketIndex.Page page = index.list(prefix, delimiter, marker, maxKeys);
        List<S3Object> objects = new ArrayList<>(page.objects().size());
        for (Map.Entry<String, BucketIndex.Entry> e : page.objects()) {
            BucketIndex.Entry entry = e.getValue();
            objects.add(SdkResponses.objectEntry(
                    e.getKey(),
                    entry.etag(),
                    Instant.ofEpochMilli(entry.lastModifiedMillis()),
                    entry.size(),
                    storageClass(entry.storageTier())));
        }
        List<CommonPrefix> prefixes = new ArrayList<>(page.commonPrefixes().size());
        for (String p : page.commonPrefixes()) {
            prefixes.add(SdkResponses.commonPrefix(p));
        }
        return SdkResponses.objectsPage(objects, prefixes, page.nextMarker());
    }

    /** Removes the objects the request lists, page by page, each through {@link #removeBlob}. */
    @Override
    public void clearContainer(ListObjectsV2Request request) {
        ListObjectsV2Request next = request;
        while (true) {
            ListObjectsV2Response page = list(next);
            for (S3Object object : page.contents()) {
                removeBlob(DeleteObjectRequest.builder()
                        .bucket(request.bucket())
                        .key(object.key())
                        .build());
            }
            if (page.nextContinuationToken() == null) {
                return;
            }
            next = next.toBuilder()
                    .continuationToken(page.nextContinuationToken())
                    .build();
        }
    }

    // ---- writes: each reads its key back into the index before it is acknowledged ------------------

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        try {
            return super.putBlob(request, input);
        } finally {
            readBack(request.bucket(), request.key());
        }
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        try {
            return super.copyBlob(request);
        } finally {
            readBack(request.destinationBucket(), request.destinationKey());
        }
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        try {
            return super.removeBlob(request);
        } finally {
            readBack(request.bucket(), request.key());
        }
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(
            MultipartUpload upload, CompleteMultipartUploadRequest request) {
        try {
            return super.completeMultipartUpload(upload, request);
        } finally {
            readBack(upload.containerName(), upload.blobName());
        }
    }

    // ---- buckets -----------------------------------------------------------------------------------

    /**
     * Creates the bucket with an empty index, installed before the bucket exists so that no write to the
     * new bucket can miss it; removed again if the bucket could not be created (or already existed: it
     * keeps the index it had, or none).
     */
    @Override
    public CreateBucketResponse createContainer(CreateBucketRequest request) {
        IndexedBucket fresh = new IndexedBucket(new BucketIndex());
        boolean installed = buckets.putIfAbsent(request.bucket(), fresh) == null;
        boolean created = false;
        try {
            CreateBucketResponse response = super.createContainer(request);
            created = true;
            return response;
        } finally {
            if (installed && !created) {
                buckets.remove(request.bucket(), fresh);
            }
        }
    }

    @Override
    public void deleteContainer(String bucket) {
        try {
            super.deleteContainer(bucket);
        } finally {
            afterBucketDeletion(bucket);
        }
    }

    @Override
    public void deleteBucket(String bucket) {
        try {
            super.deleteBucket(bucket);
        } finally {
            afterBucketDeletion(bucket);
        }
    }

    private void afterBucketDeletion(String bucket) {
        IndexedBucket b = buckets.get(bucket);
        if (b == null) {
            return;
        }
        Path directory = root.resolve(bucket);
        if (!Files.isDirectory(directory)) {
            buckets.remove(bucket, b);
            return;
        }
        b.rebuild.writeLock().lock();
        try {
            if (b.index != null) {
                b.index = walk(bucket, directory);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "bucket {} could not be indexed again, its listings go to the filesystem store: {}",
                    bucket,
                    e.toString());
            b.index = null;
        } finally {
            b.rebuild.writeLock().unlock();
        }
    }

    // ---- the index ---------------------------------------------------------------------------------

    private void indexAll() throws IOException {
        long start = System.nanoTime();
        long objects = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path directory : stream) {
                String bucket = directory.getFileName().toString();
                BucketIndex index = walk(bucket, directory);
                buckets.put(bucket, new IndexedBucket(index));
                objects += index.size();
            }
        }
        LOG.info(
                "indexed {} objects in {} buckets under {} in {} ms ({} threads)",
                objects,
                buckets.size(),
                root,
                (System.nanoTime() - start) / 1_000_000,
                walkThreads);
    }

    private BucketIndex walk(String bucket, Path directory) throws IOException {
        BucketIndex index = new BucketIndex();
        long start = System.nanoTime();
        long count = FilesystemBlobLayout.walk(directory, walkThreads, index::put);
        LOG.debug("bucket {}: {} objects indexed in {} ms", bucket, count, (System.nanoTime() - start) / 1_000_000);
        return index;
    }

    /**
     * Makes the index entry of {@code key} what the disk holds now, then the entries of the directory
     * markers above it: S3Proxy lists a marker with its directory's modification time, which a write inside
     * the directory changes. Never throws: if a file cannot be read, the bucket's index is dropped rather
     * than left possibly stale.
     */
    private void readBack(String bucket, String key) {
        IndexedBucket b = bucket == null ? null : buckets.get(bucket);
        if (b == null) {
            return;
        }
        Path directory = root.resolve(bucket);
        Optional<FilesystemBlobLayout.Location> location = FilesystemBlobLayout.locate(directory, key);
        if (location.isEmpty() || !readBack(bucket, b, location.get())) {
            return;
        }
        String name = location.get().name();
        for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
            String parent = name.substring(0, slash);
            BucketIndex index = b.index;
            if (index != null
                    && index.get(parent + "/") != null
                    && !readBack(bucket, b, new FilesystemBlobLayout.Location(directory.resolve(parent), parent))) {
                return;
            }
        }
    }

    /**
     * Reads one location back into the index, holding its key's lock (so that read-backs of one key are
     * applied in the order they read the disk) and the bucket's rebuild lock shared. Returns false when the
     * bucket has no index (any longer).
     */
    private boolean readBack(String bucket, IndexedBucket b, FilesystemBlobLayout.Location location) {
        String name = location.name();
        Lock keyLock = keyLocks[Math.floorMod(31 * bucket.hashCode() + name.hashCode(), KEY_LOCKS)];
        b.rebuild.readLock().lock();
        keyLock.lock();
        try {
            BucketIndex index = b.index;
            if (index == null) {
                return false;
            }
            Optional<FilesystemBlobLayout.Listed> listed = FilesystemBlobLayout.read(location);
            String listedName = listed.map(FilesystemBlobLayout.Listed::name).orElse(null);
            // put before removing, so that a key overwritten in place never drops out of a running list
            listed.ifPresent(l -> index.put(l.name(), l.entry()));
            for (String variant : List.of(name, location.markerName())) {
                if (!variant.equals(listedName)) {
                    index.remove(variant);
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error(
                    "bucket {}: {} could not be read back after a write ({}); its listings now go to the"
                            + " filesystem store",
                    bucket,
                    name,
                    e.toString());
            b.index = null;
            return false;
        } finally {
            keyLock.unlock();
            b.rebuild.readLock().unlock();
        }
    }

    private static StorageClass storageClass(String tier) {
        if (tier == null) {
            return StorageClass.STANDARD;
        }
        try {
            return StorageClass.valueOf(tier);
        } catch (IllegalArgumentException e) {
            return StorageClass.STANDARD;
        }
    }
}
