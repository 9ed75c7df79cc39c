package dev.sgw.core.meta;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child process of {@link MetadataCrashTest}: applies {@link CrashWorkload} updates 1, 2, 3, ...
 * (continuing after the last one in the store) with {@link Durability#DURABLE}, and prints
 * {@code ack <n> <id> end} after each returned, until it is killed.
 *
 * <p>It exits by itself when its standard input closes (the test JVM died) or after a minute, so a
 * failing test never leaves it running.
 */
public final class CrashWriterMain {
    private static final long MAX_RUN_MILLIS = 60_000;

    private CrashWriterMain() {}

    public static void main(String[] args) throws Exception {
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // the parent never writes; EOF means it is gone
                }
            } catch (Exception ignored) {
                // treat like EOF
            }
            Runtime.getRuntime().halt(3);
        });
        watchdog.setName("parent-watchdog");
        long deadline = System.currentTimeMillis() + MAX_RUN_MILLIS;

        PrintStream out = System.out;
        try (MetadataStore store = MetadataStore.open(Path.of(args[0]), CrashWorkload.TUNING)) {
            IdAllocator ids = store.idAllocator(CrashWorkload.VOLUME, CrashWorkload.ID_COUNTER);
            long n = store.get(CrashWorkload.LAST).map(TestValues::u64).orElse(0L);
            out.println("ready " + n);
            out.flush();
            while (System.currentTimeMillis() < deadline) {
                long update = ++n;
                long id = ids.next();
                store.update(batch -> CrashWorkload.fill(batch, update, id), Durability.DURABLE);
                out.println("ack " + update + " " + id + " end");
                out.flush();
            }
        }
        Runtime.getRuntime().halt(4);
    }
}
