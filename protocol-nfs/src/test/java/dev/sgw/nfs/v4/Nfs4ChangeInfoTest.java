package dev.sgw.nfs.v4;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.DirChanges;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.ForwardingFileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.RenameMode;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.nfs.v4.Nfs4TestClient.Result;
import dev.sgw.nfs.xdr.XdrDecoder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.sgw.nfs.v4.Nfs4TestClient.sequenceOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code change_info4} is what the volume read with the change (atomic): another change of the directory
 * right after it (here made by a decorator before the operation returns) stays out of the answer.
 */
class Nfs4ChangeInfoTest extends Nfs4TestBase {
    private final AtomicInteger meddled = new AtomicInteger();

    /** Makes a directory next to every change, before the change's call returns. */
    private final class Meddling extends ForwardingFileVolume {
        Meddling(FileVolume inner) {
            super(inner);
        }

        private void meddle(NodeId dir) throws IOException {
            inner.mkdir(dir, "meddler-" + meddled.incrementAndGet(), SetAttributes.NONE);
        }

        @Override
        public FileAttributes create(
                NodeId dir, String name, CreateMode mode, SetAttributes initial, DirChanges changes)
                throws IOException {
            FileAttributes made = inner.create(dir, name, mode, initial, changes);
            meddle(dir);
            return made;
        }

        @Override
        public FileAttributes mkdir(NodeId dir, String name, SetAttributes initial, DirChanges changes)
                throws IOException {
            FileAttributes made = inner.mkdir(dir, name, initial, changes);
            meddle(dir);
            return made;
        }

        @Override
        public void remove(NodeId dir, String name, DirChanges changes) throws IOException {
            inner.remove(dir, name, changes);
            meddle(dir);
        }

        @Override
        public void rmdir(NodeId dir, String name, DirChanges changes) throws IOException {
            inner.rmdir(dir, name, changes);
            meddle(dir);
        }

        @Override
        public void rename(
                NodeId fromDir, String fromName, NodeId toDir, String toName, RenameMode mode, DirChanges changes)
                throws IOException {
            inner.rename(fromDir, fromName, toDir, toName, mode, changes);
            meddle(toDir);
        }
    }

    @BeforeEach
    void meddlingExport() {
        VolumeDirectory.NfsExport plain = exports.exports.getFirst();
        exports.exports.set(
                0, new VolumeDirectory.NfsExport(plain.share(), new Meddling(plain.volume()), plain.sharing()));
    }

    private long changeNow() throws IOException {
        return share.volume.getattr(share.volume.root()).change();
    }

    /** Reads a change_info4, checks it is atomic and moved, and that the meddler's change came after it. */
    private void atomicAndBeforeTheMeddler(XdrDecoder in) throws IOException {
        boolean atomic = in.readBool();
        long before = in.readHyper();
        long after = in.readHyper();
        assertThat(atomic).as("atomic").isTrue();
        assertThat(after).isGreaterThan(before);
        assertThat(changeNow()).as("the meddler's change is not in the answer").isGreaterThan(after);
    }

    @Test
    void createRemoveAndRenameAnswerTheChangeInfoReadWithTheChange() throws Exception {
        byte[] root = demoRoot();
        Result create = client.compound(client.seq(0)
                .putFh(root)
                .op(
                        Op.CREATE,
                        e -> e.writeInt(Attributes.NF4DIR)
                                .writeString("made", 1024)
                                .writeIntArray(new int[0], 8)
                                .writeInt(0)));
        sequenceOk(create);
        create.ok(Op.PUTFH);
        atomicAndBeforeTheMeddler(create.ok(Op.CREATE));

        Result open = client.compound(
                client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 3, "o", OpenOps.UNCHECKED4, 0, "file")));
        sequenceOk(open);
        open.ok(Op.PUTFH);
        XdrDecoder opened = open.ok(Op.OPEN);
        Stateid.read(opened);
        atomicAndBeforeTheMeddler(opened);

        Result rename = client.compound(client.seq(0)
                .putFh(root)
                .op(Op.SAVEFH)
                .op(Op.RENAME, e -> e.writeString("made", 1024).writeString("moved", 1024)));
        sequenceOk(rename);
        rename.ok(Op.PUTFH);
        rename.ok(Op.SAVEFH);
        XdrDecoder renamed = rename.ok(Op.RENAME);
        boolean sourceAtomic = renamed.readBool();
        long sourceBefore = renamed.readHyper();
        long sourceAfter = renamed.readHyper();
        assertThat(sourceAtomic).isTrue();
        assertThat(sourceAfter).isGreaterThan(sourceBefore);
        atomicAndBeforeTheMeddler(renamed);

        Result remove = client.compound(client.seq(0).putFh(root).op(Op.REMOVE, e -> e.writeString("moved", 1024)));
        sequenceOk(remove);
        remove.ok(Op.PUTFH);
        atomicAndBeforeTheMeddler(remove.ok(Op.REMOVE));
        assertThat(meddled.get()).isEqualTo(4);
    }
}
