package dev.sgw.nfs.v3;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.volume.FileVolume;
import dev.sgw.nfs.FileHandles;
import dev.sgw.nfs.Nfs3Status;
import dev.sgw.nfs.rpc.RpcTestClient;
import dev.sgw.nfs.v3.Nfs3Client.Fattr;
import dev.sgw.nfs.v3.Nfs3Client.WccData;
import dev.sgw.nfs.xdr.XdrDecoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** GETATTR, SETATTR, LOOKUP, ACCESS, READLINK, CREATE, MKDIR, SYMLINK, MKNOD, REMOVE, RMDIR, RENAME, LINK. */
class Nfs3NamespaceTest extends Nfs3Fixture {

    @Test
    void nullUnknownProceduresAndGarbage() throws Exception {
        assertThat(client.call(Nfs3Program.NULL, e -> {}).remaining()).isZero();
        assertThat(client.raw(client.rpc.nextXid(), 22, e -> {}).stat())
                .as("PROC_UNAVAIL")
                .isEqualTo(3);
        assertThat(client.raw(client.rpc.nextXid(), Nfs3Program.GETATTR, e -> e.writeInt(100))
                        .stat())
                .as("a handle longer than 64 bytes is GARBAGE_ARGS")
                .isEqualTo(4);
        assertThat(client.raw(client.rpc.nextXid(), Nfs3Program.CREATE, e -> {
                            Nfs3Client.dirop(e, root, "x");
                            e.writeEnum(7);
                        })
                        .stat())
                .as("createmode3 7")
                .isEqualTo(4);
    }

    @Test
    void getattrDescribesTheRootAndRefusesBadOrStaleHandles() throws Exception {
        Fattr a = getattr(root);
        assertThat(a.type()).isEqualTo(Nfs3Xdr.NF3DIR);
        assertThat(a.mode()).isEqualTo(0755);
        assertThat(a.fsid()).as("fsid is the export id").isEqualTo(DEMO);
        assertThat(a.fileid()).isEqualTo(FileVolume.ROOT_INODE);
        assertThat(a.uid()).isZero();
        long nanos = volume.getattr(volume.root()).mtime();
        assertThat(a.mtime())
                .as("seconds and nanoseconds")
                .isEqualTo((nanos / 1_000_000_000L) << 32 | nanos % 1_000_000_000L);

        XdrDecoder bad = client.call(Nfs3Program.GETATTR, e -> Nfs3Client.fh(e, new byte[10]));
        assertStatus(bad, Nfs3Status.NFS3ERR_BADHANDLE);
        bad.requireEnd();
        XdrDecoder stale =
                client.call(Nfs3Program.GETATTR, e -> Nfs3Client.fh(e, FileHandles.encode(99, volume.root())));
        assertStatus(stale, Nfs3Status.NFS3ERR_STALE);
        byte[] file = create(root, "gone", 0644);
        client.call(Nfs3Program.REMOVE, e -> Nfs3Client.dirop(e, root, "gone"));
        assertStatus(client.call(Nfs3Program.GETATTR, e -> Nfs3Client.fh(e, file)), Nfs3Status.NFS3ERR_STALE);
    }

    @Test
    void createAnswersHandleAttributesAndTheDirectorysWccBeforeAndAfter() throws Exception {
        Fattr dirBefore = getattr(root);
        Thread.sleep(2);
        XdrDecoder in = client.call(Nfs3Program.CREATE, e -> {
            Nfs3Client.dirop(e, root, "a.txt");
            e.writeEnum(Nfs3Args.GUARDED);
            Nfs3Client.sattrMode(e, 0640);
        });
        assertStatus(in, Nfs3Status.NFS3_OK);
        byte[] fh = Nfs3Client.postOpFh(in);
        Fattr made = Nfs3Client.postOp(in);
        WccData wcc = Nfs3Client.wcc(in);
        in.requireEnd();
        assertThat(made.type()).isEqualTo(Nfs3Xdr.NF3REG);
        assertThat(made.mode()).isEqualTo(0640);
        assertThat(made.fileid()).isEqualTo(FileHandles.decode(fh).node().inode());
        assertThat(wcc.before())
                .as("pre-op attributes are the directory's before")
                .isEqualTo(Nfs3Client.pre(dirBefore));
        Fattr dirAfter = getattr(root);
        assertThat(wcc.after())
                .as("post-op attributes are the directory's after")
                .isEqualTo(dirAfter);
        assertThat(dirAfter.mtime()).isNotEqualTo(dirBefore.mtime());

        XdrDecoder again = client.call(Nfs3Program.CREATE, e -> {
            Nfs3Client.dirop(e, root, "a.txt");
            e.writeEnum(Nfs3Args.GUARDED);
            Nfs3Client.sattrMode(e, 0640);
        });
        assertStatus(again, Nfs3Status.NFS3ERR_EXIST);
        WccData failed = Nfs3Client.wcc(again);
        again.requireEnd();
        assertThat(failed.before()).as("wcc on failure too").isEqualTo(Nfs3Client.pre(dirAfter));
        assertThat(failed.after()).isEqualTo(dirAfter);
    }

    @Test
    void uncheckedCreateOfAnExistingFileOnlyTruncatesIt() throws Exception {
        byte[] fh = create(root, "u", 0600);
        client.call(Nfs3Program.WRITE, e -> {
            Nfs3Client.fh(e, fh);
            e.writeHyper(0).writeInt(5).writeEnum(2).writeOpaque(new byte[] {1, 2, 3, 4, 5}, 5);
        });
        XdrDecoder in = client.call(Nfs3Program.CREATE, e -> {
            Nfs3Client.dirop(e, root, "u");
            e.writeEnum(Nfs3Args.UNCHECKED);
            Nfs3Client.sattr(e, 0777, 1234, 0L);
        });
        assertStatus(in, Nfs3Status.NFS3_OK);
        assertThat(Nfs3Client.postOpFh(in)).isEqualTo(fh);
        Fattr a = Nfs3Client.postOp(in);
        assertThat(a.size()).isZero();
        assertThat(a.mode())
                .as("the mode and owner asked are not applied to an existing file")
                .isEqualTo(0600);
        assertThat(a.uid()).isZero();
    }

    @Test
    void exclusiveCreateKeepsTheVerifierAndARetransmissionSucceeds() throws Exception {
        long verifier = 0x0102_0304_0506_0708L;
        XdrDecoder first = client.call(Nfs3Program.CREATE, e -> {
            Nfs3Client.dirop(e, root, "excl");
            e.writeEnum(Nfs3Args.EXCLUSIVE).writeHyper(verifier);
        });
        assertStatus(first, Nfs3Status.NFS3_OK);
        byte[] fh = Nfs3Client.postOpFh(first);
        Fattr a = Nfs3Client.postOp(first);
        assertThat(a.atime() >>> 32)
                .as("the volume keeps the verifier: atime is the creation time, not the verifier's high half")
                .isGreaterThan(1_700_000_000L);
        assertThat(a.mtime() >>> 32).as("nor mtime its low half").isGreaterThan(1_700_000_000L);

        // a new xid: the duplicate request cache does not answer it, the verifier does
        XdrDecoder retransmitted = client.call(Nfs3Program.CREATE, e -> {
            Nfs3Client.dirop(e, root, "excl");
            e.writeEnum(Nfs3Args.EXCLUSIVE).writeHyper(verifier);
        });
        assertStatus(retransmitted, Nfs3Status.NFS3_OK);
        assertThat(Nfs3Client.postOpFh(retransmitted)).isEqualTo(fh);

        XdrDecoder other = client.call(Nfs3Program.CREATE, e -> {
            Nfs3Client.dirop(e, root, "excl");
            e.writeEnum(Nfs3Args.EXCLUSIVE).writeHyper(verifier + 1);
        });
        assertStatus(other, Nfs3Status.NFS3ERR_EXIST);

        // the client then sets the real attributes
        XdrDecoder set = client.call(Nfs3Program.SETATTR, e -> {
            Nfs3Client.fh(e, fh);
            e.writeBool(true).writeInt(0600).writeBool(false).writeBool(false).writeBool(false);
            e.writeEnum(Nfs3Xdr.SET_TO_SERVER_TIME).writeEnum(Nfs3Xdr.SET_TO_SERVER_TIME);
            e.writeBool(false);
        });
        assertStatus(set, Nfs3Status.NFS3_OK);
        WccData wcc = Nfs3Client.wcc(set);
        assertThat(wcc.before().mtime()).isEqualTo(a.mtime());
        assertThat(wcc.after().mode()).isEqualTo(0600);
        assertThat(wcc.after().mtime() >>> 32).isGreaterThan(1_700_000_000L);
    }

    @Test
    void setattrChecksTheGuardAndWhoMayChangeWhat() throws Exception {
        byte[] fh = create(root, "s", 0644);
        Fattr before = getattr(fh);
        XdrDecoder notSync = client.call(Nfs3Program.SETATTR, e -> {
            Nfs3Client.fh(e, fh);
            Nfs3Client.sattrMode(e, 0600);
            e.writeBool(true).writeHyper(before.ctime() + 1);
        });
        assertStatus(notSync, Nfs3Status.NFS3ERR_NOT_SYNC);
        WccData w = Nfs3Client.wcc(notSync);
        assertThat(w.before()).isEqualTo(Nfs3Client.pre(before));
        assertThat(w.after().mode()).isEqualTo(0644);

        XdrDecoder ok = client.call(Nfs3Program.SETATTR, e -> {
            Nfs3Client.fh(e, fh);
            Nfs3Client.sattr(e, 0600, -1, 3L);
            e.writeBool(true).writeHyper(before.ctime());
        });
        assertStatus(ok, Nfs3Status.NFS3_OK);
        WccData done = Nfs3Client.wcc(ok);
        assertThat(done.before()).isEqualTo(Nfs3Client.pre(before));
        assertThat(done.after().mode()).isEqualTo(0600);
        assertThat(done.after().size()).isEqualTo(3);

        client.as(1000);
        XdrDecoder perm = client.call(Nfs3Program.SETATTR, e -> {
            Nfs3Client.fh(e, fh);
            Nfs3Client.sattrMode(e, 0666);
            e.writeBool(false);
        });
        assertStatus(perm, Nfs3Status.NFS3ERR_PERM);
        XdrDecoder truncate = client.call(Nfs3Program.SETATTR, e -> {
            Nfs3Client.fh(e, fh);
            Nfs3Client.sattr(e, -1, -1, 0L);
            e.writeBool(false);
        });
        assertStatus(truncate, Nfs3Status.NFS3ERR_ACCES);
    }

    @Test
    void lookupNeedsSearchPermissionAndAnswersBothAttributes() throws Exception {
        byte[] sub = mkdir(root, "private", 0700);
        byte[] file = create(sub, "f", 0644);
        XdrDecoder in = client.call(Nfs3Program.LOOKUP, e -> Nfs3Client.dirop(e, sub, "f"));
        assertStatus(in, Nfs3Status.NFS3_OK);
        assertThat(in.readOpaque(64)).isEqualTo(file);
        assertThat(Nfs3Client.postOp(in).type()).isEqualTo(Nfs3Xdr.NF3REG);
        assertThat(Nfs3Client.postOp(in).fileid())
                .isEqualTo(FileHandles.decode(sub).node().inode());
        in.requireEnd();

        XdrDecoder missing = client.call(Nfs3Program.LOOKUP, e -> Nfs3Client.dirop(e, sub, "nope"));
        assertStatus(missing, Nfs3Status.NFS3ERR_NOENT);
        assertThat(Nfs3Client.postOp(missing).type())
                .as("dir attributes on failure")
                .isEqualTo(Nfs3Xdr.NF3DIR);
        assertThat(lookup(sub, ".")).isEqualTo(sub);
        assertThat(lookup(root, "..")).isEqualTo(root);

        client.as(1000);
        assertStatus(client.call(Nfs3Program.LOOKUP, e -> Nfs3Client.dirop(e, sub, "f")), Nfs3Status.NFS3ERR_ACCES);
        assertStatus(client.call(Nfs3Program.LOOKUP, e -> Nfs3Client.dirop(e, file, "x")), Nfs3Status.NFS3ERR_NOTDIR);
    }

    @Test
    void accessAnswersWhatTheModeBitsGrant() throws Exception {
        byte[] file = create(root, "acc", 0644);
        int all = 0x3f;
        XdrDecoder asRoot =
                client.call(Nfs3Program.ACCESS, e -> Nfs3Client.fh(e, file).writeInt(all));
        assertStatus(asRoot, Nfs3Status.NFS3_OK);
        Nfs3Client.postOp(asRoot);
        assertThat(asRoot.readInt())
                .as("root: all but execute of a file without x bits")
                .isEqualTo(0x1d);
        client.as(1000);
        XdrDecoder other =
                client.call(Nfs3Program.ACCESS, e -> Nfs3Client.fh(e, file).writeInt(all));
        Nfs3Client.postOp(skipStatus(other));
        assertThat(other.readInt()).as("others: read").isEqualTo(Nfs3Namespace.ACCESS3_READ);
        XdrDecoder dir =
                client.call(Nfs3Program.ACCESS, e -> Nfs3Client.fh(e, root).writeInt(all));
        Nfs3Client.postOp(skipStatus(dir));
        assertThat(dir.readInt())
                .as("others on a 0755 directory: read and lookup")
                .isEqualTo(0x03);
        client.as(0);
        byte[] roFile = in(RO, file);
        XdrDecoder ro =
                client.call(Nfs3Program.ACCESS, e -> Nfs3Client.fh(e, roFile).writeInt(all));
        Nfs3Client.postOp(skipStatus(ro));
        assertThat(ro.readInt())
                .as("a read-only client is never granted modify/extend/delete")
                .isEqualTo(0x01);
    }

    @Test
    void mkdirSymlinkReadlinkMknodRmdir() throws Exception {
        byte[] sub = mkdir(root, "d", 0750);
        Fattr d = getattr(sub);
        assertThat(d.type()).isEqualTo(Nfs3Xdr.NF3DIR);
        assertThat(d.mode()).isEqualTo(0750);
        assertThat(getattr(root).nlink()).isEqualTo(3);

        XdrDecoder sl = client.call(Nfs3Program.SYMLINK, e -> {
            Nfs3Client.dirop(e, sub, "link");
            Nfs3Client.sattrMode(e, -1);
            e.writeString("../target/file", 4096);
        });
        assertStatus(sl, Nfs3Status.NFS3_OK);
        byte[] link = Nfs3Client.postOpFh(sl);
        assertThat(Nfs3Client.postOp(sl).type()).isEqualTo(Nfs3Xdr.NF3LNK);
        XdrDecoder rl = client.call(Nfs3Program.READLINK, e -> Nfs3Client.fh(e, link));
        assertStatus(rl, Nfs3Status.NFS3_OK);
        assertThat(Nfs3Client.postOp(rl).size()).isEqualTo(14);
        assertThat(rl.readString(4096)).isEqualTo("../target/file");
        assertStatus(client.call(Nfs3Program.READLINK, e -> Nfs3Client.fh(e, sub)), Nfs3Status.NFS3ERR_INVAL);

        XdrDecoder fifo = client.call(Nfs3Program.MKNOD, e -> {
            Nfs3Client.dirop(e, sub, "fifo");
            e.writeEnum(Nfs3Xdr.NF3FIFO);
            Nfs3Client.sattrMode(e, 0644);
        });
        assertStatus(fifo, Nfs3Status.NFS3ERR_NOTSUPP);
        assertThat(Nfs3Client.wcc(fifo).before()).isEqualTo(Nfs3Client.pre(getattr(sub)));
        XdrDecoder chr = client.call(Nfs3Program.MKNOD, e -> {
            Nfs3Client.dirop(e, sub, "tty");
            e.writeEnum(Nfs3Xdr.NF3CHR);
            Nfs3Client.sattrMode(e, 0644);
            e.writeInt(4).writeInt(1);
        });
        assertStatus(chr, Nfs3Status.NFS3ERR_NOTSUPP);
        assertStatus(
                client.call(Nfs3Program.MKNOD, e -> {
                    Nfs3Client.dirop(e, sub, "reg");
                    e.writeEnum(Nfs3Xdr.NF3REG);
                }),
                Nfs3Status.NFS3ERR_BADTYPE);

        assertStatus(client.call(Nfs3Program.RMDIR, e -> Nfs3Client.dirop(e, root, "d")), Nfs3Status.NFS3ERR_NOTEMPTY);
        assertStatus(client.call(Nfs3Program.REMOVE, e -> Nfs3Client.dirop(e, root, "d")), Nfs3Status.NFS3ERR_ISDIR);
        assertStatus(client.call(Nfs3Program.REMOVE, e -> Nfs3Client.dirop(e, sub, "link")), Nfs3Status.NFS3_OK);
        Fattr before = getattr(root);
        XdrDecoder rm = client.call(Nfs3Program.RMDIR, e -> Nfs3Client.dirop(e, root, "d"));
        assertStatus(rm, Nfs3Status.NFS3_OK);
        WccData w = Nfs3Client.wcc(rm);
        rm.requireEnd();
        assertThat(w.before()).isEqualTo(Nfs3Client.pre(before));
        assertThat(w.after().nlink()).isEqualTo(2);
    }

    @Test
    void renameAnswersBothDirectoriesWccAndLinkAddsAName() throws Exception {
        byte[] a = mkdir(root, "a", 0755);
        byte[] b = mkdir(root, "b", 0755);
        byte[] f = create(a, "f", 0644);
        Fattr aBefore = getattr(a);
        Fattr bBefore = getattr(b);
        XdrDecoder in = client.call(Nfs3Program.RENAME, e -> {
            Nfs3Client.dirop(e, a, "f");
            Nfs3Client.dirop(e, b, "g");
        });
        assertStatus(in, Nfs3Status.NFS3_OK);
        WccData from = Nfs3Client.wcc(in);
        WccData to = Nfs3Client.wcc(in);
        in.requireEnd();
        assertThat(from.before()).isEqualTo(Nfs3Client.pre(aBefore));
        assertThat(from.after()).isEqualTo(getattr(a));
        assertThat(to.before()).isEqualTo(Nfs3Client.pre(bBefore));
        assertThat(to.after()).isEqualTo(getattr(b));
        assertThat(lookup(b, "g")).isEqualTo(f);

        XdrDecoder missing = client.call(Nfs3Program.RENAME, e -> {
            Nfs3Client.dirop(e, a, "f");
            Nfs3Client.dirop(e, b, "h");
        });
        assertStatus(missing, Nfs3Status.NFS3ERR_NOENT);
        assertThat(Nfs3Client.wcc(missing).before()).isEqualTo(Nfs3Client.pre(getattr(a)));

        XdrDecoder ln = client.call(Nfs3Program.LINK, e -> {
            Nfs3Client.fh(e, f);
            Nfs3Client.dirop(e, a, "hard");
        });
        assertStatus(ln, Nfs3Status.NFS3_OK);
        assertThat(Nfs3Client.postOp(ln).nlink()).isEqualTo(2);
        WccData linkDir = Nfs3Client.wcc(ln);
        assertThat(linkDir.after()).isEqualTo(getattr(a));
        assertThat(lookup(a, "hard")).isEqualTo(f);
        assertStatus(
                client.call(Nfs3Program.LINK, e -> {
                    Nfs3Client.fh(e, a);
                    Nfs3Client.dirop(e, b, "dirlink");
                }),
                Nfs3Status.NFS3ERR_ISDIR);
    }

    @Test
    void aRetransmittedRemoveGetsTheFirstReplyFromTheDuplicateRequestCache() throws Exception {
        create(root, "once", 0644);
        int xid = client.rpc.nextXid();
        XdrDecoder first = client.call(xid, Nfs3Program.REMOVE, e -> Nfs3Client.dirop(e, root, "once"));
        assertStatus(first, Nfs3Status.NFS3_OK);
        XdrDecoder again = client.call(xid, Nfs3Program.REMOVE, e -> Nfs3Client.dirop(e, root, "once"));
        assertStatus(again, Nfs3Status.NFS3_OK);
        assertStatus(client.call(Nfs3Program.REMOVE, e -> Nfs3Client.dirop(e, root, "once")), Nfs3Status.NFS3ERR_NOENT);
    }

    @Test
    void aReadOnlyClientGetsRofsForEveryChangeButReads() throws Exception {
        byte[] file = create(root, "r", 0666);
        byte[] roRoot = in(RO, root);
        byte[] roFile = in(RO, file);
        assertThat(getattr(roFile).fsid()).isEqualTo(RO);
        assertStatus(
                client.call(Nfs3Program.CREATE, e -> {
                    Nfs3Client.dirop(e, roRoot, "x");
                    e.writeEnum(0);
                    Nfs3Client.sattrMode(e, 0644);
                }),
                Nfs3Status.NFS3ERR_ROFS);
        assertStatus(
                client.call(Nfs3Program.MKDIR, e -> {
                    Nfs3Client.dirop(e, roRoot, "x");
                    Nfs3Client.sattrMode(e, 0755);
                }),
                Nfs3Status.NFS3ERR_ROFS);
        assertStatus(
                client.call(Nfs3Program.SYMLINK, e -> {
                    Nfs3Client.dirop(e, roRoot, "x");
                    Nfs3Client.sattrMode(e, -1);
                    e.writeString("t", 10);
                }),
                Nfs3Status.NFS3ERR_ROFS);
        assertStatus(
                client.call(Nfs3Program.SETATTR, e -> {
                    Nfs3Client.fh(e, roFile);
                    Nfs3Client.sattrMode(e, 0600);
                    e.writeBool(false);
                }),
                Nfs3Status.NFS3ERR_ROFS);
        assertStatus(
                client.call(Nfs3Program.WRITE, e -> {
                    Nfs3Client.fh(e, roFile);
                    e.writeHyper(0).writeInt(1).writeEnum(0).writeOpaque(new byte[] {1}, 1);
                }),
                Nfs3Status.NFS3ERR_ROFS);
        assertStatus(client.call(Nfs3Program.REMOVE, e -> Nfs3Client.dirop(e, roRoot, "r")), Nfs3Status.NFS3ERR_ROFS);
        assertStatus(client.call(Nfs3Program.RMDIR, e -> Nfs3Client.dirop(e, roRoot, "r")), Nfs3Status.NFS3ERR_ROFS);
        assertStatus(
                client.call(Nfs3Program.RENAME, e -> {
                    Nfs3Client.dirop(e, roRoot, "r");
                    Nfs3Client.dirop(e, roRoot, "s");
                }),
                Nfs3Status.NFS3ERR_ROFS);
        assertStatus(
                client.call(Nfs3Program.LINK, e -> {
                    Nfs3Client.fh(e, roFile);
                    Nfs3Client.dirop(e, roRoot, "l");
                }),
                Nfs3Status.NFS3ERR_ROFS);
        assertStatus(
                client.call(Nfs3Program.MKNOD, e -> {
                    Nfs3Client.dirop(e, roRoot, "p");
                    e.writeEnum(Nfs3Xdr.NF3FIFO);
                    Nfs3Client.sattrMode(e, 0644);
                }),
                Nfs3Status.NFS3ERR_ROFS);
        assertThat(lookup(roRoot, "r")).isEqualTo(roFile);
        assertStatus(
                client.call(
                        Nfs3Program.READ,
                        e -> Nfs3Client.fh(e, roFile).writeHyper(0).writeInt(10)),
                Nfs3Status.NFS3_OK);
    }

    @Test
    void aClientOutsideTheAllowListGetsAcces() throws Exception {
        byte[] lan = in(LAN, root);
        for (int proc : new int[] {Nfs3Program.GETATTR, Nfs3Program.FSINFO, Nfs3Program.READLINK}) {
            XdrDecoder in = client.call(proc, e -> Nfs3Client.fh(e, lan));
            assertStatus(in, Nfs3Status.NFS3ERR_ACCES);
        }
        XdrDecoder lookup = client.call(Nfs3Program.LOOKUP, e -> Nfs3Client.dirop(e, lan, "x"));
        assertStatus(lookup, Nfs3Status.NFS3ERR_ACCES);
        assertThat(Nfs3Client.postOp(lookup))
                .as("nothing about the export is told")
                .isNull();
    }

    @Test
    void rootSquashMakesRootsNewFilesBelongToNobody() throws Exception {
        byte[] shared = mkdir(root, "shared", 0777);
        byte[] squashed = in(SQUASH, shared);
        byte[] file = create(squashed, "mine", 0644);
        Fattr a = getattr(file);
        assertThat(a.uid()).isEqualTo(65534);
        assertThat(a.gid()).isEqualTo(65534);
        assertThat(a.fsid()).isEqualTo(SQUASH);
        byte[] unsquashed = create(shared, "root's", 0644);
        assertThat(getattr(unsquashed).uid()).as("the same root through /demo").isZero();
        byte[] squashedRoot = in(SQUASH, root);
        assertStatus(
                client.call(Nfs3Program.REMOVE, e -> Nfs3Client.dirop(e, squashedRoot, "shared")),
                Nfs3Status.NFS3ERR_ACCES);
    }

    @Test
    void concurrentChangesOfOneDirectoryEachAnswerWccBracketingOnlyTheirOwnChange() throws Exception {
        byte[] busy = mkdir(root, "busy", 0777);
        long initial = getattr(busy).ctime();
        List<CompletableFuture<RpcTestClient.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String name = "c" + i;
            int proc = i % 3 == 2 ? Nfs3Program.MKDIR : Nfs3Program.CREATE;
            replies.add(client.send(client.rpc.nextXid(), proc, e -> {
                Nfs3Client.dirop(e, busy, name);
                if (proc == Nfs3Program.CREATE) {
                    e.writeEnum(Nfs3Args.GUARDED);
                }
                Nfs3Client.sattrMode(e, 0755);
            }));
        }
        Map<Long, Long> afterByBefore = new HashMap<>();
        for (CompletableFuture<RpcTestClient.Reply> f : replies) {
            XdrDecoder in = f.get(20, TimeUnit.SECONDS).decoder();
            assertStatus(in, Nfs3Status.NFS3_OK);
            Nfs3Client.postOpFh(in);
            Nfs3Client.postOp(in);
            WccData w = Nfs3Client.wcc(in);
            assertThat(afterByBefore.put(w.before().ctime(), w.after().ctime()))
                    .as("no two changes saw the same directory before")
                    .isNull();
        }
        long at = initial;
        for (int i = 0; i < 60; i++) {
            assertThat(afterByBefore)
                    .as("change " + i + " starts where another ended")
                    .containsKey(at);
            at = afterByBefore.get(at);
        }
        assertThat(at).isEqualTo(getattr(busy).ctime());
    }

    private static XdrDecoder skipStatus(XdrDecoder in) {
        assertStatus(in, Nfs3Status.NFS3_OK);
        return in;
    }
}
