package dev.sgw.core.sharing;

/**
 * A change to a file that breaks the leases of other holders, and what each leaves of them (MS-FSA 2.1.5.17,
 * simplified): an open of another owner takes WRITE (their handle caching stays unless it would make the open
 * fail), a write or size change takes READ and WRITE, a rename or remove of the file takes HANDLE, and a change
 * the bucket brought (reverse sync replacing or deleting the file) takes everything.
 */
public enum SharingChange {
    OPEN(~LeaseState.WRITE),
    WRITE(LeaseState.HANDLE),
    RENAME_OR_REMOVE(LeaseState.READ | LeaseState.WRITE),
    BUCKET(LeaseState.NONE);

    private final int keeps;

    SharingChange(int keeps) {
        this.keeps = keeps;
    }

    /** What a lease in {@code state} keeps after this change (READ goes too when WRITE is all that is left). */
    int leaves(int state) {
        int left = state & keeps;
        return (left & LeaseState.READ) == 0 ? LeaseState.NONE : left;
    }
}
