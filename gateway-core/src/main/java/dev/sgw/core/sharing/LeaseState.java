package dev.sgw.core.sharing;

/**
 * What a lease lets its holder cache, as bits (SMB2 lease states; an oplock level maps onto them: level II
 * is READ, exclusive is READ|WRITE, batch is READ|WRITE|HANDLE).
 *
 * <ul>
 *   <li>{@link #READ}: cached reads; broken by another owner's write or size change.
 *   <li>{@link #HANDLE}: the holder keeps its handle open after the application closed it; broken by a
 *       rename, a remove or an open that its share modes would refuse.
 *   <li>{@link #WRITE}: cached writes; broken by any other owner's open, read or write.
 * </ul>
 *
 * Valid combinations: none, READ, READ|HANDLE, READ|WRITE, READ|WRITE|HANDLE.
 */
public final class LeaseState {
    public static final int NONE = 0;
    public static final int READ = 1;
    public static final int HANDLE = 2;
    public static final int WRITE = 4;

    private LeaseState() {}

    /** Whether {@code state} is one of the combinations a lease may hold. */
    public static boolean valid(int state) {
        return state == NONE || ((state & ~(READ | HANDLE | WRITE)) == 0 && (state & READ) != 0);
    }

    static String describe(int state) {
        if (state == NONE) {
            return "none";
        }
        return ((state & READ) != 0 ? "R" : "")
                + ((state & WRITE) != 0 ? "W" : "")
                + ((state & HANDLE) != 0 ? "H" : "");
    }
}
