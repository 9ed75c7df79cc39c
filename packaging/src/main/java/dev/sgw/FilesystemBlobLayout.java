package dev.sgw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * How S3Proxy's filesystem blob store (4.1, {@code AbstractNio2BlobStore}) keeps a bucket's objects, read
 * back the way its listing reads them, for {@link BucketIndex}:
 *
 * <table>
 *   <caption>Objects as files under the bucket's directory</caption>
 *   <tr><th>on disk</th><th>listed as</th></tr>
 *   <tr><td>regular file {@code a/b}</td><td>object {@code a/b}: the file's size and modification time (ms), the
 *       ETag from the extended attribute {@value #ETAG_ATTRIBUTE} (16 bytes: an MD5, shown in hex; otherwise
 *       ASCII, e.g. a multipart ETag)</td></tr>
 *   <tr><td>directory {@code a/b} carrying {@value #ETAG_ATTRIBUTE}</td><td>the directory marker {@code a/b/},
 *       size 0</td></tr>
 *   <tr><td>directory without it</td><td>nothing itself; what is inside it</td></tr>
 *   <tr><td>{@value #SLASH_FILE} at the bucket's top</td><td>the key {@code /}</td></tr>
 *   <tr><td>{@value #VERSIONS_DIRECTORY} at the bucket's top; files named {@value #PART_PREFIX}...</td>
 *       <td>never listed: archived versions, multipart parts</td></tr>
 * </table>
 *
 * The storage class comes from {@value #TIER_ATTRIBUTE} when present. A key is stored at its normalized
 * path ({@code a//b} and {@code a/./b} are the file {@code a/b}), so an object is listed under the name of its
 * path, which {@link #locate} gives for a key.
 */
final class FilesystemBlobLayout {

    static final String SLASH_FILE = ".s3proxy-slash";
    static final String VERSIONS_DIRECTORY = ".s3proxy-versions";
    static final String PART_PREFIX = ".mpus-";
    static final String ETAG_ATTRIBUTE = "user.content-md5";
    static final String TIER_ATTRIBUTE = "user.storage-tier";
    private static final int FILES_PER_TASK = 256;
    /** Room for any ETag or storage class in one read; a larger value is read again at its size. */
    private static final int SMALL_ATTRIBUTE = 128;

    /** Where a key lives: its file and its listed name without a trailing "/" ({@code "/"} for the key "/"). */
    record Location(Path path, String name) {

        /** The name under which a directory marker at this location is listed. */
        String markerName() {
            return name.equals("/") ? name : name + "/";
        }
    }

    private FilesystemBlobLayout() {}

    /**
     * The file a key is stored in, as the blob store resolves it; empty when no object can be stored under
     * that key (outside the bucket, a reserved name, not a valid path).
     */
    static Optional<Location> locate(Path bucket, String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        if (key.equals("/")) {
            return Optional.of(new Location(bucket.resolve(SLASH_FILE), "/"));
        }
        Path path;
        try {
            path = bucket.resolve(key).normalize();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        if (!path.startsWith(bucket) || path.equals(bucket)) {
            return Optional.empty();
        }
        String name = bucket.relativize(path).toString();
        return hidden(name) ? Optional.empty() : Optional.of(new Location(path, name));
    }

    /** Whether a file at {@code name} (relative to the bucket, no trailing "/") is never listed. */
    static boolean hidden(String name) {
        int slash = name.lastIndexOf('/');
        String fileName = name.substring(slash + 1);
        return name.equals(SLASH_FILE)
                || name.equals(VERSIONS_DIRECTORY)
                || name.startsWith(VERSIONS_DIRECTORY + "/")
                || fileName.startsWith(PART_PREFIX);
    }

    /**
     * What the listing shows for the file at {@code location} now: the object or directory marker with its
     * listed name, or empty when there is none (no file, or a directory without a marker). Fails only when
     * the file exists but cannot be read.
     */
    static Optional<Listed> read(Location location) throws IOException {
        try {
            return entry(location, Files.readAttributes(location.path(), BasicFileAttributes.class));
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        }
    }

    /**
     * Walks a bucket's directory once, with {@code threads} threads, handing every listed object to
     * {@code sink} (which must be thread-safe). Returns the number of objects.
     */
    static long walk(Path bucket, int threads, Sink sink) throws IOException {
        try (ForkJoinPool pool = new ForkJoinPool(threads)) {
            DirectoryTask root = new DirectoryTask(bucket, bucket, sink);
            pool.invoke(root);
            return root.count;
        } catch (UncheckedWalkException e) {
            throw e.getCause();
        }
    }

    /** Receives the objects a walk finds. */
    @FunctionalInterface
    interface Sink {
        void accept(String name, BucketIndex.Entry entry);
    }

    /** An object as listed: its name and entry. */
    record Listed(String name, BucketIndex.Entry entry) {}

    private static Optional<Listed> entry(Location location, BasicFileAttributes attributes) throws IOException {
        long modified = attributes.lastModifiedTime().toMillis();
        if (attributes.isDirectory()) {
            if (location.name().equals("/")) {
                return Optional.empty();
            }
            Attributes xattrs = Attributes.read(location.path());
            if (!xattrs.hasEtag()) {
                return Optional.empty();
            }
            return Optional.of(
                    new Listed(location.markerName(), new BucketIndex.Entry(0, modified, xattrs.etag(), null)));
        }
        Attributes xattrs = Attributes.read(location.path());
        return Optional.of(new Listed(
                location.name(), new BucketIndex.Entry(attributes.size(), modified, xattrs.etag(), xattrs.tier())));
    }

    /** The two extended attributes a listing shows; {@code null} where absent or unsupported. */
    private record Attributes(boolean hasEtag, String etag, String tier) {

        static Attributes read(Path path) throws IOException {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
            if (view == null) {
                return new Attributes(false, null, null);
            }
            List<String> names;
            try {
                names = view.list();
            } catch (NoSuchFileException e) {
                throw e; // removed meanwhile: not listed
            } catch (IOException | UnsupportedOperationException e) {
                return new Attributes(false, null, null); // as the blob store: no attributes to be had
            }
            boolean hasEtag = names.contains(ETAG_ATTRIBUTE);
            String etag = null;
            if (hasEtag) {
                byte[] bytes = value(view, ETAG_ATTRIBUTE);
                etag = bytes.length == 16
                        ? HexFormat.of().formatHex(bytes)
                        : new String(bytes, StandardCharsets.US_ASCII);
            }
            String tier = names.contains(TIER_ATTRIBUTE)
                    ? new String(value(view, TIER_ATTRIBUTE), StandardCharsets.UTF_8)
                    : null;
            return new Attributes(hasEtag, etag, tier);
        }

        private static byte[] value(UserDefinedFileAttributeView view, String name) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(SMALL_ATTRIBUTE);
            try {
                view.read(name, buffer);
            } catch (IOException e) {
                buffer = ByteBuffer.allocate(view.size(name)); // larger than an ETag or a storage class
                view.read(name, buffer);
            }
            buffer.flip();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
    }

    /** Lists one directory: its files in batches, its sub-directories as tasks of their own. */
    // a ForkJoinTask is Serializable by inheritance only: the walk never serializes its tasks
    @SuppressWarnings("serial")
    private static final class DirectoryTask extends RecursiveAction {
        private final Path bucket;
        private final Path directory;
        private final Sink sink;
        private long count;

        DirectoryTask(Path bucket, Path directory, Sink sink) {
            this.bucket = bucket;
            this.directory = directory;
            this.sink = sink;
        }

        @Override
        protected void compute() {
            List<RecursiveAction> children = new ArrayList<>();
            List<DirectoryTask> directories = new ArrayList<>();
            List<FileBatch> batches = new ArrayList<>();
            List<Path> batch = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
                for (Path child : stream) {
                    String name = bucket.relativize(child).toString();
                    if (hidden(name)) {
                        if (name.equals(SLASH_FILE)) {
                            batch.add(child);
                        }
                        continue;
                    }
                    batch.add(child);
                    if (batch.size() == FILES_PER_TASK) {
                        FileBatch task = new FileBatch(bucket, batch, sink);
                        batches.add(task);
                        children.add(task);
                        batch = new ArrayList<>();
                    }
                }
            } catch (NoSuchFileException e) {
                return; // removed while walking
            } catch (IOException e) {
                throw new UncheckedWalkException(e);
            } catch (DirectoryIteratorException e) {
                throw new UncheckedWalkException(e.getCause());
            }
            FileBatch last = new FileBatch(bucket, batch, sink);
            batches.add(last);
            children.add(last);
            invokeAll(children);
            for (FileBatch b : batches) {
                count += b.count;
                directories.addAll(b.directories);
            }
            invokeAll(directories);
            for (DirectoryTask d : directories) {
                count += d.count;
            }
        }
    }

    /** Reads a batch of a directory's entries; the directories among them are walked afterwards. */
    // a ForkJoinTask is Serializable by inheritance only: the walk never serializes its tasks
    @SuppressWarnings("serial")
    private static final class FileBatch extends RecursiveAction {
        private final Path bucket;
        private final List<Path> paths;
        private final Sink sink;
        private final List<DirectoryTask> directories = new ArrayList<>();
        private long count;

        FileBatch(Path bucket, List<Path> paths, Sink sink) {
            this.bucket = bucket;
            this.paths = paths;
            this.sink = sink;
        }

        @Override
        protected void compute() {
            for (Path path : paths) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                    String name = bucket.relativize(path).toString();
                    Location location = name.equals(SLASH_FILE) ? new Location(path, "/") : new Location(path, name);
                    if (attributes.isDirectory() && !location.name().equals("/")) {
                        directories.add(new DirectoryTask(bucket, path, sink));
                    }
                    Optional<Listed> listed = entry(location, attributes);
                    if (listed.isPresent()) {
                        sink.accept(listed.get().name(), listed.get().entry());
                        count++;
                    }
                } catch (NoSuchFileException e) {
                    // removed while walking
                } catch (IOException e) {
                    throw new UncheckedWalkException(e);
                }
            }
        }
    }

    /** Carries an I/O failure out of the fork-join tasks. */
    private static final class UncheckedWalkException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedWalkException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
