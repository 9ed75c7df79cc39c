package dev.sgw.iscsi.session;

/**
 * The 8-byte LUN field of iSCSI PDUs (SAM-5 section 4.7): the first level's address method in the top two
 * bits. Peripheral device addressing (00b, bus 0) and flat space addressing (01b) give the LUN number; any
 * other form maps to a number no logical unit has, so that the logical unit answers "not supported".
 */
final class LunAddress {
    /** What an address sgw cannot decode maps to. */
    static final long UNSUPPORTED = 0xffffL << 16;

    private LunAddress() {}

    static long decode(long field) {
        int b0 = (int) (field >>> 56) & 0xff;
        int b1 = (int) (field >>> 48) & 0xff;
        boolean singleLevel = (field & 0x0000ffffffffffffL) == 0;
        return switch (b0 >>> 6) {
            case 0 -> (b0 & 0x3f) == 0 && singleLevel ? b1 : UNSUPPORTED;
            case 1 -> singleLevel ? ((long) (b0 & 0x3f) << 8) | b1 : UNSUPPORTED;
            default -> UNSUPPORTED;
        };
    }
}
