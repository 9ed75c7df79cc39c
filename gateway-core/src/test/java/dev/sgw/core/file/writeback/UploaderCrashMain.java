package dev.sgw.core.file.writeback;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

import dev.sgw.core.volume.VolumeMode;

/**
 * The child process of {@link UploaderCrashTest}: opens the share in {@code args[0]} with its uploader on
 * the S3 server at port {@code args[1]}, runs steps {@code args[2], ...} of {@link #step} and prints
 * {@code ack <k> end} after each returned, until it is killed. Exits by itself when its standard input
 * closes or after a minute.
 */
public final class UploaderCrashMain {
    static final String PREFIX = "crash/";
    static final int FILES = 20;

    private UploaderCrashMain() {}

    /** The file step {@code k} writes: twenty files in four directories, each rewritten every 20 steps. */
    static String path(long k) {
        return "d" + (k % 4) + "/f" + (k % FILES);
    }

    /** What step {@code k} writes over its whole file (a file keeps its size: 1,000 + 9,000 * index bytes). */
    static byte[] content(long k) {
        return UploaderFixture.random(1000 + (int) (k % FILES) * 9000, k);
    }

    static void step(UploaderFixture share, long k) throws Exception {
        share.mkdirs("d" + (k % 4));
        share.write(path(k), content(k));
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
        long k = Long.parseLong(args[2]);
        PrintStream out = System.out;
        UploaderFixture share = new UploaderFixture(
                        Path.of(args[0]),
                        BucketServer.store(Integer.parseInt(args[1]), PREFIX),
                        VolumeMode.SYNC,
                        Duration.ZERO)
                .open();
        out.println("ready " + k);
        out.flush();
        while (System.currentTimeMillis() < deadline) {
            step(share, k);
            out.println("ack " + k + " end");
            out.flush();
            k++;
        }
        Runtime.getRuntime().halt(4);
    }
}
