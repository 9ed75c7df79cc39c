package dev.sgw.core.volume;

/**
 * One entry of a directory listing.
 *
 * @param name       the entry's name
 * @param attributes the child's attributes
 * @param cookie     where the listing resumes after this entry (never 0; 0 means "from the start")
 */
public record DirEntry(String name, FileAttributes attributes, long cookie) {}
