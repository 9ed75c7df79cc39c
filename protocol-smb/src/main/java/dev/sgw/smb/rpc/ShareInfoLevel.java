package dev.sgw.smb.rpc;

/**
 * The SHARE_INFO levels srvsvc returns (MS-SRVS 2.2.4.22 to 2.2.4.29), each written as NDR in two passes:
 * the fixed part with referent ids in place of strings, then the deferred strings, so that an array of
 * entries is all fixed parts followed by all strings, in entry order.
 *
 * <pre>
 * 0    netname*
 * 1    netname*, type, remark*
 * 2    netname*, type, remark*, permissions, max_uses, current_uses, path*, passwd* (NULL)
 * 501  netname*, type, remark*, flags
 * 502  as 2, then reserved (0) and security_descriptor* (NULL)
 * 1005 flags
 * </pre>
 */
enum ShareInfoLevel {
    LEVEL_0(0),
    LEVEL_1(1),
    LEVEL_2(2),
    LEVEL_501(501),
    LEVEL_502(502),
    LEVEL_1005(1005);

    /** shi2_max_uses: SHI_USES_UNLIMITED. */
    private static final int USES_UNLIMITED = -1;
    /** shi501/shi1005 flags: CSC_CACHE_MANUAL_REFERENCE, the default offline caching of a share. */
    private static final int FLAGS = 0;

    final int level;

    ShareInfoLevel(int level) {
        this.level = level;
    }

    /** The level, or null when srvsvc does not return it. */
    static ShareInfoLevel of(int level) {
        for (ShareInfoLevel l : values()) {
            if (l.level == level) {
                return l;
            }
        }
        return null;
    }

    /** Whether NetrShareEnum returns this level (1005 is GetInfo only). */
    boolean enumerable() {
        return this != LEVEL_1005;
    }

    void writeFixed(NdrWriter w, ShareInfo s) {
        if (this == LEVEL_1005) {
            w.u32(FLAGS);
            return;
        }
        w.pointer(true);
        if (this == LEVEL_0) {
            return;
        }
        w.u32(s.type());
        w.pointer(true);
        switch (this) {
            case LEVEL_501 -> w.u32(FLAGS);
            case LEVEL_2, LEVEL_502 -> {
                w.u32(0).u32(USES_UNLIMITED).u32(0);
                w.pointer(true);
                w.pointer(false);
                if (this == LEVEL_502) {
                    w.u32(0);
                    w.pointer(false);
                }
            }
            default -> {}
        }
    }

    void writeDeferred(NdrWriter w, ShareInfo s) {
        if (this == LEVEL_1005) {
            return;
        }
        w.string(s.name());
        if (this == LEVEL_0) {
            return;
        }
        w.string(orEmpty(s.comment()));
        if (this == LEVEL_2 || this == LEVEL_502) {
            w.string(orEmpty(s.path()));
        }
    }

    /** The bytes an entry counts against PreferedMaximumLength: 4 per fixed field, 2 per character. */
    int size(ShareInfo s) {
        return switch (this) {
            case LEVEL_0 -> 4 + chars(s.name());
            case LEVEL_1 -> 12 + chars(s.name()) + chars(orEmpty(s.comment()));
            case LEVEL_501 -> 16 + chars(s.name()) + chars(orEmpty(s.comment()));
            case LEVEL_2 -> 32 + chars(s.name()) + chars(orEmpty(s.comment())) + chars(orEmpty(s.path()));
            case LEVEL_502 -> 40 + chars(s.name()) + chars(orEmpty(s.comment())) + chars(orEmpty(s.path()));
            case LEVEL_1005 -> 4;
        };
    }

    /** A comment or path the share does not have is reported as "". */
    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static int chars(String s) {
        return 2 * (s.length() + 1);
    }
}
