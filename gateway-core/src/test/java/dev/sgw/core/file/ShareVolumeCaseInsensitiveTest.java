package dev.sgw.core.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import dev.sgw.core.file.RemoteChanges.LocalEntry;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The case-insensitive contract on a share, and the share's rule for bucket keys that differ only in case:
 * both stay visible, the later under a stable {@link MangledName} that still maps to its own key.
 */
class ShareVolumeCaseInsensitiveTest extends CaseInsensitiveContract {
    private ShareFixture fixture;

    @Override
    protected FileVolume open(Path dir) throws IOException {
        FileShareConfig config = ShareFixture.config(VolumeMode.CACHE).withCaseInsensitive(true);
        fixture = new ShareFixture(dir, config, new MemoryObjectStore(), 64L << 20);
        return fixture.volume;
    }

    @Override
    protected void release() throws IOException {
        fixture.disk.close();
        fixture.store.close();
    }

    @Override
    protected int chunkSize() {
        return ShareFixture.CHUNK;
    }

    private ShareVolume share() {
        return (ShareVolume) v;
    }

    private ShareVolume reopen() throws IOException {
        v = fixture.reopen();
        root = v.root();
        return share();
    }

    @Test
    void bucketKeysDifferingInCaseStayVisibleUnderAStableMangledName() throws IOException {
        RemoteChanges remote = share().remoteChanges();
        remote.objectSeen("dir/Photo.JPG", "e1", 10, 0);
        remote.objectSeen("dir/photo.jpg", "e2", 20, 0);
        String mangled = MangledName.of("photo.jpg");
        assertThat(mangled).matches("photo~[0-9a-f]{8}\\.jpg");

        NodeId dir = v.lookup(root, "DIR").id();
        assertThat(names(dir)).containsExactlyInAnyOrder("Photo.JPG", mangled);
        assertThat(v.lookup(dir, "PHOTO.jpg").size()).isEqualTo(10);
        assertThat(v.lookup(dir, mangled.toUpperCase(Locale.ROOT)).size()).isEqualTo(20);
        // the sync sees the bucket's names, so neither key looks gone or new
        assertThat(remote.list("dir").stream().map(LocalEntry::name))
                .containsExactlyInAnyOrder("Photo.JPG", "photo.jpg");
        // seen again: the same entries, updated in place
        remote.objectSeen("dir/photo.jpg", "e3", 30, 0);
        assertThat(names(dir)).hasSize(2);
        assertThat(v.lookup(dir, mangled).size()).isEqualTo(30);

        reopen();
        dir = v.lookup(root, "dir").id();
        assertThat(names(dir)).containsExactlyInAnyOrder("Photo.JPG", mangled);
        assertThat(v.lookup(dir, mangled).size()).isEqualTo(30);
        share().remoteChanges().objectSeen("dir/photo.jpg", "e3", 30, 0);
        assertThat(names(dir)).hasSize(2);
    }

    @Test
    void aMangledFileIsRemovedWhenItsOwnKeyIsGone() throws IOException {
        RemoteChanges remote = share().remoteChanges();
        remote.objectSeen("A.txt", "e1", 1, 0);
        remote.objectSeen("a.txt", "e2", 2, 0);
        remote.objectGone("a.txt", null);
        assertThat(names(root)).containsExactly("A.txt");
        assertThat(v.lookup(root, "a.TXT").size()).isEqualTo(1);
    }

    @Test
    void directoriesDifferingInCaseAreKeptApartToo() throws IOException {
        RemoteChanges remote = share().remoteChanges();
        remote.objectSeen("Docs/one", "e1", 1, 0);
        remote.objectSeen("docs/two", "e2", 2, 0);
        String mangled = MangledName.of("docs");
        assertThat(names(root)).containsExactlyInAnyOrder("Docs", mangled);
        assertThat(names(v.lookup(root, "DOCS").id())).containsExactly("one");
        assertThat(names(v.lookup(root, mangled).id())).containsExactly("two");
        assertThat(remote.list("docs").stream().map(LocalEntry::name)).containsExactly("two");
    }

    @Test
    void anExistingShareSwitchedToCaseInsensitiveIndexesItsNames() throws IOException {
        fixture.config = fixture.config.withCaseInsensitive(false);
        reopen();
        NodeId f = file(root, "Mixed.Case");
        file(root, "twin");
        file(root, "TWIN");
        fixture.config = fixture.config.withCaseInsensitive(true);
        reopen();
        assertThat(v.lookup(root, "mixed.case").id()).isEqualTo(f);
        // names made apart while case-sensitive: both stay reachable by their exact names
        assertThat(v.lookup(root, "TWIN").id())
                .isNotEqualTo(v.lookup(root, "twin").id());
        assertThat(names(root)).containsExactlyInAnyOrder("Mixed.Case", "twin", "TWIN");
    }
}
