package dev.sgw.nfs.portmap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.ProgramVersions;
import dev.sgw.nfs.rpc.RpcCall;
import dev.sgw.nfs.rpc.RpcProgram;
import dev.sgw.nfs.rpc.RpcReply;
import dev.sgw.nfs.rpc.RpcServer;

/**
 * Runs the portmapper on 127.0.0.1 (port from the first argument, default any) for probing by hand with
 * rpcinfo, beside a stand-in MOUNT program (100005 v1-v3) whose only procedure, EXPORT, lists {@code /demo}
 * for everyone, so that {@code showmount -e 127.0.0.1} has something to find through rpcbind.
 */
public final class PortmapMain {
    private PortmapMain() {}

    public static void main(String[] args) throws Exception {
        PortmapRegistry registry = new PortmapRegistry();
        PortmapProgram portmap = new PortmapProgram(registry);
        RpcProgram exports = new RpcProgram() {
            @Override
            public ProgramVersions versions() {
                return new ProgramVersions(100_005, 1, 3);
            }

            @Override
            public CompletionStage<RpcReply> handle(RpcCall call, CallContext context) {
                return CompletableFuture.completedFuture(
                        switch (call.procedure()) {
                            case 0 -> RpcReply.success(out -> {});
                            case 5 ->
                                RpcReply.success(out -> out.writeBool(true)
                                        .writeString("/demo", 1024) // an export
                                        .writeBool(true)
                                        .writeString("*", 255)
                                        .writeBool(false) // its groups
                                        .writeBool(false)); // no more exports
                            default -> new RpcReply.ProcUnavail();
                        });
            }
        };
        try (RpcServer server = new RpcServer(List.of(portmap, exports), RpcServer.Settings.defaults())) {
            InetSocketAddress bound = server.start(new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), args.length > 0 ? Integer.parseInt(args[0]) : 0));
            registry.registerTcp(portmap, bound, "superuser");
            registry.registerTcp(exports, bound, "superuser");
            System.out.println("PORT " + bound.getPort());
            Thread.sleep(args.length > 1 ? Long.parseLong(args[1]) * 1000 : 60_000);
        }
    }
}
