package dev.sgw.nfs.v3;

import dev.sgw.core.volume.FileAttributes;

/**
 * Weak cache consistency data ({@code wcc_data}, RFC 1813 section 2.6) of one object a procedure changed:
 * its attributes just before and just after. Either may be missing (the object could not be read); a
 * client then refreshes its cache instead of trusting it.
 *
 * @param before attributes before the change (only size, mtime and ctime go on the wire), or null
 * @param after  attributes after the change, or null
 */
record Wcc(FileAttributes before, FileAttributes after) {
    /** Nothing known (the handle was bad or its export refused the client). */
    static final Wcc NONE = new Wcc(null, null);
}
