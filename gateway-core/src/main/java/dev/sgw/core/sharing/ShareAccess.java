package dev.sgw.core.sharing;

/**
 * The access an open wants and the access it denies to others (share modes), as bits. SMB's FILE_SHARE_*
 * flags say what others may do; a protocol turns them into the deny bits here ({@code deny = ALL & ~share}).
 * NFSv4's OPEN4_SHARE_ACCESS_* and OPEN4_SHARE_DENY_* map to {@link #READ} and {@link #WRITE}.
 *
 * <p>Two opens of different owners conflict when one's access meets the other's deny. An open that wants
 * none of these bits (only attributes) conflicts with nothing.
 */
public final class ShareAccess {
    public static final int NONE = 0;
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int DELETE = 4;
    public static final int ALL = READ | WRITE | DELETE;

    private ShareAccess() {}

    /** Whether an open with {@code access}/{@code deny} and one with {@code otherAccess}/{@code otherDeny} conflict. */
    public static boolean conflict(int access, int deny, int otherAccess, int otherDeny) {
        return (access & otherDeny) != 0 || (deny & otherAccess) != 0;
    }

    static String describe(int bits) {
        if (bits == 0) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        if ((bits & READ) != 0) {
            b.append("read,");
        }
        if ((bits & WRITE) != 0) {
            b.append("write,");
        }
        if ((bits & DELETE) != 0) {
            b.append("delete,");
        }
        return b.substring(0, b.length() - 1);
    }
}
