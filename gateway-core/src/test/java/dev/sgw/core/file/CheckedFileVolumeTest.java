package dev.sgw.core.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.sgw.core.access.CallerMapping;
import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.manage.UserMapping;
import dev.sgw.core.volume.Caller;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The permission rules of {@link CheckedFileVolume} on a real share volume (it lives here for
 * {@link ShareFixture}): each rule is shown refusing and allowing. Owner 1000 (group 100) holds directory
 * {@code /d} (0755) and the files made in the tests; 2000 (group 200) is another user.
 */
class CheckedFileVolumeTest {
    private static final int R = FileVolume.ACCESS_READ, W = FileVolume.ACCESS_WRITE, X = FileVolume.ACCESS_EXECUTE;
    private static final Caller OWNER = new Caller(1000, 100, new int[0]);
    private static final Caller OTHER = new Caller(2000, 200, new int[0]);

    @TempDir
    Path dir;

    private ShareFixture fixture;
    private ShareVolume raw;
    private NodeId d;

    @BeforeEach
    void openShare() throws IOException {
        fixture = new ShareFixture(dir, VolumeMode.CACHE);
        raw = fixture.volume;
        raw.setattr(raw.root(), SetAttributes.mode(0777));
        d = raw.mkdir(raw.root(), "d", SetAttributes.mode(0755).withOwner(1000, 100))
                .id();
    }

    @AfterEach
    void closeShare() throws IOException {
        fixture.close();
    }

    private CheckedFileVolume as(Caller caller) {
        return new CheckedFileVolume(raw, caller, true);
    }

    private CheckedFileVolume readOnly(Caller caller) {
        return new CheckedFileVolume(raw, caller, false);
    }

    /** A file in {@code /d} made without checks. */
    private NodeId file(String name, int mode, int uid, int gid) throws IOException {
        return raw.create(d, name, CreateMode.GUARDED, SetAttributes.mode(mode).withOwner(uid, gid))
                .id();
    }

    @FunctionalInterface
    private interface Call {
        void run() throws IOException;
    }

    private static VolumeError errorOf(Call call) throws IOException {
        try {
            call.run();
            return null;
        } catch (VolumeException e) {
            return e.error();
        }
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void lookupNeedsSearchPermissionOnADirectory() throws IOException {
        file("f", 0644, 1000, 100);
        raw.setattr(d, SetAttributes.mode(0700));
        assertThat(errorOf(() -> as(OTHER).lookup(d, "f"))).isEqualTo(VolumeError.ACCES);
        assertThat(as(OWNER).lookup(d, "f").uid()).isEqualTo(1000);
        raw.setattr(d, SetAttributes.mode(0750));
        assertThat(as(new Caller(2000, 200, new int[] {100})).lookup(d, "f").uid())
                .as("a supplementary group gets the group bits")
                .isEqualTo(1000);
        NodeId f = as(OWNER).lookup(d, "f").id();
        assertThat(errorOf(() -> as(OWNER).lookup(f, "x"))).isEqualTo(VolumeError.NOTDIR);
        assertThat(errorOf(() -> as(OWNER).readdir(f, 0, 0, 10))).isEqualTo(VolumeError.NOTDIR);
    }

    @Test
    void readdirNeedsReadPermission() throws IOException {
        raw.setattr(d, SetAttributes.mode(0300));
        assertThat(errorOf(() -> as(OWNER).readdir(d, 0, 0, 10))).isEqualTo(VolumeError.ACCES);
        raw.setattr(d, SetAttributes.mode(0500));
        assertThat(as(OWNER).readdir(d, 0, 0, 10).entries()).isEmpty();
    }

    @Test
    void changesInADirectoryNeedWriteAndSearchPermission() throws IOException {
        NodeId f = file("f", 0644, 1000, 100);
        raw.mkdir(d, "empty", SetAttributes.NONE);
        CheckedFileVolume other = as(OTHER);
        assertThat(errorOf(() -> other.create(d, "n", CreateMode.GUARDED, SetAttributes.NONE)))
                .isEqualTo(VolumeError.ACCES);
        assertThat(errorOf(() -> other.mkdir(d, "n", SetAttributes.NONE))).isEqualTo(VolumeError.ACCES);
        assertThat(errorOf(() -> other.symlink(d, "n", "f", SetAttributes.NONE)))
                .isEqualTo(VolumeError.ACCES);
        assertThat(errorOf(() -> other.link(f, d, "n"))).isEqualTo(VolumeError.ACCES);
        assertThat(errorOf(() -> other.remove(d, "f"))).isEqualTo(VolumeError.ACCES);
        assertThat(errorOf(() -> other.rmdir(d, "empty"))).isEqualTo(VolumeError.ACCES);
        assertThat(errorOf(() -> other.rename(d, "f", raw.root(), "g"))).isEqualTo(VolumeError.ACCES);
        assertThat(errorOf(() -> other.rename(raw.root(), "d", d, "g")))
                .as("the target directory too")
                .isEqualTo(VolumeError.ACCES);
        raw.setattr(d, SetAttributes.mode(0600));
        assertThat(errorOf(() -> as(OWNER).create(d, "n", CreateMode.GUARDED, SetAttributes.NONE)))
                .as("write without search")
                .isEqualTo(VolumeError.ACCES);
        raw.setattr(d, SetAttributes.mode(0755));
        CheckedFileVolume owner = as(OWNER);
        owner.create(d, "n", CreateMode.GUARDED, SetAttributes.NONE);
        owner.link(f, d, "f2");
        owner.rename(d, "f2", raw.root(), "moved");
        owner.remove(d, "n");
        owner.rmdir(d, "empty");
        assertThat(owner.readdir(d, 0, 0, 10).entries())
                .extracting(e -> e.name())
                .containsExactly("f");
    }

    @Test
    void aReadOnlyExportRefusesEveryChange() throws IOException {
        NodeId f = file("f", 0666, 1000, 100);
        CheckedFileVolume ro = readOnly(OWNER);
        assertThat(errorOf(() -> ro.create(d, "n", CreateMode.GUARDED, SetAttributes.NONE)))
                .isEqualTo(VolumeError.ROFS);
        assertThat(errorOf(() -> ro.mkdir(d, "n", SetAttributes.NONE))).isEqualTo(VolumeError.ROFS);
        assertThat(errorOf(() -> ro.symlink(d, "n", "f", SetAttributes.NONE))).isEqualTo(VolumeError.ROFS);
        assertThat(errorOf(() -> ro.link(f, d, "n"))).isEqualTo(VolumeError.ROFS);
        assertThat(errorOf(() -> ro.remove(d, "f"))).isEqualTo(VolumeError.ROFS);
        assertThat(errorOf(() -> ro.rmdir(d, "f"))).isEqualTo(VolumeError.ROFS);
        assertThat(errorOf(() -> ro.rename(d, "f", d, "g"))).isEqualTo(VolumeError.ROFS);
        assertThat(errorOf(() -> ro.setattr(f, SetAttributes.mode(0600)))).isEqualTo(VolumeError.ROFS);
        assertThat(errorOf(() -> ro.write(f, 0, bytes("x"), Stability.UNSTABLE)))
                .isEqualTo(VolumeError.ROFS);
        assertThat(errorOf(() -> ro.writeOpened(f, 0, bytes("x"), Stability.UNSTABLE)))
                .isEqualTo(VolumeError.ROFS);
        assertThat(errorOf(ro::requireWritable)).isEqualTo(VolumeError.ROFS);
        assertThat(ro.access(f, OWNER, R | W | X)).as("never write").isEqualTo(R);
        assertThat(ro.read(f, 0, ByteBuffer.allocate(4)).count()).isZero();
        assertThat(errorOf(() -> as(OWNER).write(f, 0, bytes("x"), Stability.UNSTABLE)))
                .isNull();
        assertThat(as(OWNER).access(f, OWNER, R | W | X)).isEqualTo(R | W);
    }

    @Test
    void filesAreReadAndWrittenByTheirModeBitsAndAlwaysByTheirOwner() throws IOException {
        NodeId secret = file("secret", 0600, 1000, 100);
        assertThat(errorOf(() -> as(OTHER).read(secret, 0, ByteBuffer.allocate(4))))
                .isEqualTo(VolumeError.ACCES);
        assertThat(errorOf(() -> as(OTHER).write(secret, 0, bytes("x"), Stability.UNSTABLE)))
                .isEqualTo(VolumeError.ACCES);
        NodeId readOnlyFile = file("ro", 0400, 1000, 100);
        as(OWNER).write(readOnlyFile, 0, bytes("mine"), Stability.UNSTABLE);
        assertThat(as(OWNER).getattr(readOnlyFile).size())
                .as("the owner writes a file it made read-only")
                .isEqualTo(4);
        NodeId none = file("none", 0000, 1000, 100);
        assertThat(as(OWNER).read(none, 0, ByteBuffer.allocate(4)).count()).isZero();
        NodeId program = file("program", 0711, 1000, 100);
        assertThat(errorOf(() -> as(OTHER).read(program, 0, ByteBuffer.allocate(4))))
                .as("execute is enough to read (load) a program")
                .isNull();
        assertThat(errorOf(() -> as(OTHER).requireAccess(as(OTHER).getattr(program), R)))
                .as("but not to open it for reading")
                .isEqualTo(VolumeError.ACCES);
        assertThat(as(OTHER).readOpened(secret, 0, ByteBuffer.allocate(4)).count())
                .as("an open was checked when it was made")
                .isZero();
        assertThat(as(Caller.ROOT).read(secret, 0, ByteBuffer.allocate(4)).count())
                .isZero();
        raw.setattr(d, SetAttributes.mode(0555));
        assertThat(errorOf(() -> as(OWNER).mkdir(d, "x", SetAttributes.NONE)))
                .as("no owner rule for directories")
                .isEqualTo(VolumeError.ACCES);
    }

    @Test
    void rootReadsAndWritesAllButExecutesOnlyWhatHasAnExecuteBit() throws IOException {
        NodeId f =
                raw.create(d, "f", CreateMode.GUARDED, SetAttributes.mode(0000)).id();
        FileAttributes plain = raw.getattr(f);
        CheckedFileVolume root = as(Caller.ROOT);
        assertThat(root.granted(plain, R | W | X)).isEqualTo(R | W);
        raw.setattr(f, SetAttributes.mode(0001));
        assertThat(root.granted(raw.getattr(f), R | W | X)).isEqualTo(R | W | X);
        assertThat(root.granted(raw.getattr(d), R | W | X)).isEqualTo(R | W | X);
        raw.setattr(d, SetAttributes.mode(0000));
        root.create(d, "made", CreateMode.GUARDED, SetAttributes.NONE);
    }

    @Test
    void onlyRootGivesFilesAwayAndOwnersChangeModeGroupAndTimes() throws IOException {
        NodeId f = file("f", 0644, 1000, 100);
        CheckedFileVolume owner = as(new Caller(1000, 100, new int[] {300}));
        assertThat(errorOf(() -> owner.setattr(f, SetAttributes.owner(2000, 100))))
                .isEqualTo(VolumeError.PERM);
        assertThat(errorOf(() -> owner.setattr(f, new SetAttributes(null, null, 400, null, null, null))))
                .as("a group the owner is not in")
                .isEqualTo(VolumeError.PERM);
        raw.setattr(f, SetAttributes.mode(06755));
        assertThat(owner.setattr(f, new SetAttributes(null, null, 300, null, null, null)))
                .as("chgrp by the owner clears setuid and setgid")
                .extracting(FileAttributes::gid, a -> a.mode() & 07777)
                .containsExactly(300, 0755);
        CheckedFileVolume other = as(OTHER);
        assertThat(errorOf(() -> other.setattr(f, SetAttributes.mode(0777)))).isEqualTo(VolumeError.PERM);
        assertThat(errorOf(() -> other.setattr(f, SetAttributes.times(1L, 1L)))).isEqualTo(VolumeError.PERM);
        assertThat(errorOf(() -> other.setattr(f, SetAttributes.times(1L, 1L), true)))
                .as("the server's time needs write permission")
                .isEqualTo(VolumeError.ACCES);
        raw.setattr(f, SetAttributes.mode(0666));
        assertThat(other.setattr(f, SetAttributes.times(5L, 5L), true).mtime())
                .as("a writer may set the server's time")
                .isEqualTo(5L);
        raw.setattr(f, SetAttributes.mode(0644));
        assertThat(errorOf(() -> other.setattr(f, SetAttributes.size(0)))).isEqualTo(VolumeError.ACCES);
        assertThat(owner.setattr(f, SetAttributes.times(7L, 7L)).atime()).isEqualTo(7L);
        assertThat(as(Caller.ROOT).setattr(f, SetAttributes.owner(2000, 500)))
                .extracting(FileAttributes::uid, FileAttributes::gid)
                .containsExactly(2000, 500);
    }

    @Test
    void setgidIsDroppedForAGroupTheOwnerIsNotIn() throws IOException {
        NodeId f = file("f", 0644, 1000, 100);
        assertThat(as(new Caller(1000, 5, new int[0]))
                                .setattr(f, SetAttributes.mode(02755))
                                .mode()
                        & 07777)
                .isEqualTo(0755);
        assertThat(as(OWNER).setattr(f, SetAttributes.mode(02755)).mode() & 07777)
                .isEqualTo(02755);
    }

    @Test
    void newFilesBelongToTheCaller() throws IOException {
        SetAttributes asked = new SetAttributes(0600, 42, 43, null, null, null);
        assertThat(as(OWNER).create(d, "a", CreateMode.GUARDED, asked))
                .extracting(FileAttributes::uid, FileAttributes::gid)
                .containsExactly(1000, 100);
        assertThat(as(new Caller(1000, 100, new int[] {43})).mkdir(d, "b", asked))
                .as("a group the caller is in")
                .extracting(FileAttributes::uid, FileAttributes::gid)
                .containsExactly(1000, 43);
        assertThat(as(Caller.ROOT).symlink(d, "c", "a", asked))
                .as("root may choose the owner")
                .extracting(FileAttributes::uid, FileAttributes::gid)
                .containsExactly(42, 43);
        assertThat(as(OWNER).forNew(SetAttributes.NONE))
                .isEqualTo(new SetAttributes(null, 1000, 100, null, null, null));
    }

    @Test
    void allAnonymousIgnoresOwnershipChangesInsteadOfRefusingThem() throws IOException {
        CallerMapping mapping = new CallerMapping(UserMapping.ALL_ANONYMOUS, 65534, 65533);
        CheckedFileVolume anonymous = mapping.checked(raw, mapping.map(0, 0, new int[0]), true);
        FileAttributes made = anonymous.create(
                raw.root(), "a", CreateMode.GUARDED, SetAttributes.mode(0644).withOwner(0, 0));
        assertThat(made).extracting(FileAttributes::uid, FileAttributes::gid).containsExactly(65534, 65533);
        FileAttributes after = anonymous.setattr(made.id(), SetAttributes.owner(1000, 100));
        assertThat(after).extracting(FileAttributes::uid, FileAttributes::gid).containsExactly(65534, 65533);
        CallerMapping squash = new CallerMapping(UserMapping.ALL_SQUASH, 65534, 65533);
        CheckedFileVolume squashed = squash.checked(raw, squash.map(1000, 100, new int[0]), true);
        assertThat(errorOf(() -> squashed.setattr(made.id(), SetAttributes.owner(1000, 100))))
                .isEqualTo(VolumeError.PERM);
    }

    @Test
    void namedAttributesAreListedWithReadAndSetWithWriteOrOwnership() throws IOException {
        NodeId secret = file("secret", 0600, 1000, 100);
        raw.setNamedAttribute(secret, "smb.sd", bytes("sd").array());
        assertThat(errorOf(() -> as(OTHER).namedAttributes(secret))).isEqualTo(VolumeError.ACCES);
        assertThat(as(OWNER).namedAttributes(secret)).containsOnlyKeys("smb.sd");
        assertThat(as(OTHER).namedAttributesOpened(secret))
                .as("an open was checked when it was made")
                .containsOnlyKeys("smb.sd");
        NodeId none = file("none", 0000, 1000, 100);
        assertThat(as(OWNER).namedAttributes(none)).as("as its owner reads it").isEmpty();
        assertThat(as(Caller.ROOT).namedAttributes(none)).isEmpty();

        NodeId shared = file("shared", 0644, 1000, 100);
        assertThat(errorOf(() -> as(OTHER)
                        .setNamedAttribute(shared, "smb.ea.A", bytes("a").array())))
                .isEqualTo(VolumeError.ACCES);
        assertThat(errorOf(() -> as(OTHER).setNamedAttribute(shared, "smb.sd", null)))
                .as("removing is a change too")
                .isEqualTo(VolumeError.ACCES);
        as(OWNER).setNamedAttribute(none, "smb.ea.A", bytes("owner").array()); // mode 0: the owner still may
        raw.setattr(shared, SetAttributes.mode(0666));
        as(OTHER).setNamedAttribute(shared, "smb.ea.A", bytes("writer").array());
        as(OTHER).setNamedAttributeOpened(secret, "smb.sd", null);
        assertThat(raw.namedAttributes(none).get("smb.ea.A"))
                .isEqualTo(bytes("owner").array());
        assertThat(raw.namedAttributes(shared).get("smb.ea.A"))
                .isEqualTo(bytes("writer").array());
        assertThat(raw.namedAttributes(secret)).isEmpty();

        CheckedFileVolume ro = readOnly(OWNER);
        assertThat(ro.namedAttributes(none)).containsOnlyKeys("smb.ea.A");
        assertThat(errorOf(() -> ro.setNamedAttribute(none, "smb.ea.B", new byte[0])))
                .isEqualTo(VolumeError.ROFS);
        assertThat(errorOf(() -> readOnly(Caller.ROOT).setNamedAttributeOpened(none, "smb.ea.A", null)))
                .isEqualTo(VolumeError.ROFS);
        assertThat(raw.namedAttributes(none)).containsOnlyKeys("smb.ea.A");
    }

    @Test
    void closingACallersViewLeavesTheVolumeOpen() throws IOException {
        as(OWNER).close();
        assertThat(raw.getattr(d).isDirectory()).isTrue();
    }
}
