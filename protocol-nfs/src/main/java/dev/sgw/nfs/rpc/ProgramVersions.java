package dev.sgw.nfs.rpc;

/**
 * An RPC program number and the contiguous range of versions a program serves: what the {@link RpcDispatcher}
 * checks a call against (PROG_UNAVAIL, PROG_MISMATCH) and what portmap registers.
 *
 * @param program the program number, e.g. 100003 for NFS
 * @param low     the lowest version served
 * @param high    the highest version served
 */
public record ProgramVersions(int program, int low, int high) {

    public ProgramVersions {
        if (low > high) {
            throw new IllegalArgumentException("versions " + low + " to " + high + " of program " + program);
        }
    }

    /** One version of a program. */
    public static ProgramVersions of(int program, int version) {
        return new ProgramVersions(program, version, version);
    }

    /** Whether {@code version} is one of the range. */
    public boolean contains(int version) {
        return version >= low && version <= high;
    }
}
