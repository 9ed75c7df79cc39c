package dev.sgw.nfs.v3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.sgw.core.sharing.FileOpen;
import dev.sgw.core.sharing.FileProtocol;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.LockMode;
import dev.sgw.core.sharing.LockStyle;
import dev.sgw.core.sharing.RangeLock;
import dev.sgw.core.sharing.ShareAccess;
import dev.sgw.core.sharing.StateOwner;
import dev.sgw.nfs.FileHandles;
import dev.sgw.nfs.Nfs3Status;
import dev.sgw.nfs.rpc.RpcTestClient;
import dev.sgw.nfs.v3.Nfs3Client.Fattr;
import dev.sgw.nfs.v3.Nfs3Client.WccData;
import dev.sgw.nfs.xdr.XdrDecoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** READ, WRITE, COMMIT, READDIR, READDIRPLUS, FSSTAT, FSINFO, PATHCONF. */
class Nfs3DataAndDirectoryTest extends Nfs3Fixture {

    private XdrDecoder write(byte[] fh, long offset, byte[] data, int stable) throws Exception {
        return client.call(Nfs3Program.WRITE, e -> {
            Nfs3Client.fh(e, fh);
            e.writeHyper(offset).writeInt(data.length).writeEnum(stable).writeOpaque(data, data.length);
        });
    }

    @Test
    void anSmbOpenDenyingWriteAndAnSmbLockRefuseNfs3IoWithAccess() throws Exception {
        byte[] fh = create(root, "smb-held", 0666);
        long inode = volume.lookup(volume.root(), "smb-held").inode();
        FileSharing sharing = FileSharing.of(volume);
        StateOwner smb = StateOwner.of(FileProtocol.SMB, 5, 1);

        FileOpen open = sharing.open(inode, smb, ShareAccess.READ, ShareAccess.WRITE);
        assertStatus(write(fh, 0, new byte[] {1}, Nfs3Args.UNSTABLE), Nfs3Status.NFS3ERR_ACCES);
        sharing.close(open);
        assertStatus(write(fh, 0, new byte[] {1}, Nfs3Args.UNSTABLE), Nfs3Status.NFS3_OK);

        sharing.lock(inode, RangeLock.of(smb, 0, 10, LockMode.SHARED, LockStyle.WINDOWS), Duration.ZERO);
        assertStatus(write(fh, 5, new byte[] {1}, Nfs3Args.UNSTABLE), Nfs3Status.NFS3ERR_ACCES);
        assertStatus(write(fh, 10, new byte[] {1}, Nfs3Args.UNSTABLE), Nfs3Status.NFS3_OK);
        XdrDecoder read = client.call(
                Nfs3Program.READ, e -> Nfs3Client.fh(e, fh).writeHyper(0).writeInt(4));
        assertStatus(read, Nfs3Status.NFS3_OK); // a shared lock lets others read
    }

    @Test
    void writeAnswersWccTheStabilityReachedAndTheVolumesVerifierWhichCommitRepeats() throws Exception {
        byte[] fh = create(root, "w", 0644);
        Fattr before = getattr(fh);
        Thread.sleep(2);
        byte[] data = new byte[100_000];
        new Random(1).nextBytes(data);
        XdrDecoder in = write(fh, 0, data, Nfs3Args.UNSTABLE);
        assertStatus(in, Nfs3Status.NFS3_OK);
        WccData wcc = Nfs3Client.wcc(in);
        assertThat(wcc.before()).isEqualTo(Nfs3Client.pre(before));
        assertThat(wcc.after().size()).isEqualTo(100_000);
        assertThat(wcc.after().mtime()).isNotEqualTo(before.mtime());
        assertThat(in.readUnsignedInt()).as("count").isEqualTo(100_000);
        assertThat(in.readEnum()).as("committed").isEqualTo(Nfs3Args.UNSTABLE);
        long verifier = in.readHyper();
        in.requireEnd();
        assertThat(verifier).isEqualTo(volume.writeVerifier());

        XdrDecoder sync = write(fh, 100_000, new byte[] {7}, Nfs3Args.FILE_SYNC);
        assertStatus(sync, Nfs3Status.NFS3_OK);
        Nfs3Client.wcc(sync);
        sync.readUnsignedInt();
        assertThat(sync.readEnum()).isEqualTo(Nfs3Args.FILE_SYNC);
        assertThat(sync.readHyper()).isEqualTo(verifier);

        Fattr beforeCommit = getattr(fh);
        XdrDecoder commit = client.call(
                Nfs3Program.COMMIT, e -> Nfs3Client.fh(e, fh).writeHyper(0).writeInt(0));
        assertStatus(commit, Nfs3Status.NFS3_OK);
        WccData cw = Nfs3Client.wcc(commit);
        assertThat(cw.before()).isEqualTo(Nfs3Client.pre(beforeCommit));
        assertThat(cw.after().size()).isEqualTo(100_001);
        assertThat(commit.readHyper()).isEqualTo(verifier);
        commit.requireEnd();

        XdrDecoder read = client.call(
                Nfs3Program.READ, e -> Nfs3Client.fh(e, fh).writeHyper(99_990).writeInt(100));
        assertStatus(read, Nfs3Status.NFS3_OK);
        assertThat(Nfs3Client.postOp(read).size()).isEqualTo(100_001);
        assertThat(read.readUnsignedInt()).isEqualTo(11);
        assertThat(read.readBool()).as("eof").isTrue();
        byte[] got = read.readOpaque(100);
        read.requireEnd();
        assertThat(got)
                .startsWith(java.util.Arrays.copyOfRange(data, 99_990, 100_000))
                .endsWith(7);
    }

    @Test
    void aMebibyteReadComesBackWholeAndReadsCheckPermissionsAndTypes() throws Exception {
        byte[] fh = create(root, "big", 0600);
        byte[] data = new byte[(3 << 20) / 2];
        new Random(2).nextBytes(data);
        for (int off = 0; off < data.length; off += 1 << 19) {
            byte[] part = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + (1 << 19)));
            assertStatus(write(fh, off, part, Nfs3Args.UNSTABLE), Nfs3Status.NFS3_OK);
        }
        XdrDecoder read = client.call(
                Nfs3Program.READ, e -> Nfs3Client.fh(e, fh).writeHyper(1000).writeInt(2 << 20));
        assertStatus(read, Nfs3Status.NFS3_OK);
        Nfs3Client.postOp(read);
        assertThat(read.readUnsignedInt()).as("capped at rtmax").isEqualTo(1 << 20);
        assertThat(read.readBool()).isFalse();
        assertThat(read.readOpaque(1 << 20)).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 1000 + (1 << 20)));

        XdrDecoder past = client.call(
                Nfs3Program.READ,
                e -> Nfs3Client.fh(e, fh).writeHyper(data.length + 10).writeInt(10));
        assertStatus(past, Nfs3Status.NFS3_OK);
        Nfs3Client.postOp(past);
        assertThat(past.readUnsignedInt()).isZero();
        assertThat(past.readBool()).isTrue();

        assertStatus(
                client.call(
                        Nfs3Program.READ,
                        e -> Nfs3Client.fh(e, root).writeHyper(0).writeInt(10)),
                Nfs3Status.NFS3ERR_ISDIR);
        client.as(1000);
        XdrDecoder denied = client.call(
                Nfs3Program.READ, e -> Nfs3Client.fh(e, fh).writeHyper(0).writeInt(10));
        assertStatus(denied, Nfs3Status.NFS3ERR_ACCES);
        assertThat(Nfs3Client.postOp(denied).size()).as("attributes on failure").isEqualTo(data.length);
        XdrDecoder noWrite = write(fh, 0, new byte[] {1}, Nfs3Args.UNSTABLE);
        assertStatus(noWrite, Nfs3Status.NFS3ERR_ACCES);
        assertThat(Nfs3Client.wcc(noWrite).before().size()).isEqualTo(data.length);
    }

    @Test
    void aWriteWhoseCountExceedsItsDataIsInval() throws Exception {
        byte[] fh = create(root, "short", 0644);
        XdrDecoder in = client.call(Nfs3Program.WRITE, e -> {
            Nfs3Client.fh(e, fh);
            e.writeHyper(0).writeInt(10).writeEnum(0).writeOpaque(new byte[4], 4);
        });
        assertStatus(in, Nfs3Status.NFS3ERR_INVAL);
    }

    /** A READDIR or READDIRPLUS page as decoded, with the size of its results. */
    record Page(
            List<String> names,
            List<Long> fileids,
            List<Long> cookies,
            List<Fattr> attributes,
            List<byte[]> handles,
            long verifier,
            boolean eof,
            int bytes,
            int dirBytes) {}

    private Page readdir(
            boolean plus, byte[] dirFh, long cookie, long verifier, int dircount, int maxcount, Nfs3Status expected)
            throws Exception {
        int proc = plus ? Nfs3Program.READDIRPLUS : Nfs3Program.READDIR;
        RpcTestClient.Reply reply = client.raw(client.rpc.nextXid(), proc, e -> {
            Nfs3Client.fh(e, dirFh).writeHyper(cookie).writeHyper(verifier);
            if (plus) {
                e.writeInt(dircount);
            }
            e.writeInt(maxcount);
        });
        assertThat(reply.success()).isTrue();
        XdrDecoder in = reply.decoder();
        assertStatus(in, expected);
        Nfs3Client.postOp(in);
        if (expected != Nfs3Status.NFS3_OK) {
            in.requireEnd();
            return null;
        }
        long verf = in.readHyper();
        List<String> names = new ArrayList<>();
        List<Long> fileids = new ArrayList<>();
        List<Long> cookies = new ArrayList<>();
        List<Fattr> attributes = new ArrayList<>();
        List<byte[]> handles = new ArrayList<>();
        int dirBytes = 0;
        while (in.readBool()) {
            fileids.add(in.readHyper());
            String name = in.readString(255);
            names.add(name);
            cookies.add(in.readHyper());
            dirBytes += Nfs3Directory.dirBytes(name);
            if (plus) {
                attributes.add(Nfs3Client.postOp(in));
                handles.add(Nfs3Client.postOpFh(in));
            }
        }
        boolean eof = in.readBool();
        in.requireEnd();
        return new Page(names, fileids, cookies, attributes, handles, verf, eof, reply.results().length, dirBytes);
    }

    @Test
    void readdirplusPagesThroughManyEntriesWithinBothByteBudgets() throws Exception {
        byte[] dirFh = mkdir(root, "many", 0755);
        Set<String> expected = new LinkedHashSet<>(List.of(".", ".."));
        for (int i = 0; i < 150; i++) {
            String name = "file-" + "x".repeat(i % 13) + i;
            volume.create(
                    FileHandles.decode(dirFh).node(),
                    name,
                    dev.sgw.core.volume.CreateMode.GUARDED,
                    dev.sgw.core.volume.SetAttributes.NONE);
            expected.add(name);
        }
        List<String> seen = new ArrayList<>();
        long cookie = 0;
        long verifier = 0;
        int pages = 0;
        int maxcount = 1200;
        int dircount = 300;
        while (true) {
            Page p = readdir(true, dirFh, cookie, verifier, dircount, maxcount, Nfs3Status.NFS3_OK);
            pages++;
            assertThat(p.bytes()).as("page " + pages + " within maxcount").isLessThanOrEqualTo(maxcount);
            assertThat(p.dirBytes()).as("page " + pages + " within dircount").isLessThanOrEqualTo(dircount);
            assertThat(p.names()).isNotEmpty();
            for (int i = 0; i < p.names().size(); i++) {
                String name = p.names().get(i);
                if (!name.equals("..")) {
                    Fattr a = p.attributes().get(i);
                    assertThat(a.fileid())
                            .isEqualTo(FileHandles.decode(p.handles().get(i))
                                    .node()
                                    .inode());
                    assertThat(a.fsid()).isEqualTo(DEMO);
                }
            }
            seen.addAll(p.names());
            cookie = p.cookies().getLast();
            verifier = p.verifier();
            if (p.eof()) {
                break;
            }
            int biggestDir = Nfs3Directory.dirBytes("file-xxxxxxxxxxxx149");
            assertThat(p.bytes() + biggestDir + Nfs3Xdr.POST_OP_ATTR_BYTES + Nfs3Xdr.POST_OP_FH_BYTES > maxcount
                            || p.dirBytes() + biggestDir > dircount)
                    .as("a page is cut only when another entry might not fit")
                    .isTrue();
        }
        assertThat(pages).isGreaterThan(15);
        assertThat(seen).as("every entry once, . and .. first").containsExactlyElementsOf(expected);

        // a budget fitting nothing, and a cookie from another directory's verifier
        readdir(true, dirFh, 0, 0, 1000, Nfs3Directory.FIXED_BYTES + 10, Nfs3Status.NFS3ERR_TOOSMALL);
        readdir(true, dirFh, 0, 0, 10, 8000, Nfs3Status.NFS3ERR_TOOSMALL);
        readdir(true, dirFh, 5, verifier ^ 0x55, 8000, 8000, Nfs3Status.NFS3ERR_BAD_COOKIE);
    }

    @Test
    void readdirListsNamesAndCookiesWithinCountAndResumes() throws Exception {
        byte[] dirFh = mkdir(root, "few", 0755);
        for (int i = 0; i < 20; i++) {
            create(dirFh, "n" + i, 0644);
        }
        Page all = readdir(false, dirFh, 0, 0, 0, 8192, Nfs3Status.NFS3_OK);
        assertThat(all.eof()).isTrue();
        assertThat(all.names()).hasSize(22).startsWith(".", "..");
        assertThat(all.bytes())
                .as("the size counted is the size sent")
                .isEqualTo(Nfs3Directory.FIXED_BYTES
                        + all.names().stream().mapToInt(Nfs3Directory::dirBytes).sum());

        int exact = Nfs3Directory.FIXED_BYTES
                + all.names().subList(0, 5).stream()
                        .mapToInt(Nfs3Directory::dirBytes)
                        .sum();
        Page first = readdir(false, dirFh, 0, 0, 0, exact, Nfs3Status.NFS3_OK);
        assertThat(first.names())
                .as("exactly five entries fit")
                .isEqualTo(all.names().subList(0, 5));
        assertThat(first.bytes()).isEqualTo(exact);
        assertThat(first.eof()).isFalse();
        Page rest = readdir(false, dirFh, first.cookies().getLast(), first.verifier(), 0, 8192, Nfs3Status.NFS3_OK);
        assertThat(rest.names()).isEqualTo(all.names().subList(5, 22));
        Page fromDotDot = readdir(false, dirFh, 2, 0, 0, 8192, Nfs3Status.NFS3_OK);
        assertThat(fromDotDot.names()).isEqualTo(all.names().subList(2, 22));

        byte[] file = lookup(dirFh, "n1");
        readdir(false, file, 0, 0, 0, 8192, Nfs3Status.NFS3ERR_NOTDIR);
        byte[] locked = mkdir(root, "locked", 0700);
        client.as(1000);
        readdir(false, locked, 0, 0, 0, 8192, Nfs3Status.NFS3ERR_ACCES);
    }

    @Test
    void dotAndDotDotComeFirstWithTheirDirectoriesAttributesAndAtTheRootBothAreTheRoot() throws Exception {
        byte[] sub = mkdir(root, "dots", 0755);
        Page atRoot = readdir(true, root, 0, 0, 8192, 8192, Nfs3Status.NFS3_OK);
        assertThat(atRoot.names()).startsWith(".", "..", "dots");
        assertThat(atRoot.handles().get(0)).isEqualTo(root);
        assertThat(atRoot.handles().get(1)).as("the root's parent is itself").isEqualTo(root);
        assertThat(atRoot.attributes().get(1).fileid()).isEqualTo(1);

        Page inSub = readdir(true, sub, 0, 0, 8192, 8192, Nfs3Status.NFS3_OK);
        assertThat(inSub.names()).containsExactly(".", "..");
        assertThat(inSub.eof()).isTrue();
        assertThat(inSub.handles().get(0)).isEqualTo(sub);
        assertThat(inSub.attributes().get(0)).isEqualTo(getattr(sub));
        assertThat(inSub.handles().get(1)).as("the parent: the root").isEqualTo(root);
        assertThat(inSub.attributes().get(1)).isEqualTo(getattr(root));
        assertThat(inSub.fileids()).containsExactly(getattr(sub).fileid(), 1L);
        assertThat(inSub.cookies()).containsExactly(1L, 2L);
        assertThat(lookup(sub, "..")).isEqualTo(root);
    }

    @Test
    void dotDotTwoLevelsDownIsTheRealParentInLookupReaddirAndReaddirplus() throws Exception {
        byte[] a = mkdir(root, "up-a", 0755);
        byte[] b = mkdir(a, "up-b", 0755);
        byte[] c = mkdir(b, "up-c", 0755);
        assertThat(lookup(c, "..")).isEqualTo(b);
        assertThat(lookup(b, "..")).isEqualTo(a);
        assertThat(lookup(a, "..")).isEqualTo(root);
        assertThat(lookup(root, "..")).as("the export's root stays there").isEqualTo(root);
        XdrDecoder up = client.call(Nfs3Program.LOOKUP, e -> Nfs3Client.dirop(e, c, ".."));
        assertStatus(up, Nfs3Status.NFS3_OK);
        assertThat(up.readOpaque(64)).isEqualTo(b);
        assertThat(Nfs3Client.postOp(up)).as("the parent's attributes").isEqualTo(getattr(b));
        assertThat(Nfs3Client.postOp(up)).as("the directory's attributes").isEqualTo(getattr(c));
        up.requireEnd();

        long bFileid = getattr(b).fileid();
        Page plain = readdir(false, c, 0, 0, 0, 8192, Nfs3Status.NFS3_OK);
        assertThat(plain.names()).containsExactly(".", "..");
        assertThat(plain.fileids()).containsExactly(getattr(c).fileid(), bFileid);
        Page plus = readdir(true, c, 0, 0, 8192, 8192, Nfs3Status.NFS3_OK);
        assertThat(plus.fileids()).containsExactly(getattr(c).fileid(), bFileid);
        assertThat(plus.handles().get(1)).isEqualTo(b);
        assertThat(plus.attributes().get(1)).isEqualTo(getattr(b));

        // moved elsewhere, ".." follows
        XdrDecoder rename = client.call(Nfs3Program.RENAME, e -> {
            Nfs3Client.dirop(e, b, "up-c");
            Nfs3Client.dirop(e, root, "up-c");
        });
        assertStatus(rename, Nfs3Status.NFS3_OK);
        assertThat(lookup(c, "..")).isEqualTo(root);
        assertThat(readdir(false, c, 0, 0, 0, 8192, Nfs3Status.NFS3_OK).fileids())
                .containsExactly(getattr(c).fileid(), 1L);
    }

    @Test
    void aFileTheCallerMayOnlyExecuteCanStillBeRead() throws Exception {
        byte[] fh = create(root, "tool", 0711);
        assertStatus(write(fh, 0, new byte[] {1, 2, 3}, Nfs3Args.FILE_SYNC), Nfs3Status.NFS3_OK);
        client.as(1000);
        XdrDecoder read = client.call(
                Nfs3Program.READ, e -> Nfs3Client.fh(e, fh).writeHyper(0).writeInt(10));
        assertStatus(read, Nfs3Status.NFS3_OK);
        Nfs3Client.postOp(read);
        assertThat(read.readUnsignedInt()).isEqualTo(3);
        client.as(0);
        XdrDecoder mode = client.call(Nfs3Program.SETATTR, e -> {
            Nfs3Client.fh(e, fh);
            Nfs3Client.sattrMode(e, 0700);
            e.writeBool(false);
        });
        assertStatus(mode, Nfs3Status.NFS3_OK);
        client.as(1000);
        assertStatus(
                client.call(
                        Nfs3Program.READ,
                        e -> Nfs3Client.fh(e, fh).writeHyper(0).writeInt(10)),
                Nfs3Status.NFS3ERR_ACCES);
    }

    @Test
    void fsstatFsinfoAndPathconfDescribeTheExport() throws Exception {
        XdrDecoder fsinfo = client.call(Nfs3Program.FSINFO, e -> Nfs3Client.fh(e, root));
        assertStatus(fsinfo, Nfs3Status.NFS3_OK);
        assertThat(Nfs3Client.postOp(fsinfo).fileid()).isEqualTo(1);
        assertThat(fsinfo.readUnsignedInt()).as("rtmax").isEqualTo(1 << 20);
        assertThat(fsinfo.readUnsignedInt()).as("rtpref").isEqualTo(1 << 20);
        assertThat(fsinfo.readUnsignedInt()).as("rtmult").isEqualTo(4096);
        assertThat(fsinfo.readUnsignedInt()).as("wtmax").isEqualTo(1 << 20);
        assertThat(fsinfo.readUnsignedInt()).as("wtpref").isEqualTo(1 << 20);
        assertThat(fsinfo.readUnsignedInt()).as("wtmult").isEqualTo(4096);
        assertThat(fsinfo.readUnsignedInt()).as("dtpref").isEqualTo(64 << 10);
        assertThat(fsinfo.readHyper())
                .as("maxfilesize")
                .isEqualTo(volume.statfs().maxFileBytes());
        assertThat(fsinfo.readHyper()).as("time_delta 1 ns").isEqualTo(1);
        assertThat(fsinfo.readUnsignedInt())
                .as("LINK|SYMLINK|HOMOGENEOUS|CANSETTIME")
                .isEqualTo(0x1b);
        fsinfo.requireEnd();

        create(root, "counted", 0644);
        XdrDecoder fsstat = client.call(Nfs3Program.FSSTAT, e -> Nfs3Client.fh(e, root));
        assertStatus(fsstat, Nfs3Status.NFS3_OK);
        Nfs3Client.postOp(fsstat);
        var stats = volume.statfs();
        assertThat(fsstat.readHyper()).isEqualTo(stats.totalBytes());
        assertThat(fsstat.readHyper()).isEqualTo(stats.freeBytes());
        assertThat(fsstat.readHyper()).isEqualTo(stats.freeBytes());
        assertThat(fsstat.readHyper()).isEqualTo(stats.totalFiles());
        assertThat(fsstat.readHyper()).isEqualTo(stats.freeFiles());
        assertThat(fsstat.readHyper()).isEqualTo(stats.freeFiles());
        assertThat(fsstat.readUnsignedInt()).isZero();
        fsstat.requireEnd();

        XdrDecoder pathconf = client.call(Nfs3Program.PATHCONF, e -> Nfs3Client.fh(e, root));
        assertStatus(pathconf, Nfs3Status.NFS3_OK);
        Nfs3Client.postOp(pathconf);
        assertThat(pathconf.readUnsignedInt()).isEqualTo(Nfs3FileSystem.LINK_MAX);
        assertThat(pathconf.readUnsignedInt()).isEqualTo(255);
        assertThat(List.of(pathconf.readBool(), pathconf.readBool(), pathconf.readBool(), pathconf.readBool()))
                .containsExactly(true, true, false, true);
        pathconf.requireEnd();
    }
}
