package dev.sgw.core.sharing;

/**
 * How a protocol's byte-range locks behave among one owner's own locks, and whether they bind I/O.
 *
 * <table>
 * <caption>lock styles</caption>
 * <tr><th>style</th><th>an owner's own overlapping lock</th><th>unlock</th><th>I/O of other owners</th></tr>
 * <tr><td>POSIX (NFS, fcntl)</td><td>replaces its locks on those bytes, splitting them</td>
 *     <td>any range, splitting locks</td><td>advisory among POSIX owners; binds WINDOWS I/O</td></tr>
 * <tr><td>WINDOWS (SMB)</td><td>stacks: a shared lock beside its own shared lock; an exclusive lock
 *     conflicts with any overlapping lock, its own too</td><td>exactly one locked range</td>
 *     <td>mandatory: every other owner's I/O is checked</td></tr>
 * </table>
 */
public enum LockStyle {
    POSIX,
    WINDOWS
}
