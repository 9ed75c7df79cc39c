package dev.sgw.nfs.portmap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import dev.sgw.nfs.rpc.RpcServer;

/** Runs the portmapper on 127.0.0.1 (port from the first argument, default any) for probing by hand with rpcinfo. */
public final class PortmapMain {
    private PortmapMain() {
    }

    public static void main(String[] args) throws Exception {
        PortmapRegistry registry = new PortmapRegistry();
        PortmapProgram portmap = new PortmapProgram(registry);
        try (RpcServer server = new RpcServer(List.of(portmap), RpcServer.Settings.defaults())) {
            InetSocketAddress bound = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    args.length > 0 ? Integer.parseInt(args[0]) : 0));
            registry.registerTcp(portmap, bound, "superuser");
            System.out.println("PORT " + bound.getPort());
            Thread.sleep(args.length > 1 ? Long.parseLong(args[1]) * 1000 : 60_000);
        }
    }
}
