package dev.sgw.core.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.meta.MetaKeys;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.DirEntry;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A share across a clean restart, and under many concurrent writers in one directory. */
class ShareVolumeStateTest {
    @TempDir
    Path dir;

    @Test
    void aReopenedShareHasTheSameInodesAttributesAndData() throws IOException {
        Map<String, FileAttributes> before = new HashMap<>();
        byte[] data = FileVolumeContract.random(3 * ShareFixture.CHUNK + 11, 3);
        NodeId file;
        try (ShareFixture share = new ShareFixture(dir, VolumeMode.SYNC)) {
            ShareVolume v = share.volume;
            NodeId d = v.mkdir(v.root(), "d", SetAttributes.mode(0700)).id();
            file = v.create(d, "f", CreateMode.GUARDED, new SetAttributes(0640, 3, 4, null, null, 99L))
                    .id();
            v.write(file, 0, ByteBuffer.wrap(data), Stability.UNSTABLE);
            v.symlink(d, "l", "f", SetAttributes.NONE);
            v.link(file, v.root(), "hard");
            v.setattr(file, SetAttributes.times(null, 12345L));
            for (String name : List.of("d", "hard")) {
                before.put(name, v.lookup(v.root(), name));
            }
            before.put("d/f", v.lookup(d, "f"));
            before.put("d/l", v.lookup(d, "l"));
            before.put("/", v.getattr(v.root()));
            v.commit(file);
        }
        try (ShareFixture share = new ShareFixture(dir, VolumeMode.SYNC)) {
            ShareVolume v = share.volume;
            NodeId d = v.lookup(v.root(), "d").id();
            assertThat(v.lookup(v.root(), "d")).isEqualTo(before.get("d"));
            assertThat(v.lookup(v.root(), "hard")).isEqualTo(before.get("hard"));
            assertThat(v.lookup(d, "f")).isEqualTo(before.get("d/f"));
            assertThat(v.lookup(d, "l")).isEqualTo(before.get("d/l"));
            assertThat(v.getattr(v.root())).isEqualTo(before.get("/"));
            assertThat(v.getattr(file).mtime()).isEqualTo(12345L);
            ByteBuffer back = ByteBuffer.allocate(data.length);
            v.read(file, 0, back);
            assertThat(back.array()).isEqualTo(data);
            assertThat(v.readlink(v.lookup(d, "l").id())).isEqualTo("f");
            // numbers are never given out again
            NodeId fresh = v.create(v.root(), "new", CreateMode.GUARDED, SetAttributes.NONE)
                    .id();
            assertThat(fresh.inode()).isGreaterThan(file.inode());
            assertThat(v.statfs().freeBytes()).isEqualTo(v.statfs().totalBytes() - data.length);
        }
    }

    @Test
    void namedAttributesSurviveARestartAndLeaveTheStoreWithTheirInode() throws IOException {
        byte[] sd = FileVolumeContract.random(300, 7);
        NodeId file;
        NodeId replaced;
        NodeId emptied;
        FileAttributes set;
        try (ShareFixture share = new ShareFixture(dir, VolumeMode.CACHE)) {
            ShareVolume v = share.volume;
            NodeId d = v.mkdir(v.root(), "d", SetAttributes.NONE).id();
            file = v.create(d, "f", CreateMode.GUARDED, SetAttributes.NONE).id();
            v.setNamedAttribute(file, "smb.sd", sd);
            v.setNamedAttribute(file, "smb.stream.Zone.Identifier:$DATA", new byte[0]);
            v.setNamedAttribute(d, "smb.sd", new byte[] {1});
            v.setNamedAttribute(v.root(), "smb.ea.ROOT", new byte[] {2});
            set = v.getattr(file);
            v.rename(d, "f", v.root(), "moved");
            replaced = v.create(v.root(), "target", CreateMode.GUARDED, SetAttributes.NONE)
                    .id();
            v.setNamedAttribute(replaced, "smb.sd", sd);
            emptied = v.create(v.root(), "emptied", CreateMode.GUARDED, SetAttributes.NONE)
                    .id();
            v.setNamedAttribute(emptied, "x", sd);
            v.setNamedAttribute(emptied, "x", null);
            NodeId gone = v.create(v.root(), "gone", CreateMode.GUARDED, SetAttributes.NONE)
                    .id();
            v.setNamedAttribute(gone, "smb.sd", sd);
            v.remove(v.root(), "gone");
            assertThat(storedNamed(share, gone)).as("removed with its inode").isEmpty();
            assertThat(storedNamed(share, emptied)).as("the last one removed").isEmpty();
        }
        try (ShareFixture share = new ShareFixture(dir, VolumeMode.CACHE)) {
            ShareVolume v = share.volume;
            NodeId d = v.lookup(v.root(), "d").id();
            assertThat(v.getattr(file)).isEqualTo(v.lookup(v.root(), "moved"));
            assertThat(v.getattr(file).change()).isGreaterThanOrEqualTo(set.change());
            var named = v.namedAttributes(file);
            assertThat(named.keySet()).containsExactly("smb.sd", "smb.stream.Zone.Identifier:$DATA");
            assertThat(named.get("smb.sd")).isEqualTo(sd);
            assertThat(v.namedAttributes(d).get("smb.sd")).containsExactly(1);
            assertThat(v.namedAttributes(v.root()).get("smb.ea.ROOT")).containsExactly(2);
            assertThat(v.namedAttributes(emptied)).isEmpty();

            v.rename(v.root(), "moved", v.root(), "target"); // replaces the file holding the other set
            assertThat(storedNamed(share, replaced)).isEmpty();
            assertThat(v.namedAttributes(file).get("smb.sd")).isEqualTo(sd);
        }
    }

    private static Optional<byte[]> storedNamed(ShareFixture share, NodeId node) throws IOException {
        return share.store.get(MetaKeys.namedAttributes(share.config.volumeId(), node.inode()));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void manyThreadsCreatingRenamingAndWritingInOneDirectoryKeepItConsistent() throws Exception {
        try (ShareFixture share = new ShareFixture(dir, VolumeMode.CACHE)) {
            ShareVolume v = share.volume;
            NodeId d = v.mkdir(v.root(), "d", SetAttributes.NONE).id();
            NodeId other = v.mkdir(v.root(), "other", SetAttributes.NONE).id();
            int threads = 8;
            int opsPerThread = 120;
            ConcurrentHashMap<Long, byte[]> lastWrite = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    Random random = new Random(thread);
                    for (int i = 0; i < opsPerThread; i++) {
                        String name = "n" + random.nextInt(40);
                        String name2 = "n" + random.nextInt(40);
                        try {
                            switch (random.nextInt(6)) {
                                case 0, 1 -> v.create(d, name, CreateMode.GUARDED, SetAttributes.NONE);
                                case 2 -> v.rename(d, name, random.nextBoolean() ? d : other, name2);
                                case 3 -> v.remove(d, name);
                                case 4 -> v.mkdir(d, name, SetAttributes.NONE);
                                default -> {
                                    NodeId f = v.lookup(d, name).id();
                                    byte[] bytes = FileVolumeContract.random(100, thread * 1000L + i);
                                    synchronized (lastWrite) {
                                        v.write(f, 0, ByteBuffer.wrap(bytes), Stability.UNSTABLE);
                                        lastWrite.put(f.inode(), bytes);
                                    }
                                }
                            }
                        } catch (VolumeException e) {
                            assertThat(e.error())
                                    .as("%s", e.getMessage())
                                    .isIn(
                                            VolumeError.EXIST,
                                            VolumeError.NOENT,
                                            VolumeError.ISDIR,
                                            VolumeError.NOTDIR,
                                            VolumeError.NOTEMPTY,
                                            VolumeError.STALE);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get(40, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    Thread.getAllStackTraces().forEach((t, stack) -> {
                        if (t.getName().startsWith("pool-")) {
                            System.out.println(t.getName() + " " + t.getState());
                            for (StackTraceElement el : stack) {
                                System.out.println("    " + el);
                            }
                        }
                    });
                    throw e;
                }
            }
            pool.shutdown();

            int subdirs = 0;
            Set<Long> inodes = new HashSet<>();
            for (NodeId parent : List.of(d, other)) {
                List<String> listed = new ArrayList<>();
                long cookie = 0;
                long verifier = 0;
                while (true) {
                    DirPage page = v.readdir(parent, cookie, verifier, 10);
                    for (DirEntry e : page.entries()) {
                        listed.add(e.name());
                        cookie = e.cookie();
                        FileAttributes a = v.lookup(parent, e.name());
                        assertThat(a.id()).isEqualTo(e.attributes().id());
                        assertThat(inodes.add(a.inode()))
                                .as("inode %d listed twice", a.inode())
                                .isTrue();
                        if (a.isDirectory()) {
                            assertThat(a.nlink()).isEqualTo(2);
                            if (parent.equals(d)) {
                                subdirs++;
                            }
                        } else {
                            assertThat(a.nlink()).isEqualTo(1);
                            byte[] expected = lastWrite.get(a.inode());
                            ByteBuffer back = ByteBuffer.allocate(200);
                            v.read(a.id(), 0, back);
                            assertThat(back.position()).isEqualTo(expected == null ? 0 : 100);
                            if (expected != null) {
                                assertThat(java.util.Arrays.copyOf(back.array(), 100))
                                        .isEqualTo(expected);
                            }
                        }
                    }
                    verifier = page.verifier();
                    if (page.eof()) {
                        break;
                    }
                }
                assertThat(listed).doesNotHaveDuplicates();
            }
            assertThat(v.getattr(d).nlink()).isEqualTo(2 + subdirs);
            assertThat(v.statfs().totalFiles() - v.statfs().freeFiles()).isEqualTo(3 + inodes.size());
        }
    }
}
