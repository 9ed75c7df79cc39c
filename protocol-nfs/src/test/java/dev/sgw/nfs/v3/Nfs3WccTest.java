package dev.sgw.nfs.v3;

import java.io.IOException;

import dev.sgw.core.file.ShareVolume;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.DirChanges;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.ForwardingFileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.nfs.Nfs3Status;
import dev.sgw.nfs.v3.Nfs3Client.Fattr;
import dev.sgw.nfs.v3.Nfs3Client.WccData;
import dev.sgw.nfs.xdr.XdrDecoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wcc_data} is what the volume read with the change: another change of the directory right after it
 * (here made by a decorator before the procedure's volume call returns) is not in the "after", so a client
 * comparing its cache with "before" and "after" sees that something else changed.
 */
class Nfs3WccTest extends Nfs3Fixture {
    private int meddled;

    @Override
    FileVolume exported(ShareVolume volume) {
        return new ForwardingFileVolume(volume) {
            @Override
            public FileAttributes create(
                    NodeId dir, String name, CreateMode mode, SetAttributes initial, DirChanges changes)
                    throws IOException {
                FileAttributes made = inner.create(dir, name, mode, initial, changes);
                inner.mkdir(dir, "meddler-" + ++meddled, SetAttributes.NONE);
                return made;
            }

            @Override
            public void remove(NodeId dir, String name, DirChanges changes) throws IOException {
                inner.remove(dir, name, changes);
                inner.mkdir(dir, "meddler-" + ++meddled, SetAttributes.NONE);
            }
        };
    }

    @Test
    void createAndRemoveAnswerTheDirectoryAsTheVolumeReadItWithTheChange() throws Exception {
        Fattr dirBefore = getattr(root);
        XdrDecoder in = client.call(Nfs3Program.CREATE, e -> {
            Nfs3Client.dirop(e, root, "a.txt");
            e.writeEnum(Nfs3Args.GUARDED);
            Nfs3Client.sattrMode(e, 0640);
        });
        assertStatus(in, Nfs3Status.NFS3_OK);
        Nfs3Client.postOpFh(in);
        Nfs3Client.postOp(in);
        WccData created = Nfs3Client.wcc(in);
        assertThat(created.before()).isEqualTo(Nfs3Client.pre(dirBefore));
        Fattr now = getattr(root);
        assertThat(created.after().nlink())
                .as("the meddler's directory came after the create")
                .isEqualTo(now.nlink() - 1);

        XdrDecoder rm = client.call(Nfs3Program.REMOVE, e -> Nfs3Client.dirop(e, root, "a.txt"));
        assertStatus(rm, Nfs3Status.NFS3_OK);
        WccData removed = Nfs3Client.wcc(rm);
        assertThat(removed.before()).isEqualTo(Nfs3Client.pre(now));
        assertThat(removed.after().nlink()).isEqualTo(getattr(root).nlink() - 1);
        assertThat(meddled).isEqualTo(2);
    }
}
