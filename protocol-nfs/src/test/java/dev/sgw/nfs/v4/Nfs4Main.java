package dev.sgw.nfs.v4;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.UserMapping;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.ListDirectory;
import dev.sgw.nfs.NfsProgram;
import dev.sgw.nfs.rpc.RpcServer;

/**
 * Serves NFSv4.1 on 127.0.0.1 for the kernel client in the test guest: export {@code /demo} (read-write,
 * no squashing) of a fresh share volume in a temporary directory, and {@code /ro/demo} read-only. Arguments:
 * {@code [port] [seconds] [grace-seconds]}; defaults 2049, 600, 2. Prints {@code PORT n} when listening.
 */
public final class Nfs4Main {
    private Nfs4Main() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 2049;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 600;
        long grace = args.length > 2 ? Long.parseLong(args[2]) : 2;
        Path dir = Files.createTempDirectory("sgw-nfs4-");
        try (ShareFixture share = new ShareFixture(dir)) {
            ListDirectory exports = new ListDirectory();
            exports.exports.add(share.export(1, "/demo", UserMapping.NONE, ClientRule.anyReadWrite()));
            exports.exports.add(share.export(2, "/ro/demo", UserMapping.NONE, new ClientRule("*", false)));
            Nfs4Program nfs4 = new Nfs4Program(new ExportAccess(exports),
                    Nfs4Settings.defaults().withGrace(Duration.ofSeconds(grace)), System::nanoTime);
            try (RpcServer server = new RpcServer(List.of(new NfsProgram(List.of(nfs4))), RpcServer.Settings.defaults())) {
                InetSocketAddress bound = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                System.out.println("PORT " + bound.getPort());
                Thread.sleep(seconds * 1000);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
