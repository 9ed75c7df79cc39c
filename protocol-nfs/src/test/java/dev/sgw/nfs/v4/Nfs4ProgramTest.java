package dev.sgw.nfs.v4;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.v4.Nfs4TestClient.Ops;
import dev.sgw.nfs.v4.Nfs4TestClient.Result;
import dev.sgw.nfs.xdr.XdrDecoder;
import org.junit.jupiter.api.Test;

import static dev.sgw.nfs.v4.Nfs4TestClient.sequenceOk;
import static org.assertj.core.api.Assertions.assertThat;

/** NFSv4.1 COMPOUNDs over a real socket against a real share volume: sessions, the slot cache, opens, I/O, locks. */
class Nfs4ProgramTest extends Nfs4TestBase {

    @Test
    void pseudoRootLeadsToTheExportWithItsOwnFsid() throws Exception {
        Result r = client.compound(client.seq(0)
                .putRoot()
                .getAttr(Attributes.TYPE, Attributes.FSID, Attributes.FILEID)
                .lookup("demo")
                .getAttr(Attributes.TYPE, Attributes.FSID, Attributes.FILEID, Attributes.MOUNTED_ON_FILEID)
                .op(Op.LOOKUPP)
                .getFh());
        assertThat(r.status).isZero();
        sequenceOk(r);
        r.ok(Op.PUTROOTFH);
        XdrDecoder in = r.ok(Op.GETATTR);
        in.readIntArray(8);
        in.readInt();
        assertThat(in.readInt()).as("pseudo root is a directory").isEqualTo(Attributes.NF4DIR);
        long rootFsidMajor = in.readHyper();
        long rootFsidMinor = in.readHyper();
        long rootFileId = in.readHyper();
        r.ok(Op.LOOKUP);
        in = r.ok(Op.GETATTR);
        in.readIntArray(8);
        in.readInt();
        assertThat(in.readInt()).isEqualTo(Attributes.NF4DIR);
        assertThat(new long[] {in.readHyper(), in.readHyper()})
                .as("the export's fsid differs from the pseudo fs's")
                .isNotEqualTo(new long[] {rootFsidMajor, rootFsidMinor})
                .containsExactly(1, 7);
        assertThat(in.readHyper()).as("the export root's fileid").isEqualTo(1);
        assertThat(in.readHyper()).as("mounted on a pseudo directory").isNotEqualTo(1);
        r.ok(Op.LOOKUPP);
        byte[] parent = r.ok(Op.GETFH).readOpaque(128);
        assertThat(dev.sgw.nfs.FileHandles.decodePseudo(parent))
                .as("LOOKUPP from the export root is the pseudo root")
                .hasValue(PseudoFs.idOf("/"));
        assertThat(rootFileId).isEqualTo(PseudoFs.idOf("/"));
    }

    @Test
    void aRetriedSequenceIsAnsweredFromTheSlotCacheWithoutRunningAgain() throws Exception {
        byte[] root = demoRoot();
        Ops mkdir = client.seq(1)
                .putFh(root)
                .op(
                        Op.CREATE,
                        e -> e.writeInt(Attributes.NF4DIR)
                                .writeString("once", 1024)
                                .writeIntArray(new int[0], 8)
                                .writeInt(0))
                .getFh();
        byte[] first = client.send(1, mkdir);
        byte[] again = client.send(1, mkdir);
        assertThat(new Result(first).status).isZero();
        assertThat(again).as("the retry gets the first reply byte for byte").isEqualTo(first);
        assertThat(share.volume.lookup(share.volume.root(), "once").isDirectory())
                .isTrue();

        Result next = client.compound(client.seq(1)
                .putFh(root)
                .op(
                        Op.CREATE,
                        e -> e.writeInt(Attributes.NF4DIR)
                                .writeString("once", 1024)
                                .writeIntArray(new int[0], 8)
                                .writeInt(0)));
        sequenceOk(next);
        next.ok(Op.PUTFH);
        assertThat(next.next(Op.CREATE)).as("a new seqid runs again").isEqualTo(Nfs4Status.NFS4ERR_EXIST.code());
    }

    @Test
    void aSeqidThatSkipsAheadOrGoesBackIsMisordered() throws Exception {
        client.compound(client.seq(2).putRoot());
        client.compound(client.seq(2).putRoot());
        Result ahead = client.compound(client.seqWith(2, client.slotSeq[2] + 2).putRoot());
        assertThat(ahead.status()).isEqualTo(Nfs4Status.NFS4ERR_SEQ_MISORDERED);
        assertThat(ahead.count).as("only SEQUENCE answered").isEqualTo(1);
        Result back = client.compound(client.seqWith(2, client.slotSeq[2] - 1).putRoot());
        assertThat(back.status()).isEqualTo(Nfs4Status.NFS4ERR_SEQ_MISORDERED);
        Result badSlot = client.compound(client.seqWith(8, 1).putRoot());
        assertThat(badSlot.status()).isEqualTo(Nfs4Status.NFS4ERR_BADSLOT);
        Result ok = client.compound(client.seq(2).putRoot());
        assertThat(ok.status).as("the slot still works in order").isZero();
    }

    @Test
    void compoundRulesFirstOperationsAndIllegalOnes() throws Exception {
        assertThat(new Result(client.send(2, new Ops().putRoot())).status())
                .isEqualTo(Nfs4Status.NFS4ERR_MINOR_VERS_MISMATCH);
        Result v0 = new Result(client.send(0, new Ops().putRoot()));
        assertThat(v0.status()).isEqualTo(Nfs4Status.NFS4ERR_MINOR_VERS_MISMATCH);
        assertThat(v0.count).as("no results").isZero();
        Result noSeq = client.compound(new Ops().putRoot());
        assertThat(noSeq.status()).isEqualTo(Nfs4Status.NFS4ERR_OP_NOT_IN_SESSION);
        Result notOnly = client.compound(
                new Ops().op(Op.DESTROY_CLIENTID, e -> e.writeHyper(1)).putRoot());
        assertThat(notOnly.status()).isEqualTo(Nfs4Status.NFS4ERR_NOT_ONLY_OP);
        Result seqPos = client.compound(client.seq(0)
                .putRoot()
                .op(
                        Op.SEQUENCE,
                        e -> e.writeFixedOpaque(new byte[16])
                                .writeInt(1)
                                .writeInt(0)
                                .writeInt(0)
                                .writeBool(false)));
        assertThat(seqPos.status()).isEqualTo(Nfs4Status.NFS4ERR_SEQUENCE_POS);
        assertThat(seqPos.count).isEqualTo(3);
        Result noFh = client.compound(client.seq(0).getFh().putRoot());
        assertThat(noFh.status()).isEqualTo(Nfs4Status.NFS4ERR_NOFILEHANDLE);
        assertThat(noFh.count).as("stops at the first failure").isEqualTo(2);
        Result illegal = client.compound(client.seq(0).op(9999).putRoot());
        sequenceOk(illegal);
        assertThat(illegal.next(Op.ILLEGAL)).isEqualTo(Nfs4Status.NFS4ERR_OP_ILLEGAL.code());
        Result layout = client.compound(client.seq(0).putRoot().op(Op.LAYOUTGET));
        assertThat(layout.status()).isEqualTo(Nfs4Status.NFS4ERR_NOTSUPP);
        Ops truncated = client.seq(0).putRoot();
        truncated.count++; // says three operations, carries two
        Result cut = client.compound(truncated);
        assertThat(cut.status()).isEqualTo(Nfs4Status.NFS4ERR_BADXDR);
        assertThat(cut.count).isEqualTo(3);
        Result setattr = client.compound(client.seq(0).putRoot().op(Op.SETATTR, e -> {
            Stateid.ANONYMOUS.write(e);
            e.writeIntArray(Attributes.bitmap(Attributes.MODE), 8).writeOpaque(new byte[] {0, 0, 1, (byte) 0xED}, 64);
        }));
        sequenceOk(setattr);
        setattr.ok(Op.PUTROOTFH);
        assertThat(setattr.next(Op.SETATTR)).as("the pseudo fs is read-only").isEqualTo(Nfs4Status.NFS4ERR_ROFS.code());
        assertThat(setattr.in.readIntArray(8)).as("attrsset even on failure").isEmpty();
        setattr.in.requireEnd();
    }

    @Test
    void openWriteCloseThenOpenReadReturnsTheBytes() throws Exception {
        byte[] root = demoRoot();
        byte[] data = "hello, nfs 4.1".getBytes();
        Result open = client.compound(client.seq(0)
                .putFh(root)
                .op(Op.OPEN, e -> openArgs(e, 3, "owner-a", OpenOps.UNCHECKED4, 0, "greeting"))
                .getFh());
        sequenceOk(open);
        open.ok(Op.PUTFH);
        Stateid sid = Stateid.read(open.ok(Op.OPEN));
        skipOpenBody(open.in);
        byte[] fh = open.ok(Op.GETFH).readOpaque(128);
        assertThat(sid.seqid()).isEqualTo(1);
        Result write = client.compound(client.seq(0)
                .putFh(fh)
                .op(Op.WRITE, e -> {
                    sid.write(e);
                    e.writeHyper(0).writeInt(OpenOps.FILE_SYNC4).writeOpaque(data, 1 << 20);
                })
                .op(Op.CLOSE, e -> {
                    e.writeInt(0);
                    sid.write(e);
                }));
        sequenceOk(write);
        write.ok(Op.PUTFH);
        XdrDecoder w = write.ok(Op.WRITE);
        assertThat(w.readInt()).isEqualTo(data.length);
        assertThat(w.readInt()).isEqualTo(OpenOps.FILE_SYNC4);
        assertThat(w.readHyper()).as("the write verifier").isEqualTo(share.volume.writeVerifier());
        assertThat(Stateid.read(write.ok(Op.CLOSE))).isEqualTo(Stateid.INVALID);
        assertThat(program.stateCount()).isZero();

        Result read = client.compound(client.seq(0)
                .putFh(root)
                .op(Op.OPEN, e -> openArgs(e, 1, "owner-b", -1, 0, "greeting"))
                .op(Op.READ, e -> {
                    Stateid.CURRENT.write(e);
                    e.writeHyper(0).writeInt(4096);
                }));
        sequenceOk(read);
        read.ok(Op.PUTFH);
        Stateid.read(read.ok(Op.OPEN));
        skipOpenBody(read.in);
        XdrDecoder r = read.ok(Op.READ);
        assertThat(r.readBool()).as("eof").isTrue();
        assertThat(r.readOpaque(4096)).isEqualTo(data);
    }

    @Test
    void exclusiveCreateRetransmittedWithTheSameVerifierSucceedsAndAnotherVerifierIsExist() throws Exception {
        byte[] root = demoRoot();
        long[] fileIds = new long[2];
        for (int i = 0; i < 2; i++) {
            Result r = client.compound(client.seq(0)
                    .putFh(root)
                    .op(Op.OPEN, e -> openArgs(e, 3, "owner-x", OpenOps.EXCLUSIVE4_1, 0x1234_5678_9ABCL, "excl"))
                    .getAttr(Attributes.FILEID, Attributes.MODE, Attributes.TIME_ACCESS));
            assertThat(r.status).as("attempt " + i).isZero();
            sequenceOk(r);
            r.ok(Op.PUTFH);
            Stateid.read(r.ok(Op.OPEN));
            skipOpenBody(r.in);
            XdrDecoder a = r.ok(Op.GETATTR);
            a.readIntArray(8);
            a.readInt();
            fileIds[i] = a.readHyper();
            assertThat(a.readInt()).as("mode from the create attributes").isEqualTo(0640);
            assertThat(a.readHyper())
                    .as("atime seconds: the creation time, not the verifier")
                    .isGreaterThan(1_700_000_000L);
        }
        assertThat(fileIds[1]).isEqualTo(fileIds[0]);
        Result other = client.compound(client.seq(0)
                .putFh(root)
                .op(Op.OPEN, e -> openArgs(e, 3, "owner-x", OpenOps.EXCLUSIVE4_1, 99, "excl")));
        assertThat(other.status()).isEqualTo(Nfs4Status.NFS4ERR_EXIST);
    }

    @Test
    void readdirPagesThroughEveryEntryOnceWithCookiesAboveTwo() throws Exception {
        byte[] root = demoRoot();
        assertThat(client.compound(client.seq(0)
                                .putFh(root)
                                .op(
                                        Op.CREATE,
                                        e -> e.writeInt(Attributes.NF4DIR)
                                                .writeString("many", 1024)
                                                .writeIntArray(new int[0], 8)
                                                .writeInt(0)))
                        .status)
                .isZero();
        Result made = client.compound(client.seq(0).putFh(root).lookup("many").getFh());
        sequenceOk(made);
        made.ok(Op.PUTFH);
        made.ok(Op.LOOKUP);
        byte[] many = made.ok(Op.GETFH).readOpaque(128);
        for (int i = 0; i < 60; i++) {
            share.volume.create(
                    share.volume.lookup(share.volume.root(), "many").id(),
                    "file-" + i,
                    dev.sgw.core.volume.CreateMode.GUARDED,
                    dev.sgw.core.volume.SetAttributes.NONE);
        }
        Set<String> seen = new HashSet<>();
        List<Integer> pageSizes = new ArrayList<>();
        long cookie = 0;
        long verifier = 0;
        boolean eof = false;
        while (!eof) {
            long c = cookie, v = verifier;
            Result r = client.compound(client.seq(0)
                    .putFh(many)
                    .op(
                            Op.READDIR,
                            e -> e.writeHyper(c)
                                    .writeHyper(v)
                                    .writeInt(512)
                                    .writeInt(600)
                                    .writeIntArray(Attributes.bitmap(Attributes.TYPE, Attributes.FILEID), 8)));
            sequenceOk(r);
            r.ok(Op.PUTFH);
            XdrDecoder in = r.ok(Op.READDIR);
            verifier = in.readHyper();
            int n = 0;
            while (in.readBool()) {
                cookie = in.readHyper();
                assertThat(cookie).isGreaterThan(2);
                assertThat(seen.add(in.readString(1024))).as("each name once").isTrue();
                in.readIntArray(8);
                XdrDecoder attrs = new XdrDecoder(io.netty.buffer.Unpooled.wrappedBuffer(in.readOpaque(1024)));
                assertThat(attrs.readInt()).isEqualTo(Attributes.NF4REG);
                n++;
            }
            eof = in.readBool();
            pageSizes.add(n);
        }
        assertThat(seen).hasSize(60);
        assertThat(pageSizes.size()).as("maxcount 600 needs several pages").isGreaterThan(3);
        Result tooSmall = client.compound(client.seq(0)
                .putFh(many)
                .op(
                        Op.READDIR,
                        e -> e.writeHyper(0)
                                .writeHyper(0)
                                .writeInt(10)
                                .writeInt(20)
                                .writeIntArray(new int[] {2}, 8)));
        assertThat(tooSmall.status()).isEqualTo(Nfs4Status.NFS4ERR_TOOSMALL);
    }

    @Test
    void lockConflictsBetweenTwoOwnersAreDeniedWithTheHolder() throws Exception {
        byte[] root = demoRoot();
        Result open = client.compound(client.seq(0)
                .putFh(root)
                .op(Op.OPEN, e -> openArgs(e, 3, "opener", OpenOps.UNCHECKED4, 0, "locked"))
                .getFh());
        sequenceOk(open);
        open.ok(Op.PUTFH);
        Stateid openId = Stateid.read(open.ok(Op.OPEN));
        skipOpenBody(open.in);
        byte[] fh = open.ok(Op.GETFH).readOpaque(128);

        Result a = client.compound(
                client.seq(0).putFh(fh).op(Op.LOCK, e -> lockNew(e, LockOps.WRITE_LT, 0, 100, openId, "owner-a")));
        sequenceOk(a);
        a.ok(Op.PUTFH);
        Stateid lockA = Stateid.read(a.ok(Op.LOCK));

        Result b = client.compound(
                client.seq(0).putFh(fh).op(Op.LOCK, e -> lockNew(e, LockOps.READ_LT, 50, 10, openId, "owner-b")));
        sequenceOk(b);
        b.ok(Op.PUTFH);
        assertThat(b.next(Op.LOCK)).isEqualTo(Nfs4Status.NFS4ERR_DENIED.code());
        assertThat(b.in.readHyper()).as("holder's offset").isZero();
        assertThat(b.in.readHyper()).as("holder's length").isEqualTo(100);
        assertThat(b.in.readInt()).isEqualTo(LockOps.WRITE_LT);
        assertThat(b.in.readHyper()).isEqualTo(client.clientId);
        assertThat(new String(b.in.readOpaque(1024))).isEqualTo("owner-a");

        Result disjoint = client.compound(
                client.seq(0).putFh(fh).op(Op.LOCK, e -> lockNew(e, LockOps.WRITE_LT, 100, 10, openId, "owner-b")));
        assertThat(disjoint.status).as("a disjoint range is granted").isZero();
        Result test = client.compound(client.seq(0)
                .putFh(fh)
                .op(
                        Op.LOCKT,
                        e -> e.writeInt(LockOps.WRITE_LT)
                                .writeHyper(99)
                                .writeHyper(1)
                                .writeHyper(client.clientId)
                                .writeOpaque("owner-c".getBytes(), 1024)));
        assertThat(test.status()).isEqualTo(Nfs4Status.NFS4ERR_DENIED);

        Result unlock = client.compound(client.seq(0).putFh(fh).op(Op.LOCKU, e -> {
            e.writeInt(LockOps.WRITE_LT).writeInt(0);
            lockA.write(e);
            e.writeHyper(0).writeHyper(-1L);
        }));
        assertThat(unlock.status).isZero();
        Result again = client.compound(client.seq(0)
                .putFh(fh)
                .op(
                        Op.LOCKT,
                        e -> e.writeInt(LockOps.WRITE_LT)
                                .writeHyper(0)
                                .writeHyper(100)
                                .writeHyper(client.clientId)
                                .writeOpaque("owner-c".getBytes(), 1024)));
        assertThat(again.status).as("free after LOCKU").isZero();
    }

    @Test
    void aReadOnlyExportAnswersRofs() throws Exception {
        Result r = client.compound(client.seq(0)
                .putRoot()
                .lookup("a")
                .lookup("ro")
                .op(Op.OPEN, e -> openArgs(e, 3, "w", OpenOps.UNCHECKED4, 0, "nope")));
        sequenceOk(r);
        r.ok(Op.PUTROOTFH);
        r.ok(Op.LOOKUP);
        r.ok(Op.LOOKUP);
        assertThat(r.next(Op.OPEN)).isEqualTo(Nfs4Status.NFS4ERR_ROFS.code());
        Result mkdir = client.compound(client.seq(0)
                .putRoot()
                .lookup("a")
                .lookup("ro")
                .op(
                        Op.CREATE,
                        e -> e.writeInt(Attributes.NF4DIR)
                                .writeString("d", 1024)
                                .writeIntArray(new int[0], 8)
                                .writeInt(0)));
        assertThat(mkdir.status()).isEqualTo(Nfs4Status.NFS4ERR_ROFS);
        Result pseudo = client.compound(client.seq(0)
                .putRoot()
                .op(
                        Op.CREATE,
                        e -> e.writeInt(Attributes.NF4DIR)
                                .writeString("d", 1024)
                                .writeIntArray(new int[0], 8)
                                .writeInt(0)));
        assertThat(pseudo.status()).as("the pseudo fs is read-only").isEqualTo(Nfs4Status.NFS4ERR_ROFS);
    }

    @Test
    void duringTheGracePeriodNewOpensAreRefused() throws Exception {
        client.close();
        server.close();
        startServer(Duration.ofMinutes(5));
        byte[] root = demoRoot();
        Result r = client.compound(
                client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 3, "o", OpenOps.UNCHECKED4, 0, "g")));
        assertThat(r.status()).isEqualTo(Nfs4Status.NFS4ERR_GRACE);
        clock.addAndGet(Duration.ofMinutes(6).toNanos());
        client.createSession("client-one", 8); // the lease ran out meanwhile
        Result after = client.compound(
                client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 3, "o", OpenOps.UNCHECKED4, 0, "g")));
        assertThat(after.status).isZero();
    }

    @Test
    void anIdleClientExpiresAndItsStateIsFreed() throws Exception {
        byte[] root = demoRoot();
        Result open = client.compound(
                client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 3, "o", OpenOps.UNCHECKED4, 0, "e")));
        assertThat(open.status).isZero();
        assertThat(program.stateCount()).isEqualTo(1);
        clock.addAndGet(Duration.ofSeconds(91).toNanos());
        try (Nfs4TestClient other = new Nfs4TestClient(bound)) {
            other.createSession("client-two", 2); // sweeps expired clients
        }
        assertThat(program.stateCount()).isZero();
        assertThat(client.compound(client.seq(0).putRoot()).status()).isEqualTo(Nfs4Status.NFS4ERR_BADSESSION);
    }
}
