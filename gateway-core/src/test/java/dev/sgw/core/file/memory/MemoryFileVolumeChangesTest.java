package dev.sgw.core.file.memory;

import java.time.Duration;

import dev.sgw.core.sharing.ChangeWatch;
import dev.sgw.core.sharing.ChangeWatch.Change;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.volume.ChangeAction;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An in-memory volume tells its FileSharing of its changes, as a share volume does. */
class MemoryFileVolumeChangesTest {

    private static Change change(ChangeAction action, String path, boolean directory) {
        return new Change(action, path, directory, false);
    }

    @Test
    void aWatchSeesACreateAndARename() throws Exception {
        try (MemoryFileVolume volume = new MemoryFileVolume("changes")) {
            NodeId root = volume.root();
            NodeId d = volume.mkdir(root, "d", SetAttributes.NONE).id();
            FileSharing sharing = FileSharing.of(volume);
            ChangeWatch watch = sharing.watch(root.inode(), false, 100);
            ChangeWatch tree = sharing.watch(root.inode(), true, 100);

            volume.create(root, "a", CreateMode.GUARDED, SetAttributes.NONE);
            volume.rename(root, "a", root, "z");
            volume.rename(root, "z", d, "b");

            assertThat(watch.take(Duration.ZERO).changes())
                    .containsExactly(
                            change(ChangeAction.ADDED, "a", false),
                            change(ChangeAction.RENAMED_OLD_NAME, "a", false),
                            change(ChangeAction.RENAMED_NEW_NAME, "z", false),
                            change(ChangeAction.REMOVED, "z", false));
            assertThat(tree.take(Duration.ZERO).changes())
                    .as("a subtree watch names the new place through the volume's directories")
                    .containsExactly(
                            change(ChangeAction.ADDED, "a", false),
                            change(ChangeAction.RENAMED_OLD_NAME, "a", false),
                            change(ChangeAction.RENAMED_NEW_NAME, "z", false),
                            change(ChangeAction.REMOVED, "z", false),
                            change(ChangeAction.ADDED, "d/b", false));
        }
    }
}
