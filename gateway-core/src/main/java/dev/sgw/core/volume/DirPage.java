package dev.sgw.core.volume;

import java.util.List;

/**
 * A page of a directory listing ({@code .} and {@code ..} are not included; protocols add them).
 *
 * @param entries  entries in a stable order
 * @param verifier the directory's cookie verifier, to be sent back with the next page's cookie
 * @param eof      whether this page ends the listing
 */
public record DirPage(List<DirEntry> entries, long verifier, boolean eof) {
    public DirPage {
        entries = List.copyOf(entries);
    }
}
