package dev.sgw.core.file.upload;

import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.PutOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole of what {@link FileObjectWriter} promises: the multipart path of {@link MultipartUploadContract},
 * and single puts of small files, conflicts (both versions kept, theirs untouched), superseded versions,
 * bounded parts in flight and failures of the chunk source.
 */
abstract class FileObjectWriterContract extends MultipartUploadContract {

    // ---- writing -----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100_000, THRESHOLD})
    void smallFilesReadBackWithTheirMetadata(int size) throws IOException {
        byte[] content = randomBytes(size);
        String etag = write(p + "small.bin", content, null, null);

        assertHolds(p + "small.bin", content);
        ObjectInfo info = backend.store().head(p + "small.bin");
        assertThat(info.etag()).isEqualTo(etag);
        assertThat(info.userMetadata()).containsAllEntriesOf(METADATA);
        assertThat(store.calls("put")).isEqualTo(1);
        assertThat(store.calls("startMultipart")).isZero();
    }

    @Test
    void partsInFlightAreBounded() throws IOException {
        FileObjectWriter narrow = new FileObjectWriter(store, tuning(2), executor);
        AtomicInteger reading = new AtomicInteger();
        AtomicInteger mostReading = new AtomicInteger();
        byte[] content = randomBytes(LARGE);
        ChunkSource slow = index -> {
            mostReading.accumulateAndGet(reading.incrementAndGet(), Math::max);
            try {
                Thread.sleep(1);
                return chunksOf(content).read(index);
            } catch (InterruptedException e) {
                throw new IOException(e);
            } finally {
                reading.decrementAndGet();
            }
        };
        narrow.upload(new FileObject(p + "f", LARGE, METADATA, null, CHUNK, slow, null, () -> true));
        assertHolds(p + "f", content);
        assertThat(store.mostPartsInFlight()).isBetween(1, 2);
        assertThat(mostReading.get()).isBetween(1, 2);
    }

    // ---- conflicts ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {100_000, LARGE})
    void anObjectChangedByAnotherWriterIsAConflict(int size) throws IOException {
        byte[] v1 = randomBytes(size);
        String e1 = write(p + "doc.txt", v1, null, null);
        byte[] theirs = randomBytes(size / 2);
        String theirETag = backend.store()
                .put(p + "doc.txt", ObjectBody.of(theirs), PutOptions.defaults())
                .etag();
        byte[] v2 = v1.clone();
        v2[size - 1] ^= 1;

        UploadOutcome outcome = writer.upload(version(p + "doc.txt", v2, e1, changedChunks(v1, v2)));

        String conflictKey = p + "doc.sgw-conflict-20260301T101500Z.txt";
        assertThat(outcome)
                .isEqualTo(new UploadOutcome.Conflict(
                        conflictKey, ((UploadOutcome.Conflict) outcome).object(), theirETag));
        assertThat(conflictKey).isEqualTo(BucketLayout.conflictPath(p + "doc.txt", NOW));
        assertHolds(p + "doc.txt", theirs);
        assertThat(backend.store().head(p + "doc.txt").etag()).isEqualTo(theirETag);
        assertHolds(conflictKey, v2);
        assertThat(backend.store().head(conflictKey).userMetadata()).containsAllEntriesOf(METADATA);
        assertThat(registry.counter(FileObjectWriter.CONFLICTS_METER).count()).isEqualTo(1.0);
        assertThat(writer.conflicts()).isEqualTo(1);
        assertThat(pendingUploads()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {100_000, LARGE})
    void anObjectWhereNoneWasExpectedIsAConflict(int size) throws IOException {
        byte[] theirs = randomBytes(1000);
        String theirETag = backend.store()
                .put(p + "new", ObjectBody.of(theirs), PutOptions.defaults())
                .etag();
        byte[] ours = randomBytes(size);

        UploadOutcome outcome = writer.upload(version(p + "new", ours, null, null));

        assertThat(outcome).isInstanceOfSatisfying(UploadOutcome.Conflict.class, c -> {
            assertThat(c.conflictKey()).isEqualTo(p + "new.sgw-conflict-20260301T101500Z");
            assertThat(c.theirs()).isEqualTo(theirETag);
        });
        assertHolds(p + "new", theirs);
        assertHolds(p + "new.sgw-conflict-20260301T101500Z", ours);
        assertThat(pendingUploads()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {100_000, LARGE})
    void anObjectDeletedByAnotherWriterIsAConflictWithNoTheirs(int size) throws IOException {
        byte[] v1 = randomBytes(size);
        String e1 = write(p + "gone", v1, null, null);
        backend.store().delete(p + "gone");

        UploadOutcome outcome = writer.upload(version(p + "gone", v1, e1, new BitSet()));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        UploadOutcome.Conflict.class,
                        c -> assertThat(c.theirs()).isNull());
        assertThatThrownBy(() -> backend.store().head(p + "gone")).isInstanceOf(ObjectStoreException.class);
        assertHolds(p + "gone.sgw-conflict-20260301T101500Z", v1);
    }

    @Test
    void aTakenConflictNameMovesOnToTheNextSecond() throws IOException {
        backend.store().put(p + "x.txt", ObjectBody.of(new byte[1]), PutOptions.defaults());
        backend.store()
                .put(p + "x.sgw-conflict-20260301T101500Z.txt", ObjectBody.of(new byte[2]), PutOptions.defaults());
        byte[] ours = randomBytes(10);

        UploadOutcome outcome = writer.upload(version(p + "x.txt", ours, null, null));

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        UploadOutcome.Conflict.class,
                        c -> assertThat(c.conflictKey()).isEqualTo(p + "x.sgw-conflict-20260301T101501Z.txt"));
        assertThat(read(p + "x.sgw-conflict-20260301T101500Z.txt")).hasSize(2);
    }

    @Test
    void aSmallFileChangedWhileItWasReadIsSuperseded() throws IOException {
        UploadOutcome outcome = writer.upload(changingVersion(p + "s", randomBytes(300_000), null, null, 2));
        assertThat(outcome).isEqualTo(new UploadOutcome.Superseded());
        assertThatThrownBy(() -> backend.store().head(p + "s")).isInstanceOf(ObjectStoreException.class);
        assertThat(store.calls("put")).isZero();
    }

    @Test
    void aChunkSourceFailureAbortsTheUpload() throws IOException {
        byte[] content = randomBytes(LARGE);
        ChunkSource failing = index -> {
            if (index == 100) {
                throw new IOException("cache disk read error");
            }
            return chunksOf(content).read(index);
        };
        assertThatThrownBy(() ->
                        writer.upload(new FileObject(p + "f", LARGE, METADATA, null, CHUNK, failing, null, () -> true)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cache disk read error");
        assertThat(pendingUploads()).isEmpty();
        assertThatThrownBy(() -> backend.store().head(p + "f")).isInstanceOf(ObjectStoreException.class);
    }
}
