package dev.sgw.smb.rpc;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The named pipes the server offers on IPC$: {@code srvsvc} (NetShareEnumAll, NetShareGetInfo at levels 0,
 * 1, 2, 501, 502) and {@code wkssvc} (NetWkstaGetInfo at levels 100, 101, 102).
 */
@SuppressWarnings({"DoNotCallSuggester", "unused"}) // stub until built
public final class RpcPipes {
    /**
     * @param serverName the server's NetBIOS name, as srvsvc and wkssvc report it
     * @param domain     the workgroup wkssvc reports
     * @param shares     the browseable shares (disk shares and IPC$) at the moment of the call
     */
    public RpcPipes(String serverName, String domain, Supplier<List<ShareInfo>> shares) {
        throw new UnsupportedOperationException("RpcPipes: not built yet");
    }

    /** A new open of pipe {@code name} (any case, with or without a leading backslash), or empty. */
    public Optional<NamedPipe> open(String name) {
        throw new UnsupportedOperationException("RpcPipes: not built yet");
    }
}
