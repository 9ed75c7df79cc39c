package dev.sgw.smb.rpc;

/**
 * One share as share enumeration reports it (MS-SRVS 2.2.4.23 SHARE_INFO_1 and the other levels).
 *
 * @param name    the share name
 * @param type    {@link #DISK} or {@link #IPC}
 * @param comment the remark shown beside it ("" for none)
 * @param path    the local path levels 2 and 502 report (the gateway reports "C:\\" + name style paths)
 * @param browseable whether NetrShareEnum lists it; NetrShareGetInfo finds it either way
 */
public record ShareInfo(String name, int type, String comment, String path, boolean browseable) {
    public static final int DISK = 0x00000000;
    public static final int IPC = 0x80000003;

    /** A browseable share. */
    public ShareInfo(String name, int type, String comment, String path) {
        this(name, type, comment, path, true);
    }
}
