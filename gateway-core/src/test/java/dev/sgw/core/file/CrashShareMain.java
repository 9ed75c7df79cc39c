package dev.sgw.core.file;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;

/**
 * The child process of {@link ShareCrashTest}: runs steps {@code start, start+1, ...} of
 * {@link #step} on a share in {@code args[0]} and prints {@code ack <k> end} after each returned, until
 * it is killed. Exits by itself when its standard input closes or after a minute.
 */
public final class CrashShareMain {
    private CrashShareMain() {}

    /**
     * The cache disk's capacity. A sync share keeps every chunk, and each step takes one or two 64 KiB
     * chunks, so a fast machine fills 64 MiB within twelve rounds; the disk must outgrow the steps.
     */
    static final long CACHE_BYTES = 1L << 30;

    /** Opens the test share in {@code dir}, in the child and when the test verifies it. */
    static ShareFixture openShare(Path dir) throws IOException {
        return new ShareFixture(dir, VolumeMode.SYNC, new MemoryObjectStore(), CACHE_BYTES);
    }

    /** The bytes step {@code k} writes, and where. */
    static byte[] content(long k) {
        byte[] b = new byte[1000 + (int) (k % 5000)];
        new Random(k).nextBytes(b);
        return b;
    }

    static long offset(long k) {
        return (k % 3) * ShareFixture.CHUNK - 10;
    }

    static String dirName(long k) {
        return "d" + (k % 4);
    }

    static String fileName(long k) {
        return "f" + k;
    }

    /** Creates d(k%4)/f(k), writes its content FILE_SYNC, and writes k at 8k of "log" FILE_SYNC. */
    static void step(FileVolume v, long k) throws Exception {
        NodeId dir;
        try {
            dir = v.mkdir(v.root(), dirName(k), SetAttributes.NONE).id();
        } catch (VolumeException e) {
            if (e.error() != VolumeError.EXIST) {
                throw e;
            }
            dir = v.lookup(v.root(), dirName(k)).id();
        }
        NodeId f = v.create(dir, fileName(k), CreateMode.UNCHECKED, SetAttributes.NONE)
                .id();
        v.write(f, Math.max(0, offset(k)), ByteBuffer.wrap(content(k)), Stability.FILE_SYNC);
        NodeId log = v.create(v.root(), "log", CreateMode.UNCHECKED, SetAttributes.NONE)
                .id();
        v.write(log, 8 * k, ByteBuffer.allocate(8).putLong(0, k), Stability.FILE_SYNC);
    }

    public static void main(String[] args) throws Exception {
        Thread.ofPlatform().daemon().name("parent-watchdog").start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // EOF means the parent is gone
                }
            } catch (Exception ignored) {
                // like EOF
            }
            Runtime.getRuntime().halt(3);
        });
        long deadline = System.currentTimeMillis() + 60_000;
        long k = Long.parseLong(args[1]);
        PrintStream out = System.out;
        try (ShareFixture share = openShare(Path.of(args[0]))) {
            out.println("ready " + k);
            out.flush();
            while (System.currentTimeMillis() < deadline) {
                step(share.volume, k);
                out.println("ack " + k + " end");
                out.flush();
                k++;
            }
        }
        Runtime.getRuntime().halt(4);
    }
}
