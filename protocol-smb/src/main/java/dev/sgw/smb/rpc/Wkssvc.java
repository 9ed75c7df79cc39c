package dev.sgw.smb.rpc;

import java.util.UUID;

/**
 * The wkssvc interface (MS-WKST): only NetrWkstaGetInfo (opnum 0, MS-WKST 3.2.4.1), which clients call to
 * learn the server's name and workgroup.
 *
 * <pre>
 * 100  platform_id, computername*, langroup*, ver_major, ver_minor
 * 101  as 100, then lanroot*
 * 102  as 101, then logged_on_users
 * </pre>
 */
final class Wkssvc implements RpcInterface {
    static final SyntaxId SYNTAX = new SyntaxId(UUID.fromString("6bffd098-a112-3610-9833-46c3f87e345a"), 1, 0);

    static final int OP_WKSTA_GET_INFO = 0;

    private final String serverName;
    private final String domain;

    Wkssvc(String serverName, String domain) {
        this.serverName = serverName;
        this.domain = domain;
    }

    @Override
    public SyntaxId syntax() {
        return SYNTAX;
    }

    /** In: ServerName [unique,string], Level. Out: WKSTA_INFO union, status. */
    @Override
    public byte[] call(int opnum, NdrReader in) throws RpcFault {
        if (opnum != OP_WKSTA_GET_INFO) {
            throw new RpcFault(RpcFault.OP_RANGE_ERROR, "wkssvc has no opnum " + opnum);
        }
        in.uniqueString();
        int level = in.u32();
        NdrWriter w = new NdrWriter();
        w.u32(level);
        if (!w.pointer(level == 100 || level == 101 || level == 102)) {
            return w.u32(ERROR_INVALID_LEVEL).toByteArray();
        }
        w.u32(PLATFORM_ID_NT);
        w.pointer(true);
        w.pointer(true);
        w.u32(ServerInfoLevels.VERSION_MAJOR).u32(ServerInfoLevels.VERSION_MINOR);
        if (level >= 101) {
            w.pointer(true);
        }
        if (level == 102) {
            w.u32(0);
        }
        w.string(serverName).string(domain);
        if (level >= 101) {
            w.string("");
        }
        return w.u32(ERROR_SUCCESS).toByteArray();
    }
}
