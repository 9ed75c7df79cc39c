package dev.sgw.nfs.portmap;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.ProgramVersions;
import dev.sgw.nfs.rpc.RpcCall;
import dev.sgw.nfs.rpc.RpcProgram;
import dev.sgw.nfs.rpc.RpcReply;

/**
 * Program 100000 (RFC 1833): portmap version 2 ({@link PortmapV2}) and rpcbind versions 3 and 4
 * ({@link RpcbindV3V4}) over one {@link PortmapRegistry}. SET and UNSET are honoured from loopback clients
 * only (as rpcbind does), and answered false otherwise.
 */
public final class PortmapProgram implements RpcProgram {
    public static final int PROGRAM = 100_000;
    private static final ProgramVersions VERSIONS = new ProgramVersions(PROGRAM, 2, 4);

    private final PortmapV2 v2;
    private final RpcbindV3V4 rpcbind;

    public PortmapProgram(PortmapRegistry registry) {
        this.v2 = new PortmapV2(registry);
        this.rpcbind = new RpcbindV3V4(registry);
    }

    @Override
    public ProgramVersions versions() {
        return VERSIONS;
    }

    @Override
    public CompletionStage<RpcReply> handle(RpcCall call, CallContext context) {
        RpcReply reply = call.version() == 2 ? v2.handle(call, context) : rpcbind.handle(call, context);
        return CompletableFuture.completedFuture(reply);
    }

    /** Whether a client may change registrations: only one on this host. */
    static boolean mayRegister(CallContext context) {
        InetSocketAddress client = context.client();
        return client != null && client.getAddress().isLoopbackAddress();
    }
}
