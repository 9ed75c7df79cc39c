package dev.sgw.smb.rpc;

/**
 * The SERVER_INFO levels NetrServerGetInfo returns (MS-SRVS 2.2.4.40 to 2.2.4.42), the union arm pointer
 * and its pointee:
 *
 * <pre>
 * 100  platform_id, name*
 * 101  platform_id, name*, version_major, version_minor, type, comment*
 * 102  as 101, then users, disc, hidden, announce, anndelta, licenses, userpath*
 * </pre>
 */
final class ServerInfoLevels {
    /** Reported as Windows 10 / Server 2016 and later. */
    static final int VERSION_MAJOR = 10;

    static final int VERSION_MINOR = 0;
    /** SV_TYPE_WORKSTATION | SV_TYPE_SERVER | SV_TYPE_NT | SV_TYPE_SERVER_NT. */
    static final int SERVER_TYPE = 0x00009003;

    static final String COMMENT = "sgw";
    private static final int AUTO_DISCONNECT_MINUTES = 15;
    private static final int ANNOUNCE_SECONDS = 240;
    private static final int ANNOUNCE_DELTA_MS = 3000;

    private final String serverName;

    ServerInfoLevels(String serverName) {
        this.serverName = serverName;
    }

    /** Writes the union arm for {@code level}: the pointer and pointee, or a NULL pointer; false if unknown. */
    boolean write(NdrWriter w, int level) {
        if (!w.pointer(level == 100 || level == 101 || level == 102)) {
            return false;
        }
        w.u32(RpcInterface.PLATFORM_ID_NT);
        w.pointer(true);
        if (level >= 101) {
            w.u32(VERSION_MAJOR).u32(VERSION_MINOR).u32(SERVER_TYPE);
            w.pointer(true);
        }
        if (level == 102) {
            w.u32(0).u32(AUTO_DISCONNECT_MINUTES).u32(0).u32(ANNOUNCE_SECONDS).u32(ANNOUNCE_DELTA_MS);
            w.u32(0);
            w.pointer(true);
        }
        w.string(serverName);
        if (level >= 101) {
            w.string(COMMENT);
        }
        if (level == 102) {
            w.string("C:\\");
        }
        return true;
    }
}
