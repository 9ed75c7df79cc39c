package dev.sgw.smb.file;

import java.io.IOException;
import java.util.ArrayDeque;

import dev.sgw.core.volume.DirEntry;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.smb.server.SmbException;

/**
 * A directory listing in progress on one open (MS-SMB2 3.3.1.10 Open.EnumerationLocation and SearchPattern):
 * {@code .} and {@code ..} first (when the pattern matches them), then the directory's matching entries, read
 * from the volume in pages from where the last returned entry was, so that each query sees the directory as it
 * is then (entries removed meanwhile are not returned, changed ones come with their new attributes). A pattern
 * without wildcards names one entry, looked up directly. Guarded by its open.
 *
 * <pre>
 * step        | event                                     | next
 * ------------+-------------------------------------------+------------
 * DOT         | peek: "." if it matches                   | DOT_DOT
 * DOT_DOT     | peek: ".." if it matches                  | ENTRIES (ONE_NAME: the named entry)
 * ENTRIES     | peek: pages read after the consumed cookie| DONE at the directory's end
 * DONE        | peek: nothing                             | DONE
 * </pre>
 */
final class DirectoryScan {
    /** One entry to return, and the volume's cookie after it (0 for "." and ".."). */
    record Entry(String name, FileAttributes attributes, long cookie) {}

    private enum Step {
        DOT,
        DOT_DOT,
        ENTRIES,
        ONE_NAME,
        DONE
    }

    final String pattern;
    private final WildcardPattern match;
    private Step step;
    private final ArrayDeque<Entry> ahead = new ArrayDeque<>();
    private long consumedCookie;
    private long readCookie;
    private long verifier;
    private boolean endRead;
    /** Whether a query of this scan has answered already (the first one with nothing is NO_SUCH_FILE). */
    boolean answered;
    /** Entries returned so far (FileIndex). */
    long returned;

    private DirectoryScan(String pattern) {
        this.pattern = pattern;
        boolean wildcard = WildcardPattern.hasWildcard(pattern);
        this.match = wildcard ? new WildcardPattern(pattern) : null;
        this.step = wildcard || pattern.equals(".") || pattern.equals("..") ? Step.DOT : Step.ONE_NAME;
    }

    /** @throws SmbException OBJECT_NAME_INVALID for a pattern without wildcards that is no valid name */
    static DirectoryScan start(String pattern) throws SmbException {
        if (!WildcardPattern.hasWildcard(pattern) && !pattern.equals(".") && !pattern.equals("..")) {
            SharePath.parse(pattern);
        }
        return new DirectoryScan(pattern);
    }

    private boolean matches(String name) {
        return match != null ? match.matches(name) : pattern.equals(name);
    }

    /** Forgets entries read ahead, so that the next query reads them again as they are then. */
    void resume() {
        if (!ahead.isEmpty()) {
            ahead.clear();
            readCookie = consumedCookie;
            endRead = false;
        }
    }

    /** The next entry to return (not consumed), or null at the end; reads up to {@code batch} entries at once. */
    Entry peek(FileVolume volume, FileAttributes dir, int batch) throws IOException {
        while (true) {
            switch (step) {
                case DOT -> {
                    if (matches(".")) {
                        return new Entry(".", dir, 0);
                    }
                    step = Step.DOT_DOT;
                }
                case DOT_DOT -> {
                    if (matches("..")) {
                        return new Entry("..", volume.parent(dir.id()), 0);
                    }
                    step = match == null ? Step.DONE : Step.ENTRIES;
                }
                case ONE_NAME -> {
                    SharePath.Found one = SharePath.find(volume, dir, pattern);
                    if (one == null) {
                        step = Step.DONE;
                        return null;
                    }
                    return new Entry(one.name(), one.attributes(), 0);
                }
                case ENTRIES -> {
                    if (!ahead.isEmpty()) {
                        return ahead.peek();
                    }
                    if (endRead) {
                        step = Step.DONE;
                        return null;
                    }
                    readPage(volume, dir, batch);
                }
                case DONE -> {
                    return null;
                }
            }
        }
    }

    private void readPage(FileVolume volume, FileAttributes dir, int batch) throws IOException {
        DirPage page = volume.readdir(dir.id(), readCookie, verifier, Math.max(1, batch));
        verifier = page.verifier();
        for (DirEntry e : page.entries()) {
            readCookie = e.cookie();
            if (match.matches(e.name())) {
                ahead.add(new Entry(e.name(), e.attributes(), e.cookie()));
            }
        }
        endRead = page.eof() || page.entries().isEmpty();
    }

    /** Consumes the entry {@link #peek} returned. */
    void consume() {
        returned++;
        switch (step) {
            case DOT -> step = Step.DOT_DOT;
            case DOT_DOT -> step = match == null ? Step.DONE : Step.ENTRIES;
            case ONE_NAME -> step = Step.DONE;
            case ENTRIES -> consumedCookie = ahead.remove().cookie();
            case DONE -> throw new IllegalStateException("nothing to consume");
        }
    }
}
