package dev.sgw.smb.file;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.sgw.core.volume.DirEntry;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.smb.server.SmbException;

/**
 * A directory listing in progress on one open (MS-SMB2 3.3.1.10 Open.EnumerationLocation and SearchPattern):
 * the matching entries, {@code .} and {@code ..} first, taken when the scan starts (the first query, RESTART_SCANS
 * or REOPEN), and the position of the next one to return. Guarded by its open.
 */
final class DirectoryScan {
    /** One entry to return. */
    record Entry(String name, FileAttributes attributes) {}

    final String pattern;
    final List<Entry> entries;
    int next;
    /** Whether a query of this scan has answered already (the first one with nothing is NO_SUCH_FILE). */
    boolean answered;

    private DirectoryScan(String pattern, List<Entry> entries) {
        this.pattern = pattern;
        this.entries = entries;
    }

    static DirectoryScan start(FileVolume volume, FileAttributes dir, String pattern) throws SmbException, IOException {
        List<Entry> found = new ArrayList<>();
        if (!WildcardPattern.hasWildcard(pattern)) {
            if (pattern.equals(".")) {
                found.add(new Entry(".", dir));
            } else if (pattern.equals("..")) {
                found.add(new Entry("..", volume.parent(dir.id())));
            } else {
                SharePath.parse(pattern); // OBJECT_NAME_INVALID for a bad name
                FileAttributes one = SharePath.lookupOrNull(volume, dir, pattern);
                if (one != null) {
                    found.add(new Entry(pattern, one));
                }
            }
            return new DirectoryScan(pattern, found);
        }
        WildcardPattern match = new WildcardPattern(pattern);
        if (match.matches(".")) {
            found.add(new Entry(".", dir));
        }
        if (match.matches("..")) {
            found.add(new Entry("..", volume.parent(dir.id())));
        }
        long cookie = 0;
        long verifier = 0;
        while (true) {
            DirPage page = volume.readdir(dir.id(), cookie, verifier, 1024);
            for (DirEntry e : page.entries()) {
                if (match.matches(e.name())) {
                    found.add(new Entry(e.name(), e.attributes()));
                }
                cookie = e.cookie();
            }
            verifier = page.verifier();
            if (page.eof() || page.entries().isEmpty()) {
                break;
            }
        }
        return new DirectoryScan(pattern, found);
    }
}
