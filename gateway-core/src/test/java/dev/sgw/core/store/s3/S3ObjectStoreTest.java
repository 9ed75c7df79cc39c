package dev.sgw.core.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sgw.core.store.ByteRange;
import dev.sgw.core.store.Crc64;
import dev.sgw.core.store.MultipartPart;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectContent;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStoreException.Code;
import dev.sgw.core.store.ObjectWritten;
import dev.sgw.core.store.PendingUpload;
import dev.sgw.core.store.Precondition;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.store.S3ProxyFixture;
import dev.sgw.core.store.s3.S3StoreConfig.UploadChecksum;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static dev.sgw.core.store.s3.S3ObjectStoreFailureTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link S3ObjectStore} adds on S3 beyond the shared contract: the CRC64 it records and checks,
 * large bodies, server-side composition of objects, multipart copies, the content-MD5 mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ObjectStoreTest {

    private static final int MIB = 1024 * 1024;
    private static final String BUCKET = "focused";

    @TempDir
    static Path root;

    private S3ProxyFixture server;
    private S3ObjectStore store;
    /** A plain SDK client on the same bucket, to write what sgw would not. */
    private S3Client raw;

    private final Random random = new Random();
    private String p;

    @BeforeAll
    void start() throws Exception {
        server = S3ProxyFixture.start(root);
        server.createBucket(BUCKET);
        store = new S3ObjectStore(config().build());
        raw = server.clientBuilder().build();
    }

    @AfterAll
    void stop() throws Exception {
        raw.close();
        store.close();
        server.close();
    }

    @BeforeEach
    void freshPrefix() {
        p = "t-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    private S3StoreConfig.Builder config() {
        return S3StoreConfig.builder(BUCKET, server.accessKey(), server.secretKey())
                .endpoint(server.endpoint())
                .pathStyleAccess(true);
    }

    // ---- the recorded CRC64 ------------------------------------------------------------------------

    @Test
    void putRecordsTheCrc64AsUserMetadataAndReadsCheckIt() throws Exception {
        byte[] data = randomBytes(300_000);
        ObjectWritten written =
                store.put(p + "a", ObjectBody.of(data), PutOptions.withMetadata(Map.of("sgw-mode", "100644")));

        Map<String, String> stored =
                raw.headObject(b -> b.bucket(BUCKET).key(p + "a")).metadata();
        assertThat(stored)
                .containsEntry(ObjectInfo.CRC64_METADATA, Long.toUnsignedString(Crc64.of(data)))
                .containsEntry("sgw-mode", "100644");
        ObjectInfo info = store.head(p + "a");
        assertThat(info.crc64()).hasValue(written.crc64());
        assertThat(info.userMetadata()).containsExactly(Map.entry("sgw-mode", "100644"));

        long verified = store.verifiedReads();
        assertThat(read(p + "a", null)).isEqualTo(data);
        assertThat(store.verifiedReads()).isEqualTo(verified + 1);
    }

    @Test
    void aTamperedObjectFailsAWholeReadWithIntegrityButRangesStillRead() throws Exception {
        byte[] data = randomBytes(200_000);
        store.put(p + "tampered", ObjectBody.of(data), PutOptions.defaults());
        Path file = root.resolve(BUCKET).resolve(p + "tampered");
        assertThat(file).exists().hasSize(data.length);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {(byte) ~data[123_456]}), 123_456); // one byte, in place
        }

        try (ObjectContent content = store.get(p + "tampered", null)) {
            byte[] buffer = new byte[64 * 1024];
            assertCode(
                    () -> {
                        while (content.stream().read(buffer) >= 0) {
                            // the failure must come before the end of the stream is reported
                        }
                    },
                    Code.INTEGRITY);
        }
        assertThat(read(p + "tampered", ByteRange.of(1000, 5000))).isEqualTo(slice(data, 1000, 5000));
        byte[] aroundTheDamage = read(p + "tampered", ByteRange.of(123_000, 1000));
        assertThat(aroundTheDamage[456]).isEqualTo((byte) ~data[123_456]);
    }

    @Test
    void aWrongRecordedCrc64FailsWholeReadsEvenWhenTheCallerReadsExactlyTheLength() throws Exception {
        byte[] data = randomBytes(10_000);
        raw.putObject(
                b -> b.bucket(BUCKET)
                        .key(p + "lies")
                        .metadata(Map.of(ObjectInfo.CRC64_METADATA, Long.toUnsignedString(Crc64.of(data) ^ 1))),
                RequestBody.fromBytes(data));
        try (ObjectContent content = store.get(p + "lies", null)) {
            assertThat(content.length()).isEqualTo(data.length);
            assertCode(() -> content.stream().readNBytes((int) content.length()), Code.INTEGRITY);
        }
        raw.putObject(
                b -> b.bucket(BUCKET).key(p + "empty-lies").metadata(Map.of(ObjectInfo.CRC64_METADATA, "42")),
                RequestBody.fromBytes(new byte[0]));
        assertCode(() -> read(p + "empty-lies", null), Code.INTEGRITY);
        assertThat(read(p + "lies", ByteRange.of(0, 10_000))).isEqualTo(data);
    }

    @Test
    void objectsWithoutARecordedCrc64AreReadAndCountedAsUnverified() throws Exception {
        byte[] data = randomBytes(5000);
        raw.putObject(b -> b.bucket(BUCKET).key(p + "foreign"), RequestBody.fromBytes(data));
        assertThat(store.head(p + "foreign").crc64()).isEmpty();
        long unverified = store.unverifiedReads();
        assertThat(read(p + "foreign", null)).isEqualTo(data);
        assertThat(store.unverifiedReads()).isEqualTo(unverified + 1);
    }

    @Test
    void sixtyFourMebibytesRoundTripByCrc() throws Exception {
        byte[] data = randomBytes(64 * MIB);
        ObjectWritten written = store.put(p + "big", ObjectBody.of(data), PutOptions.defaults());
        assertThat(written.size()).isEqualTo(data.length);
        long expected = Crc64.of(data);
        assertThat(written.crc64()).isEqualTo(expected);
        data = null; // let the heap breathe while the body streams back
        try (ObjectContent content = store.get(p + "big", null)) {
            assertThat(content.length()).isEqualTo(64L * MIB);
            assertThat(crcOf(content.stream())).isEqualTo(expected);
        }
    }

    @Test
    void closingABodyEarlyGivesItsConnectionBack() throws Exception {
        try (S3ObjectStore twoConnections =
                new S3ObjectStore(config().maxConnections(2).build())) {
            byte[] data = randomBytes(8 * MIB);
            twoConnections.put(p + "partly", ObjectBody.of(data), PutOptions.defaults());
            for (int i = 0; i < 10; i++) { // more reads than the pool has connections
                try (ObjectContent content = twoConnections.get(p + "partly", null)) {
                    assertThat(content.stream().readNBytes(100)).isEqualTo(slice(data, 0, 100));
                }
            }
            assertThat(read(twoConnections, p + "partly")).isEqualTo(data);
        }
    }

    // ---- composing objects server-side -------------------------------------------------------------

    @Test
    void multipartComposesAnObjectFromRangesOfOthersAndNewParts() throws Exception {
        byte[] a = randomBytes(12 * MIB);
        byte[] b = randomBytes(7 * MIB);
        byte[] fresh = randomBytes(5 * MIB);
        store.put(p + "a", ObjectBody.of(a), PutOptions.defaults());
        store.put(p + "b", ObjectBody.of(b), PutOptions.defaults());

        String id = store.startMultipart(p + "composed", PutOptions.withMetadata(Map.of("sgw-mode", "100600")));
        List<MultipartPart> parts = new ArrayList<>();
        parts.add(store.uploadPartCopy(p + "composed", id, 1, p + "a", ByteRange.of(2 * MIB, 6 * MIB)));
        parts.add(store.uploadPart(p + "composed", id, 2, ObjectBody.of(fresh)));
        parts.add(store.uploadPartCopy(p + "composed", id, 3, p + "b", null)); // the whole source
        parts.add(store.uploadPartCopy(p + "composed", id, 4, p + "a", ByteRange.of(11 * MIB, MIB)));
        assertThat(parts).extracting(MultipartPart::size).containsExactly(6L * MIB, 5L * MIB, 7L * MIB, 1L * MIB);
        assertThat(parts.get(1).crc64()).isEqualTo(Crc64.of(fresh));
        assertThat(parts.get(0).crc64()).isZero(); // unknown for a server-side copy

        ObjectWritten done = store.completeMultipart(p + "composed", id, parts, Precondition.ifAbsent());
        byte[] expected = concat(slice(a, 2 * MIB, 6 * MIB), fresh, b, slice(a, 11 * MIB, MIB));
        assertThat(done.size()).isEqualTo(expected.length);
        assertThat(done.crc64()).isZero(); // copied parts leave the whole CRC unknown
        long unverified = store.unverifiedReads();
        assertThat(read(p + "composed", null)).isEqualTo(expected);
        assertThat(store.unverifiedReads()).isEqualTo(unverified + 1);
        assertThat(store.head(p + "composed").userMetadata()).containsEntry("sgw-mode", "100600");
        assertThat(store.listMultipartUploads(p, null).uploads()).isEmpty();
    }

    @Test
    void copiesBeyondTheSingleRequestLimitGoThroughMultipartAndKeepTheCrc() throws Exception {
        try (S3ObjectStore smallLimit =
                new S3ObjectStore(config().multipartCopy(6 * MIB, 5 * MIB).build())) {
            byte[] data = randomBytes(12 * MIB + 3);
            smallLimit.put(p + "src", ObjectBody.of(data), PutOptions.defaults());
            ObjectWritten copied =
                    smallLimit.copy(p + "src", p + "dst", PutOptions.withMetadata(Map.of("sgw-uid", "7")));

            assertThat(copied.size()).isEqualTo(data.length);
            assertThat(copied.crc64()).isEqualTo(Crc64.of(data));
            assertThat(copied.etag()).endsWith("-3"); // three parts of at most 5 MiB
            ObjectInfo info = smallLimit.head(p + "dst");
            assertThat(info.crc64()).hasValue(Crc64.of(data));
            assertThat(info.userMetadata()).containsExactly(Map.entry("sgw-uid", "7"));
            long verified = smallLimit.verifiedReads();
            assertThat(read(smallLimit, p + "dst")).isEqualTo(data);
            assertThat(smallLimit.verifiedReads()).isEqualTo(verified + 1);
            assertThat(smallLimit.listMultipartUploads(p, null).uploads()).isEmpty();
        }
    }

    @Test
    void conditionalCopiesAreAtomicAndEmptySourcesCopyToo() throws Exception {
        store.put(p + "empty", ObjectBody.of(new byte[0]), PutOptions.defaults());
        store.copy(p + "empty", p + "empty-copy", PutOptions.defaults().with(Precondition.ifAbsent()));
        assertThat(store.head(p + "empty-copy").size()).isZero();
        assertCode(
                () -> store.copy(
                        p + "empty", p + "empty-copy", PutOptions.defaults().with(Precondition.ifAbsent())),
                Code.PRECONDITION_FAILED);

        byte[] data = randomBytes(1000);
        store.put(p + "src", ObjectBody.of(data), PutOptions.defaults());
        ObjectWritten old = store.put(p + "dst", ObjectBody.of(randomBytes(10)), PutOptions.defaults());
        store.copy(p + "src", p + "dst", PutOptions.defaults().with(Precondition.ifMatch(old.etag())));
        assertThat(read(p + "dst", null)).isEqualTo(data);
        assertCode(
                () -> store.copy(p + "src", p + "dst", PutOptions.defaults().with(Precondition.ifMatch(old.etag()))),
                Code.PRECONDITION_FAILED);
        assertThat(store.listMultipartUploads(p, null).uploads()).isEmpty(); // the failed one was aborted
    }

    @Test
    void aSourceOverwrittenDuringACopyIsCopiedAgainWithItsOwnCrc() throws Exception {
        FaultInjectingHttpClient[] wire = new FaultInjectingHttpClient[1];
        try (S3ObjectStore racing =
                new S3ObjectStore(config().build(), http -> wire[0] = new FaultInjectingHttpClient(http))) {
            byte[] before = randomBytes(3000);
            byte[] after = randomBytes(4000);
            racing.put(p + "src", ObjectBody.of(before), PutOptions.defaults());
            AtomicBoolean overwritten = new AtomicBoolean();
            wire[0].beforeSend = request -> {
                if (request.firstMatchingHeader("x-amz-copy-source").isPresent()
                        && overwritten.compareAndSet(false, true)) {
                    try {
                        store.put(p + "src", ObjectBody.of(after), PutOptions.defaults());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            ObjectWritten copied = racing.copy(p + "src", p + "dst", PutOptions.defaults());

            assertThat(overwritten).isTrue();
            assertThat(copied.crc64()).isEqualTo(Crc64.of(after));
            assertThat(read(p + "dst", null)).isEqualTo(after); // checked against the recorded CRC
        }
    }

    // ---- multipart housekeeping --------------------------------------------------------------------

    @Test
    void pendingUploadsAreListedAndAbortingTwiceOrAnUnknownIdSucceeds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(store.startMultipart(p + "u/" + i, PutOptions.defaults()));
        }
        assertThat(store.listMultipartUploads(p + "u/", null).uploads())
                .extracting(PendingUpload::uploadId)
                .containsExactlyElementsOf(ids);
        for (int i = 0; i < 3; i++) {
            store.abortMultipart(p + "u/" + i, ids.get(i));
            store.abortMultipart(p + "u/" + i, ids.get(i));
        }
        store.abortMultipart(p + "u/never", "no-such-upload-id");
        assertThat(store.listMultipartUploads(p + "u/", null).uploads()).isEmpty();
        assertCode(
                () -> store.completeMultipart(
                        p + "u/0",
                        ids.get(0),
                        List.of(new MultipartPart(1, "0123456789abcdef0123456789abcdef", 1, 0)),
                        Precondition.none()),
                Code.NOT_FOUND);
    }

    @Test
    void emptyKeysAreInvalid() {
        assertCode(() -> store.put("", ObjectBody.of(new byte[1]), PutOptions.defaults()), Code.INVALID);
        assertCode(() -> store.head(""), Code.INVALID);
        assertCode(() -> store.delete(""), Code.INVALID);
        assertCode(() -> store.copy(p + "x", "", PutOptions.defaults()), Code.INVALID);
    }

    // ---- the content-MD5 mode ----------------------------------------------------------------------

    @Test
    void contentMd5ModeRoundTripsPutsPartsAndBatchDeletes() throws Exception {
        try (S3ObjectStore md5 = new S3ObjectStore(
                config().uploadChecksum(UploadChecksum.CONTENT_MD5).build())) {
            byte[] data = randomBytes(2 * MIB + 5);
            md5.put(p + "one", ObjectBody.of(data), PutOptions.defaults());
            assertThat(read(md5, p + "one")).isEqualTo(data);

            byte[] first = randomBytes(5 * MIB);
            byte[] last = randomBytes(100);
            String id = md5.startMultipart(p + "mp", PutOptions.defaults());
            MultipartPart one = md5.uploadPart(p + "mp", id, 1, ObjectBody.of(first));
            MultipartPart two = md5.uploadPart(p + "mp", id, 2, ObjectBody.of(last));
            ObjectWritten done = md5.completeMultipart(p + "mp", id, List.of(one, two), Precondition.none());
            assertThat(done.crc64()).isEqualTo(Crc64.of(concat(first, last)));
            assertThat(read(md5, p + "mp")).isEqualTo(concat(first, last));

            md5.deleteAll(List.of(p + "one", p + "mp", p + "absent"));
            assertCode(() -> md5.head(p + "one"), Code.NOT_FOUND);
            assertCode(() -> md5.head(p + "mp"), Code.NOT_FOUND);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private byte[] read(String key, ByteRange range) throws IOException {
        try (ObjectContent content = store.get(key, range)) {
            return content.readAllBytes();
        }
    }

    private static byte[] read(S3ObjectStore from, String key) throws IOException {
        try (ObjectContent content = from.get(key, null)) {
            return content.readAllBytes();
        }
    }

    private static long crcOf(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long crc = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            crc = Crc64.update(crc, buffer, 0, n);
        }
        return crc;
    }

    private byte[] randomBytes(int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    private static byte[] slice(byte[] data, int offset, int length) {
        byte[] out = new byte[length];
        System.arraycopy(data, offset, out, 0, length);
        return out;
    }

    private static byte[] concat(byte[]... pieces) {
        int size = 0;
        for (byte[] piece : pieces) {
            size += piece.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] piece : pieces) {
            System.arraycopy(piece, 0, out, at, piece.length);
            at += piece.length;
        }
        return out;
    }
}
