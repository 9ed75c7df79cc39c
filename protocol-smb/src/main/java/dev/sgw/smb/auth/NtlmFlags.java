package dev.sgw.smb.auth;

/** The NegotiateFlags bits of MS-NLMP 2.2.2.5 the server reads or sets. */
final class NtlmFlags {
    static final int NEGOTIATE_UNICODE = 0x0000_0001;
    static final int NEGOTIATE_OEM = 0x0000_0002;
    static final int REQUEST_TARGET = 0x0000_0004;
    static final int NEGOTIATE_SIGN = 0x0000_0010;
    static final int NEGOTIATE_SEAL = 0x0000_0020;
    static final int NEGOTIATE_LM_KEY = 0x0000_0080;
    static final int NEGOTIATE_NTLM = 0x0000_0200;
    static final int NEGOTIATE_ANONYMOUS = 0x0000_0800;
    static final int NEGOTIATE_ALWAYS_SIGN = 0x0000_8000;
    static final int TARGET_TYPE_DOMAIN = 0x0001_0000;
    static final int TARGET_TYPE_SERVER = 0x0002_0000;
    static final int NEGOTIATE_EXTENDED_SESSIONSECURITY = 0x0008_0000;
    static final int NEGOTIATE_TARGET_INFO = 0x0080_0000;
    static final int NEGOTIATE_VERSION = 0x0200_0000;
    static final int NEGOTIATE_128 = 0x2000_0000;
    static final int NEGOTIATE_KEY_EXCH = 0x4000_0000;
    static final int NEGOTIATE_56 = 0x8000_0000;

    /** What the server always offers in its CHALLENGE. */
    static final int SERVER_ALWAYS = NEGOTIATE_UNICODE
            | NEGOTIATE_NTLM
            | NEGOTIATE_ALWAYS_SIGN
            | NEGOTIATE_EXTENDED_SESSIONSECURITY
            | NEGOTIATE_TARGET_INFO
            | NEGOTIATE_VERSION;

    /** What the server grants only when the client's NEGOTIATE asked for it. */
    static final int SERVER_IF_ASKED =
            REQUEST_TARGET | NEGOTIATE_SIGN | NEGOTIATE_SEAL | NEGOTIATE_128 | NEGOTIATE_56 | NEGOTIATE_KEY_EXCH;

    private NtlmFlags() {}

    /** The CHALLENGE's flags in answer to a NEGOTIATE's. */
    static int challengeFlags(int negotiateFlags) {
        int flags = SERVER_ALWAYS | (negotiateFlags & SERVER_IF_ASKED);
        if ((flags & REQUEST_TARGET) != 0) {
            flags |= TARGET_TYPE_SERVER;
        }
        return flags;
    }
}
