package dev.sgw.smb.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Shares and pipes the rpc tests use. */
final class RpcFixtures {
    private RpcFixtures() {}

    static final String SERVER = "SGWTEST";
    static final String DOMAIN = "WORKGROUP";

    static final List<ShareInfo> SHARES = List.of(
            new ShareInfo("demo", ShareInfo.DISK, "demo share", "C:\\demo"),
            new ShareInfo("Photos Ünïcode", ShareInfo.DISK, "", "C:\\Photos Ünïcode"),
            new ShareInfo("IPC$", ShareInfo.IPC, "IPC Service", "C:\\"));

    static RpcPipes pipes(List<ShareInfo> shares) {
        return new RpcPipes(SERVER, DOMAIN, () -> shares);
    }

    /** {@code n} disk shares named share000 ... with long comments, to make responses span fragments. */
    static List<ShareInfo> manyShares(int n) {
        List<ShareInfo> shares = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "share%03d".formatted(i);
            shares.add(new ShareInfo(name, ShareInfo.DISK, "comment of " + name, "C:\\" + name));
        }
        return shares;
    }

    /** A client bound to {@code pipeName} with Windows' three contexts. */
    static TestRpcClient bound(RpcPipes pipes, String pipeName) {
        NamedPipe pipe = pipes.open(pipeName).orElseThrow();
        TestRpcClient client = new TestRpcClient(pipe);
        boolean srvsvc = pipeName.toLowerCase(Locale.ROOT).contains("srvsvc");
        TestRpcClient.Pdu ack = client.bind(
                TestRpcClient.windowsContexts(srvsvc ? TestRpcClient.SRVSVC : TestRpcClient.WKSSVC, srvsvc ? 3 : 1),
                4280);
        if (ack.type() != 12) {
            throw new AssertionError("bind not acknowledged: PTYPE " + ack.type());
        }
        return client;
    }
}
