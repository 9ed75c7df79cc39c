package dev.sgw.smb.rpc;

/**
 * One share as share enumeration reports it (MS-SRVS 2.2.4.23 SHARE_INFO_1 and the other levels).
 *
 * @param name    the share name
 * @param type    {@link #DISK} or {@link #IPC}
 * @param comment the remark shown beside it ("" for none)
 * @param path    the local path levels 2 and 502 report (the gateway reports "C:\\" + name style paths)
 */
public record ShareInfo(String name, int type, String comment, String path) {
    public static final int DISK = 0x00000000;
    public static final int IPC = 0x80000003;
}
