package dev.sgw.smb.rpc;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The named pipes the server offers on IPC$: {@code srvsvc} (NetShareEnumAll at levels 0, 1, 2, 501, 502,
 * NetShareGetInfo at those and 1005, NetServerGetInfo at 100, 101, 102) and {@code wkssvc} (NetWkstaGetInfo
 * at levels 100, 101, 102). Each {@link #open} is a fresh DCE/RPC association ({@link RpcPipe}); the
 * interfaces themselves are stateless and shared. Thread-safe.
 */
public final class RpcPipes {
    private final Map<String, RpcInterface> interfaces;
    private final AtomicInteger assocGroups = new AtomicInteger(0x1000);

    /**
     * @param serverName the server's NetBIOS name, as srvsvc and wkssvc report it
     * @param domain     the workgroup wkssvc reports
     * @param shares     the shares (disk shares and IPC$) at the moment of the call; enumeration lists the
     *                   browseable ones
     */
    public RpcPipes(String serverName, String domain, Supplier<List<ShareInfo>> shares) {
        this.interfaces = Map.of("srvsvc", new Srvsvc(serverName, shares), "wkssvc", new Wkssvc(serverName, domain));
    }

    /** A new open of pipe {@code name} (any case, with or without a leading backslash), or empty. */
    public Optional<NamedPipe> open(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.startsWith("\\pipe\\")) {
            key = key.substring("\\pipe\\".length());
        } else if (key.startsWith("\\")) {
            key = key.substring(1);
        }
        RpcInterface served = interfaces.get(key);
        return served == null
                ? Optional.empty()
                : Optional.of(new RpcPipe(served, "\\PIPE\\" + key, assocGroups.incrementAndGet()));
    }
}
