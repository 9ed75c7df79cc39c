package dev.sgw.smb.file;

/**
 * What an open of a named stream keeps beside its {@link SmbOpen} (whose node, path and sharing entry are the
 * base file's): the stream's name, which a rename through the open changes, and the share modes it took.
 *
 * <p>A stream open is a file of its own for share modes (MS-FSA keeps them per stream): it meets the share
 * modes of the other opens of the same stream only ({@link StreamCreate}). On the base file it holds an entry in
 * {@link dev.sgw.core.sharing.FileSharing} that asks for no access, so that the base file is deleted only when
 * its streams are closed too and a delete-pending base file is DELETE_PENDING to a stream open, and that denies
 * DELETE when the stream open does not share delete (an open of the base file for DELETE is then a
 * SHARING_VIOLATION, as on Windows). Such an open never gets a lease, an oplock or durability.
 *
 * <pre>
 * state        | event                                      | next
 * -------------+--------------------------------------------+------------------------------------------
 * NAMED(n)     | READ, WRITE, set end of file (stream n)    | NAMED(n)
 * NAMED(n)     | rename to :m (m not another open stream)   | NAMED(m)
 * NAMED(n)     | rename to ::$DATA (empty base file)        | DEFAULT (the bytes moved into the file)
 * any          | CLOSE                                      | gone; the last open of a delete-pending
 *              |                                            | stream removes it ({@link StreamData#closed})
 * </pre>
 */
final class StreamOpen {
    /** The share access bits of the open ({@link dev.sgw.core.sharing.ShareAccess}). */
    final int access;
    /** The share access bits it denies other opens of the stream. */
    final int deny;

    private StreamName name;

    StreamOpen(StreamName name, int access, int deny) {
        this.name = name;
        this.access = access;
        this.deny = deny;
    }

    synchronized StreamName name() {
        return name;
    }

    synchronized void name(StreamName renamed) {
        name = renamed;
    }

    /** Whether {@code other} is an open of the same stream of the same file as {@code open}. */
    static boolean sameStream(SmbOpen open, SmbOpen other) {
        StreamOpen s = open.stream;
        StreamOpen o = other.stream;
        if (s == null || o == null || open.node.inode() != other.node.inode()) {
            return false;
        }
        StreamName n = s.name();
        return !n.isDefault() && n.matches(o.name().name());
    }

    @Override
    public String toString() {
        return name().toString();
    }
}
