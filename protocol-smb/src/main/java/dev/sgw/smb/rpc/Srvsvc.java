package dev.sgw.smb.rpc;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The srvsvc interface (MS-SRVS), the three operations a client needs to browse a server's shares.
 *
 * <pre>
 * opnum 15 NetrShareEnum     ("NetShareEnumAll")  levels 0, 1, 2, 501, 502      MS-SRVS 3.1.4.8
 * opnum 16 NetrShareGetInfo                       levels 0, 1, 2, 501, 502, 1005 MS-SRVS 3.1.4.10
 * opnum 21 NetrServerGetInfo                      levels 100, 101, 102          MS-SRVS 3.1.4.17
 * </pre>
 *
 * NetrShareEnum lists the browseable shares; NetrShareGetInfo finds any share by name, as for a Windows
 * hidden share. The ServerName parameter is ignored, as MS-SRVS allows. A level the IDL knows but the server does not
 * return gives ERROR_INVALID_LEVEL; a SHARE_ENUM_UNION level the IDL does not know gives an invalid-tag fault.
 */
final class Srvsvc implements RpcInterface {
    static final SyntaxId SYNTAX = new SyntaxId(UUID.fromString("4b324fc8-1670-01d3-1278-5a47bf6ee188"), 3, 0);

    static final int OP_SHARE_ENUM = 15;
    static final int OP_SHARE_GET_INFO = 16;
    static final int OP_SERVER_GET_INFO = 21;

    /** PreferedMaximumLength meaning "everything". */
    private static final int MAX_PREFERRED_LENGTH = -1;
    /** The arms SHARE_ENUM_UNION has (MS-SRVS 2.2.4.38), all pointers. */
    private static final Set<Integer> ENUM_UNION_ARMS = Set.of(0, 1, 2, 501, 502, 503);
    /** The arms SHARE_INFO has (MS-SRVS 2.2.4.41 and Samba's IDL), all pointers; other levels take the empty default arm. */
    private static final Set<Integer> SHARE_INFO_ARMS = Set.of(0, 1, 2, 501, 502, 503, 1004, 1005, 1006, 1007, 1501);

    private final Supplier<List<ShareInfo>> shares;
    private final ServerInfoLevels server;

    Srvsvc(String serverName, Supplier<List<ShareInfo>> shares) {
        this.shares = shares;
        this.server = new ServerInfoLevels(serverName);
    }

    @Override
    public SyntaxId syntax() {
        return SYNTAX;
    }

    @Override
    public byte[] call(int opnum, NdrReader in) throws RpcFault {
        return switch (opnum) {
            case OP_SHARE_ENUM -> shareEnum(in);
            case OP_SHARE_GET_INFO -> shareGetInfo(in);
            case OP_SERVER_GET_INFO -> serverGetInfo(in);
            default -> throw new RpcFault(RpcFault.OP_RANGE_ERROR, "srvsvc has no opnum " + opnum);
        };
    }

    /**
     * In: ServerName [unique,string], InfoStruct (Level, union switch, container pointer, container with
     * EntriesRead and a NULL Buffer), PreferedMaximumLength, ResumeHandle [unique]. Out: InfoStruct,
     * TotalEntries, ResumeHandle [unique], status. The resume handle is the index of the next entry, 0 when
     * none remain.
     */
    private byte[] shareEnum(NdrReader in) throws RpcFault {
        in.uniqueString();
        int level = in.u32();
        if (in.u32() != level || !ENUM_UNION_ARMS.contains(level)) {
            throw new RpcFault(RpcFault.INVALID_TAG, "SHARE_ENUM_UNION level " + level);
        }
        if (in.pointer()) {
            in.u32();
            if (in.pointer()) {
                throw new RpcFault(RpcFault.BAD_STUB_DATA, "NetrShareEnum with a non-NULL input Buffer");
            }
        }
        int prefMaxLen = in.u32();
        boolean hasResume = in.pointer();
        int resume = hasResume ? in.u32() : 0;

        ShareInfoLevel info = ShareInfoLevel.of(level);
        List<ShareInfo> all =
                shares.get().stream().filter(ShareInfo::browseable).toList();
        NdrWriter w = new NdrWriter();
        w.u32(level).u32(level);
        if (info == null || !info.enumerable()) {
            w.pointer(false);
            w.u32(0);
            if (w.pointer(hasResume)) {
                w.u32(resume);
            }
            return w.u32(ERROR_INVALID_LEVEL).toByteArray();
        }
        int start = Integer.compareUnsigned(resume, all.size()) > 0 ? all.size() : resume;
        int end = pageEnd(all, start, info, prefMaxLen);
        List<ShareInfo> page = all.subList(start, end);
        w.pointer(true);
        w.u32(page.size());
        if (w.pointer(!page.isEmpty())) {
            w.u32(page.size());
            page.forEach(s -> info.writeFixed(w, s));
            page.forEach(s -> info.writeDeferred(w, s));
        }
        w.u32(all.size());
        if (w.pointer(hasResume)) {
            w.u32(end < all.size() ? end : 0);
        }
        return w.u32(end < all.size() ? ERROR_MORE_DATA : ERROR_SUCCESS).toByteArray();
    }

    /** The end of the page from {@code start}: the entries that fit in {@code prefMaxLen}, at least one. */
    private static int pageEnd(List<ShareInfo> all, int start, ShareInfoLevel info, int prefMaxLen) {
        if (prefMaxLen == MAX_PREFERRED_LENGTH) {
            return all.size();
        }
        long used = 0;
        int end = start;
        while (end < all.size()) {
            used += info.size(all.get(end));
            if (end > start && used > Integer.toUnsignedLong(prefMaxLen)) {
                break;
            }
            end++;
        }
        return end;
    }

    /** In: ServerName [unique,string], NetName [ref,string], Level. Out: SHARE_INFO union, status. */
    private byte[] shareGetInfo(NdrReader in) throws RpcFault {
        in.uniqueString();
        String netName = in.string();
        int level = in.u32();
        ShareInfoLevel info = ShareInfoLevel.of(level);
        ShareInfo share = shares.get().stream()
                .filter(s -> s.name().equalsIgnoreCase(netName))
                .findFirst()
                .orElse(null);
        NdrWriter w = new NdrWriter();
        w.u32(level);
        int status = info == null ? ERROR_INVALID_LEVEL : share == null ? NERR_NET_NAME_NOT_FOUND : ERROR_SUCCESS;
        if (status == ERROR_SUCCESS) {
            w.pointer(true);
            info.writeFixed(w, share);
            info.writeDeferred(w, share);
        } else if (SHARE_INFO_ARMS.contains(level)) {
            w.pointer(false);
        }
        return w.u32(status).toByteArray();
    }

    /** In: ServerName [unique,string], Level. Out: SERVER_INFO union, status. */
    private byte[] serverGetInfo(NdrReader in) throws RpcFault {
        in.uniqueString();
        int level = in.u32();
        NdrWriter w = new NdrWriter();
        w.u32(level);
        boolean known = server.write(w, level);
        return w.u32(known ? ERROR_SUCCESS : ERROR_INVALID_LEVEL).toByteArray();
    }
}
