package dev.sgw.core.file.writeback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.file.RemoteChanges;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectWritten;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.DirEntry;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A file shown under a mangled name on a case-insensitive share writes and removes its own bucket key. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CaseInsensitiveBucketSyncTest {
    @TempDir
    Path dir;

    final MemoryObjectStore bucket = new MemoryObjectStore();
    UploaderFixture share;

    @AfterEach
    void close() throws IOException {
        if (share != null) {
            share.close();
        }
    }

    @Test
    void aMangledFileUploadsToAndRemovesItsOriginalKey() throws Exception {
        share = new UploaderFixture(dir, bucket, VolumeMode.SYNC, Duration.ZERO);
        share.config = share.config.withCaseInsensitive(true);
        share.open();
        RemoteChanges remote = share.volume.remoteChanges();
        for (String key : List.of("d/Notes.txt", "d/notes.txt")) {
            ObjectWritten w = bucket.put(key, ObjectBody.of(new byte[] {1, 2, 3}), PutOptions.withMetadata(Map.of()));
            remote.objectSeen(key, w.etag(), 3, 0);
        }
        NodeId d = share.node("d");
        List<String> names = new ArrayList<>();
        for (DirEntry e : share.volume.readdir(d, 0, 0, 10).entries()) {
            names.add(e.name());
        }
        String mangled = names.stream().filter(n -> n.contains("~")).findFirst().orElseThrow();
        assertThat(names).containsExactlyInAnyOrder("Notes.txt", mangled);

        NodeId f = share.volume.lookup(d, mangled).id();
        share.volume.write(f, 0, ByteBuffer.wrap(new byte[] {9, 9, 9, 9}), Stability.FILE_SYNC);
        assertThat(share.awaitUploaded()).isTrue();
        assertThat(share.objects().keySet()).containsExactlyInAnyOrder("d/Notes.txt", "d/notes.txt");
        assertThat(share.objects().get("d/notes.txt").size()).isEqualTo(4);
        assertThat(share.objects().get("d/Notes.txt").size()).isEqualTo(3);

        share.volume.remove(d, mangled.toUpperCase(Locale.ROOT));
        assertThat(share.awaitUploaded()).isTrue();
        assertThat(share.objects().keySet()).doesNotContain("d/notes.txt").contains("d/Notes.txt");
    }
}
