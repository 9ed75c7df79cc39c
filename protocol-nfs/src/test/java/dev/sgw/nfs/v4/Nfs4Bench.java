package dev.sgw.nfs.v4;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.UserMapping;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.ListDirectory;
import dev.sgw.nfs.rpc.OpaqueAuth;
import dev.sgw.nfs.rpc.RpcServer;
import dev.sgw.nfs.rpc.RpcTestClient;
import dev.sgw.nfs.v4.Nfs4TestClient.Ops;
import dev.sgw.nfs.v4.Nfs4TestClient.Result;
import dev.sgw.nfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBufUtil;

/**
 * A rough throughput probe of the NFSv4.1 server over loopback (no kernel): {@code [MiB] [inFlight]} (256, 8)
 * 1 MiB UNSTABLE WRITEs on one session, COMMIT, then 1 MiB READs, then sequential GETATTR round trips.
 * Prints MiB/s and operations/s.
 */
public final class Nfs4Bench {
    private Nfs4Bench() {}

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path dir = Files.createTempDirectory("sgw-nfs4-bench-");
        try (ShareFixture share = new ShareFixture(dir)) {
            ListDirectory exports = new ListDirectory();
            exports.exports.add(share.export(1, "/demo", UserMapping.NONE, ClientRule.anyReadWrite()));
            Nfs4Program nfs4 = new Nfs4Program(
                    new ExportAccess(exports), Nfs4Settings.defaults().withGrace(Duration.ZERO));
            try (RpcServer server = new RpcServer(List.of(nfs4), RpcServer.Settings.defaults());
                    Nfs4TestClient client = new Nfs4TestClient(
                            server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))) {
                client.createSession("bench", inFlight);
                Result open = client.compound(client.seq(0)
                        .putRoot()
                        .lookup("demo")
                        .op(Op.OPEN, e -> Nfs4TestBase.openArgs(e, 3, "bench", OpenOps.UNCHECKED4, 0, "big"))
                        .getFh());
                Nfs4TestClient.sequenceOk(open);
                open.ok(Op.PUTROOTFH);
                open.ok(Op.LOOKUP);
                Stateid sid = Stateid.read(open.ok(Op.OPEN));
                Nfs4TestBase.skipOpenBody(open.in);
                byte[] fh = open.ok(Op.GETFH).readOpaque(128);
                byte[] data = new byte[1 << 20];
                new java.util.Random(1).nextBytes(data);

                long t0 = System.nanoTime();
                run(
                        client,
                        mib,
                        inFlight,
                        i -> new Ops().putFh(fh).op(Op.WRITE, e -> {
                            sid.write(e);
                            e.writeHyper((long) i << 20)
                                    .writeInt(OpenOps.UNSTABLE4)
                                    .writeOpaque(data, 1 << 21);
                        }));
                client.compound(client.seq(0)
                        .putFh(fh)
                        .op(Op.COMMIT, e -> e.writeHyper(0).writeInt(0)));
                report("write+commit", mib, t0);
                t0 = System.nanoTime();
                run(
                        client,
                        mib,
                        inFlight,
                        i -> new Ops().putFh(fh).op(Op.READ, e -> {
                            sid.write(e);
                            e.writeHyper((long) i << 20).writeInt(1 << 20);
                        }));
                report("read", mib, t0);
                int n = 5000;
                t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    client.compound(
                            client.seq(0).putFh(fh).getAttr(Attributes.SIZE, Attributes.CHANGE, Attributes.MODE));
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("getattr: %d round trips in %.2f s, %.0f/s%n", n, s, n / s);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Sends {@code count} compounds (SEQUENCE + {@code ops(i)}), {@code inFlight} at a time, one per slot. */
    private static void run(Nfs4TestClient client, int count, int inFlight, java.util.function.IntFunction<Ops> ops)
            throws Exception {
        List<CompletableFuture<RpcTestClient.Reply>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int slot = i % inFlight;
            if (pending.size() == inFlight) {
                check(pending.removeFirst().get(30, TimeUnit.SECONDS));
            }
            Ops o = client.seq(slot);
            Ops body = ops.apply(i);
            o.body.buffer().writeBytes(body.body.buffer());
            o.count += body.count;
            XdrEncoder args = new XdrEncoder().writeString("", 1024).writeInt(1).writeInt(o.count);
            args.buffer().writeBytes(o.body.buffer());
            pending.add(client.rpc.call(
                    client.rpc.nextXid(),
                    Nfs4Program.PROGRAM,
                    4,
                    1,
                    OpaqueAuth.AUTH_SYS,
                    client.cred(),
                    ByteBufUtil.getBytes(args.buffer())));
        }
        for (CompletableFuture<RpcTestClient.Reply> f : pending) {
            check(f.get(30, TimeUnit.SECONDS));
        }
    }

    private static void check(RpcTestClient.Reply reply) {
        Result r = new Result(reply.results());
        if (r.status != 0) {
            throw new IllegalStateException("compound failed: " + r.status());
        }
    }

    private static void report(String what, int mib, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %d MiB in %.2f s, %.0f MiB/s%n", what, mib, s, mib / s);
    }
}
