package dev.sgw.nfs.v4;

import java.util.ArrayList;
import java.util.List;

import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.nfs.FileHandles;
import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.v4.Nfs4TestClient.Result;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static dev.sgw.nfs.v4.Nfs4TestClient.sequenceOk;
import static org.assertj.core.api.Assertions.assertThat;

/** NFSv4.1 namespace, attribute, share and state operations over a real socket and a real share volume. */
class Nfs4NamespaceTest extends Nfs4TestBase {

    /** The values of a GETATTR result, after its mask. */
    private static XdrDecoder attrValues(XdrDecoder in) {
        in.readIntArray(8);
        return new XdrDecoder(Unpooled.wrappedBuffer(in.readOpaque(1 << 16)));
    }

    private static byte[] fattr(int[] mask, XdrEncoder values) {
        return ByteBufUtil.getBytes(new XdrEncoder()
                .writeIntArray(mask, 8)
                .writeOpaque(ByteBufUtil.getBytes(values.buffer()), 1 << 16)
                .buffer());
    }

    @Test
    void pseudoRootListsTheExportsAndTheExportEntryHasTheExportsFsid() throws Exception {
        Result r = client.compound(client.seq(0)
                .putRoot()
                .op(
                        Op.READDIR,
                        e -> e.writeHyper(0)
                                .writeHyper(0)
                                .writeInt(4096)
                                .writeInt(8192)
                                .writeIntArray(
                                        Attributes.bitmap(
                                                Attributes.TYPE, Attributes.FSID, Attributes.MOUNTED_ON_FILEID),
                                        8)));
        sequenceOk(r);
        r.ok(Op.PUTROOTFH);
        XdrDecoder in = r.ok(Op.READDIR);
        in.readHyper();
        List<String> names = new ArrayList<>();
        List<Long> fsidMinors = new ArrayList<>();
        while (in.readBool()) {
            in.readHyper();
            names.add(in.readString(1024));
            XdrDecoder v = attrValues(in);
            assertThat(v.readInt()).isEqualTo(Attributes.NF4DIR);
            v.readHyper();
            fsidMinors.add(v.readHyper());
        }
        assertThat(in.readBool()).as("eof").isTrue();
        assertThat(names).containsExactly("a", "demo");
        assertThat(fsidMinors)
                .as("a is a pseudo directory (fsid 0/0), demo the export 7")
                .containsExactly(0L, 7L);
    }

    @Test
    void createOfDirectoriesAndSymlinksButNotDevicesThenReadlinkRenameLinkRemove() throws Exception {
        byte[] root = demoRoot();
        Result device = client.compound(client.seq(0)
                .putFh(root)
                .op(
                        Op.CREATE,
                        e -> e.writeInt(Attributes.NF4CHR)
                                .writeInt(1)
                                .writeInt(2)
                                .writeString("tty", 1024)
                                .writeIntArray(new int[0], 8)
                                .writeInt(0)));
        assertThat(device.status()).isEqualTo(Nfs4Status.NFS4ERR_BADTYPE);
        Result link = client.compound(client.seq(0)
                .putFh(root)
                .op(
                        Op.CREATE,
                        e -> e.writeInt(Attributes.NF4LNK)
                                .writeString("target/file", 1 << 16)
                                .writeString("sym", 1024)
                                .writeIntArray(new int[0], 8)
                                .writeInt(0))
                .op(Op.READLINK));
        sequenceOk(link);
        link.ok(Op.PUTFH);
        link.ok(Op.CREATE).readBool();
        link.in.readHyper();
        link.in.readHyper();
        link.in.readIntArray(8);
        assertThat(link.ok(Op.READLINK).readString(1 << 16)).isEqualTo("target/file");

        Result rename = client.compound(client.seq(0)
                .putFh(root)
                .op(Op.SAVEFH)
                .op(Op.RENAME, e -> e.writeString("sym", 1024).writeString("sym2", 1024))
                .op(Op.LINK, e -> e.writeString("sym3", 1024)));
        assertThat(rename.status()).as("LINK of the saved directory").isEqualTo(Nfs4Status.NFS4ERR_ISDIR);
        assertThat(share.volume.lookup(share.volume.root(), "sym2").type())
                .isEqualTo(dev.sgw.core.volume.FileType.SYMLINK);
        Result remove = client.compound(client.seq(0)
                .putFh(root)
                .op(Op.REMOVE, e -> e.writeString("sym2", 1024))
                .op(Op.REMOVE, e -> e.writeString("sym2", 1024)));
        sequenceOk(remove);
        remove.ok(Op.PUTFH);
        XdrDecoder cinfo = remove.ok(Op.REMOVE);
        assertThat(cinfo.readBool()).as("atomic: read with the change").isTrue();
        assertThat(cinfo.readHyper())
                .as("the directory's change attribute moves")
                .isNotEqualTo(cinfo.readHyper());
        assertThat(remove.next(Op.REMOVE)).isEqualTo(Nfs4Status.NFS4ERR_NOENT.code());
        Result badName = client.compound(client.seq(0).putFh(root).lookup(".."));
        assertThat(badName.status()).isEqualTo(Nfs4Status.NFS4ERR_BADNAME);
    }

    @Test
    void lookuppAnswersTheParentTheVolumeHasNowEvenAfterARename() throws Exception {
        byte[] root = demoRoot();
        FileVolume volume = share.volume;
        NodeId a = volume.mkdir(volume.root(), "pa", SetAttributes.NONE).id();
        NodeId b = volume.mkdir(volume.root(), "pb", SetAttributes.NONE).id();
        NodeId sub = volume.mkdir(a, "sub", SetAttributes.NONE).id();
        NodeId deeper = volume.mkdir(sub, "deeper", SetAttributes.NONE).id();
        assertThat(parentHandle(FileHandles.encode(7, sub))).isEqualTo(FileHandles.encode(7, a));

        // moved by another client of the volume (SMB, another export): LOOKUPP sees the new parent
        volume.rename(a, "sub", b, "moved");
        assertThat(parentHandle(FileHandles.encode(7, sub))).isEqualTo(FileHandles.encode(7, b));
        assertThat(parentHandle(FileHandles.encode(7, deeper))).isEqualTo(FileHandles.encode(7, sub));

        // moved by RENAME, to the export's root, and from there LOOKUPP leaves the export as before
        Result rename = client.compound(client.seq(0)
                .putFh(FileHandles.encode(7, b))
                .op(Op.SAVEFH)
                .putFh(root)
                .op(Op.RENAME, e -> e.writeString("moved", 1024).writeString("top", 1024)));
        sequenceOk(rename);
        assertThat(parentHandle(FileHandles.encode(7, sub))).isEqualTo(root);
        assertThat(FileHandles.decodePseudo(parentHandle(root))).isPresent();

        Result ofFile = client.compound(client.seq(0)
                .putFh(FileHandles.encode(
                        7,
                        volume.create(b, "f", CreateMode.GUARDED, SetAttributes.NONE)
                                .id()))
                .op(Op.LOOKUPP));
        assertThat(ofFile.status()).isEqualTo(Nfs4Status.NFS4ERR_NOTDIR);
    }

    /** PUTFH, LOOKUPP, GETFH: the handle LOOKUPP answers. */
    private byte[] parentHandle(byte[] fh) throws Exception {
        Result r = client.compound(client.seq(0).putFh(fh).op(Op.LOOKUPP).getFh());
        sequenceOk(r);
        r.ok(Op.PUTFH);
        r.ok(Op.LOOKUPP);
        return r.ok(Op.GETFH).readOpaque(128);
    }

    @Test
    void setattrTakesNumericAndDomainOwnersAndVerifyComparesValues() throws Exception {
        byte[] root = demoRoot();
        Result open = client.compound(client.seq(0)
                .putFh(root)
                .op(Op.OPEN, e -> openArgs(e, 3, "o", OpenOps.UNCHECKED4, 0, "f"))
                .getFh());
        sequenceOk(open);
        open.ok(Op.PUTFH);
        Stateid sid = Stateid.read(open.ok(Op.OPEN));
        skipOpenBody(open.in);
        byte[] fh = open.ok(Op.GETFH).readOpaque(128);
        int[] mask = Attributes.bitmap(Attributes.SIZE, Attributes.MODE, Attributes.OWNER, Attributes.OWNER_GROUP);
        byte[] attrs = fattr(
                mask,
                new XdrEncoder()
                        .writeHyper(5)
                        .writeInt(0600)
                        .writeString("1234", 64)
                        .writeString("55@localdomain", 64));
        Result set = client.compound(client.seq(0).putFh(fh).op(Op.SETATTR, e -> {
            sid.write(e);
            e.buffer().writeBytes(attrs);
        }));
        sequenceOk(set);
        set.ok(Op.PUTFH);
        assertThat(set.ok(Op.SETATTR).readIntArray(8)).isEqualTo(mask);
        FileAttributes f = share.volume.lookup(share.volume.root(), "f");
        assertThat(List.of(f.size(), (long) f.mode(), (long) f.uid(), (long) f.gid()))
                .containsExactly(5L, 0600L, 1234L, 55L);

        byte[] foreign =
                fattr(Attributes.bitmap(Attributes.OWNER), new XdrEncoder().writeString("alice@example.org", 64));
        Result bad = client.compound(client.seq(0).putFh(fh).op(Op.SETATTR, e -> {
            Stateid.ANONYMOUS.write(e);
            e.buffer().writeBytes(foreign);
        }));
        assertThat(bad.status()).isEqualTo(Nfs4Status.NFS4ERR_BADOWNER);
        byte[] readOnly = fattr(Attributes.bitmap(Attributes.FILEID), new XdrEncoder().writeHyper(9));
        Result inval = client.compound(client.seq(0).putFh(fh).op(Op.SETATTR, e -> {
            Stateid.ANONYMOUS.write(e);
            e.buffer().writeBytes(readOnly);
        }));
        assertThat(inval.status()).isEqualTo(Nfs4Status.NFS4ERR_INVAL);

        byte[] sizeFive = fattr(Attributes.bitmap(Attributes.SIZE), new XdrEncoder().writeHyper(5));
        Result verify = client.compound(client.seq(0)
                .putFh(fh)
                .op(Op.VERIFY, e -> e.buffer().writeBytes(sizeFive))
                .op(Op.NVERIFY, e -> e.buffer().writeBytes(sizeFive)));
        sequenceOk(verify);
        verify.ok(Op.PUTFH);
        verify.ok(Op.VERIFY);
        assertThat(verify.next(Op.NVERIFY)).isEqualTo(Nfs4Status.NFS4ERR_SAME.code());
    }

    @Test
    void shareDenyRefusesAConflictingOpenOfAnotherOwner() throws Exception {
        byte[] root = demoRoot();
        Result first = client.compound(client.seq(0).putFh(root).op(Op.OPEN, e -> {
            openArgs(e, 1, "reader", OpenOps.UNCHECKED4, 0, "shared");
            denyWrite(e);
        }));
        assertThat(first.status).isZero();
        Result writer =
                client.compound(client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 2, "writer", -1, 0, "shared")));
        assertThat(writer.status()).isEqualTo(Nfs4Status.NFS4ERR_SHARE_DENIED);
        Result reader =
                client.compound(client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 1, "reader2", -1, 0, "shared")));
        assertThat(reader.status).as("another reader is fine").isZero();
        Result anonymous =
                client.compound(client.seq(0).putFh(root).lookup("shared").op(Op.WRITE, e -> {
                    Stateid.ANONYMOUS.write(e);
                    e.writeHyper(0).writeInt(OpenOps.UNSTABLE4).writeOpaque(new byte[] {1}, 16);
                }));
        assertThat(anonymous.status())
                .as("a write without an open meets the deny")
                .isEqualTo(Nfs4Status.NFS4ERR_LOCKED);
        Result bypass =
                client.compound(client.seq(0).putFh(root).lookup("shared").op(Op.READ, e -> {
                    Stateid.READ_BYPASS.write(e);
                    e.writeHyper(0).writeInt(16);
                }));
        assertThat(bypass.status).as("the all-ones stateid reads anyway").isZero();
    }

    @Test
    void openUpgradeAndDowngradeOfOneOwner() throws Exception {
        byte[] root = demoRoot();
        Result read = client.compound(
                client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 1, "same", OpenOps.UNCHECKED4, 0, "ud")));
        sequenceOk(read);
        read.ok(Op.PUTFH);
        Stateid first = Stateid.read(read.ok(Op.OPEN));
        Result both = client.compound(client.seq(0)
                .putFh(root)
                .op(Op.OPEN, e -> openArgs(e, 3, "same", -1, 0, "ud"))
                .getFh());
        sequenceOk(both);
        both.ok(Op.PUTFH);
        Stateid upgraded = Stateid.read(both.ok(Op.OPEN));
        skipOpenBody(both.in);
        byte[] fh = both.ok(Op.GETFH).readOpaque(128);
        assertThat(upgraded.sameState(first))
                .as("one open state per owner and file")
                .isTrue();
        assertThat(upgraded.seqid()).isEqualTo(2);
        assertThat(program.stateCount()).isEqualTo(1);

        Result down = client.compound(client.seq(0)
                .putFh(fh)
                .op(Op.OPEN_DOWNGRADE, e -> {
                    upgraded.write(e);
                    e.writeInt(0).writeInt(1).writeInt(0);
                })
                .op(Op.WRITE, e -> {
                    Stateid.CURRENT.write(e);
                    e.writeHyper(0).writeInt(OpenOps.UNSTABLE4).writeOpaque(new byte[] {1}, 16);
                }));
        sequenceOk(down);
        down.ok(Op.PUTFH);
        assertThat(Stateid.read(down.ok(Op.OPEN_DOWNGRADE)).seqid()).isEqualTo(3);
        assertThat(down.next(Op.WRITE))
                .as("read-only after the downgrade")
                .isEqualTo(Nfs4Status.NFS4ERR_OPENMODE.code());
        Result old = client.compound(client.seq(0).putFh(fh).op(Op.CLOSE, e -> {
            e.writeInt(0);
            first.write(e);
        }));
        assertThat(old.status()).isEqualTo(Nfs4Status.NFS4ERR_OLD_STATEID);
    }

    @Test
    void anExportOutsideTheClientsAllowListIsAccess() throws Exception {
        exports.exports.add(share.export(
                11,
                "/lan",
                dev.sgw.core.manage.UserMapping.NONE,
                new dev.sgw.core.manage.ClientRule("10.0.0.0/8", true)));
        Result r = client.compound(client.seq(0).putRoot().lookup("lan"));
        assertThat(r.status()).isEqualTo(Nfs4Status.NFS4ERR_ACCESS);
    }

    /** Rewrites the deny field (third word) of the OPEN4args just written to OPEN4_SHARE_DENY_WRITE. */
    private static void denyWrite(XdrEncoder e) {
        int end = e.buffer().writerIndex();
        int start = end;
        // seqid, access, deny follow the op number; find them from the start of this op's arguments
        for (int i = e.buffer().readerIndex(); i < end - 4; i += 4) {
            if (e.buffer().getInt(i) == Op.OPEN) {
                start = i + 4;
            }
        }
        e.buffer().setInt(start + 8, 2);
    }

    @Test
    void testAndFreeStateidAndSecinfoNoName() throws Exception {
        byte[] root = demoRoot();
        Result open = client.compound(
                client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 3, "o", OpenOps.UNCHECKED4, 0, "s")));
        sequenceOk(open);
        open.ok(Op.PUTFH);
        Stateid sid = Stateid.read(open.ok(Op.OPEN));
        Stateid old = new Stateid(sid.seqid() + 5, sid.other());
        Result test = client.compound(client.seq(0)
                .op(Op.TEST_STATEID, e -> {
                    e.writeInt(3);
                    sid.write(e);
                    old.write(e);
                    new Stateid(1, new byte[12]).write(e);
                })
                .op(Op.FREE_STATEID, e -> sid.write(e)));
        sequenceOk(test);
        XdrDecoder in = test.ok(Op.TEST_STATEID);
        assertThat(in.readIntArray(3))
                .containsExactly(0, Nfs4Status.NFS4ERR_BAD_STATEID.code(), Nfs4Status.NFS4ERR_BAD_STATEID.code());
        assertThat(test.next(Op.FREE_STATEID)).as("an open stateid").isEqualTo(Nfs4Status.NFS4ERR_LOCKS_HELD.code());

        Result sec = client.compound(client.seq(0)
                .putFh(root)
                .op(Op.SECINFO_NO_NAME, e -> e.writeInt(0))
                .getFh());
        sequenceOk(sec);
        sec.ok(Op.PUTFH);
        assertThat(sec.ok(Op.SECINFO_NO_NAME).readIntArray(4)).containsExactly(1);
        assertThat(sec.next(Op.GETFH))
                .as("SECINFO consumes the filehandle")
                .isEqualTo(Nfs4Status.NFS4ERR_NOFILEHANDLE.code());
    }

    @Test
    void handlesOutliveARestartButSessionsAndStateidsDoNot() throws Exception {
        byte[] root = demoRoot();
        Result open = client.compound(client.seq(0)
                .putFh(root)
                .op(Op.OPEN, e -> openArgs(e, 3, "o", OpenOps.UNCHECKED4, 0, "r"))
                .getFh());
        sequenceOk(open);
        open.ok(Op.PUTFH);
        Stateid sid = Stateid.read(open.ok(Op.OPEN));
        skipOpenBody(open.in);
        byte[] fh = open.ok(Op.GETFH).readOpaque(128);
        assertThat(FileHandles.decode(fh).exportId()).isEqualTo(7);
        byte[] oldSession = client.sessionId;
        byte[] oldScope = client.serverScope;
        client.close();
        server.close();
        startServer(java.time.Duration.ZERO);
        assertThat(client.serverScope)
                .as("the same server scope, so that clients reclaim")
                .isEqualTo(oldScope);

        byte[] newSession = client.sessionId;
        client.sessionId = oldSession;
        assertThat(client.compound(client.seq(0).putFh(fh)).status()).isEqualTo(Nfs4Status.NFS4ERR_BADSESSION);
        client.sessionId = newSession;
        client.slotSeq[0] = 0;
        Result again = client.compound(client.seq(0).putFh(fh).op(Op.READ, e -> {
            sid.write(e);
            e.writeHyper(0).writeInt(10);
        }));
        sequenceOk(again);
        again.ok(Op.PUTFH);
        assertThat(again.next(Op.READ))
                .as("the handle still works, the stateid is of the last run")
                .isEqualTo(Nfs4Status.NFS4ERR_BAD_STATEID.code());
    }
}
