package dev.sgw.smb.file;

import dev.sgw.smb.server.SmbException;

/**
 * A CREATE's path split into the file and the stream it names (MS-FSCC 2.1.5): {@code dir\file},
 * {@code dir\file:stream}, {@code dir\file:stream:$DATA} or {@code dir\file::$DATA}. The file part is a
 * {@link SharePath} (its rules and errors), the stream part a {@link StreamName}.
 *
 * @param file the file's path
 * @param stream the stream named, or null when the path names none (the file itself)
 */
record StreamPath(SharePath file, StreamName stream) {

    /**
     * Parses a client's path.
     *
     * @throws SmbException as {@link SharePath#parse} for the file part, as {@link StreamName#parse} for the
     *     stream part
     */
    static StreamPath parse(String raw) throws SmbException {
        String s = raw.replace('/', '\\');
        int colon = s.indexOf(':');
        if (colon < 0) {
            return new StreamPath(SharePath.parse(raw), null);
        }
        StreamName stream = StreamName.parse(s.substring(colon + 1));
        SharePath file = SharePath.parse(s.substring(0, colon));
        return new StreamPath(file, stream);
    }

    /** Whether the path names a named stream (not the file or its unnamed data stream). */
    boolean named() {
        return stream != null && !stream.isDefault();
    }
}
