package dev.sgw.nfs.v4;

/** NFSv4.1 operation numbers, {@code nfs_opnum4} (RFC 5662). */
final class Op {
    static final int ACCESS = 3,
            CLOSE = 4,
            COMMIT = 5,
            CREATE = 6,
            DELEGPURGE = 7,
            DELEGRETURN = 8,
            GETATTR = 9,
            GETFH = 10,
            LINK = 11,
            LOCK = 12,
            LOCKT = 13,
            LOCKU = 14,
            LOOKUP = 15,
            LOOKUPP = 16,
            NVERIFY = 17,
            OPEN = 18,
            OPENATTR = 19,
            OPEN_CONFIRM = 20,
            OPEN_DOWNGRADE = 21,
            PUTFH = 22,
            PUTPUBFH = 23,
            PUTROOTFH = 24,
            READ = 25,
            READDIR = 26,
            READLINK = 27,
            REMOVE = 28,
            RENAME = 29,
            RENEW = 30,
            RESTOREFH = 31,
            SAVEFH = 32,
            SECINFO = 33,
            SETATTR = 34,
            SETCLIENTID = 35,
            SETCLIENTID_CONFIRM = 36,
            VERIFY = 37,
            WRITE = 38,
            RELEASE_LOCKOWNER = 39,
            BACKCHANNEL_CTL = 40,
            BIND_CONN_TO_SESSION = 41,
            EXCHANGE_ID = 42,
            CREATE_SESSION = 43,
            DESTROY_SESSION = 44,
            FREE_STATEID = 45,
            GET_DIR_DELEGATION = 46,
            GETDEVICEINFO = 47,
            GETDEVICELIST = 48,
            LAYOUTCOMMIT = 49,
            LAYOUTGET = 50,
            LAYOUTRETURN = 51,
            SECINFO_NO_NAME = 52,
            SEQUENCE = 53,
            SET_SSV = 54,
            TEST_STATEID = 55,
            WANT_DELEGATION = 56,
            DESTROY_CLIENTID = 57,
            RECLAIM_COMPLETE = 58,
            ILLEGAL = 10044;

    /** The highest operation number of minor version 1. */
    static final int LAST = RECLAIM_COMPLETE;

    private Op() {}

    /** Operations that may come first in a compound without SEQUENCE (RFC 8881 section 18.46.3). */
    static boolean sessionless(int op) {
        return op == EXCHANGE_ID
                || op == CREATE_SESSION
                || op == DESTROY_SESSION
                || op == DESTROY_CLIENTID
                || op == BIND_CONN_TO_SESSION;
    }
}
