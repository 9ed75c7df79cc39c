package dev.sgw.nfs.v4;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.UserMapping;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.ListDirectory;
import dev.sgw.nfs.NfsProgram;
import dev.sgw.nfs.rpc.RpcServer;

/**
 * Serves NFSv4.1 on 127.0.0.1 for the kernel client in the test guest: export {@code /demo} (read-write,
 * no squashing) of a fresh share volume in a temporary directory, {@code /ro/demo} read-only, and {@code /squash},
 * another volume whose root belongs to the anonymous user, with root squashed (as the gateway's shares). Arguments:
 * {@code [port] [seconds] [grace-seconds]}; defaults 2049, 600, 2. Prints {@code PORT n} when listening.
 *
 * <p>A file named {@value #RESTART_TRIGGER} appearing in the root of {@code /demo} restarts the server (it is
 * removed, the RPC server and NFSv4 program are replaced by new ones over the same volume), as a gateway
 * restart would: handles stay valid, sessions and state are gone, clients reclaim during the grace period, which
 * ends when the recorded clients (a file in the temporary directory) completed their reclaims.
 */
public final class Nfs4Main {
    static final String RESTART_TRIGGER = ".restart-server";

    private Nfs4Main() {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 2049;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 600;
        long grace = args.length > 2 ? Long.parseLong(args[2]) : 2;
        Path dir = Files.createTempDirectory("sgw-nfs4-");
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> { // kill: close the volumes, remove the directory
                            stop.set(true);
                            try {
                                finished.await(20, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }));
        try (ShareFixture share = new ShareFixture(dir.resolve("demo"));
                ShareFixture squashed =
                        new ShareFixture(dir.resolve("squash"), ShareFixture.anonymousOwned("squash", 3))) {
            ListDirectory exports = new ListDirectory();
            exports.exports.add(share.export(1, "/demo", UserMapping.NONE, ClientRule.anyReadWrite()));
            exports.exports.add(share.export(2, "/ro/demo", UserMapping.NONE, new ClientRule("*", false)));
            exports.exports.add(squashed.export(3, "/squash", UserMapping.ROOT_SQUASH, ClientRule.anyReadWrite()));
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            int runs = 0;
            while (System.nanoTime() < end && !stop.get()) {
                Nfs4Program nfs4 = new Nfs4Program(
                        new ExportAccess(exports),
                        Nfs4Settings.defaults().withGrace(Duration.ofSeconds(grace)),
                        ClientRecords.file(dir.resolve("clients")));
                try (RpcServer server =
                        new RpcServer(List.of(new NfsProgram(List.of(nfs4))), RpcServer.Settings.defaults())) {
                    InetSocketAddress bound =
                            server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    System.out.println((runs++ == 0 ? "PORT " : "RESTARTED PORT ") + bound.getPort());
                    while (System.nanoTime() < end && !stop.get() && !triggered(share)) {
                        Thread.sleep(500);
                    }
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            finished.countDown();
        }
    }

    /** Whether the restart trigger is there (it is removed). */
    private static boolean triggered(ShareFixture share) throws Exception {
        try {
            share.volume.lookup(share.volume.root(), RESTART_TRIGGER);
        } catch (VolumeException e) {
            return false;
        }
        share.volume.remove(share.volume.root(), RESTART_TRIGGER);
        return true;
    }
}
