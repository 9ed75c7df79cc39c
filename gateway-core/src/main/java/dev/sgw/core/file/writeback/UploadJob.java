package dev.sgw.core.file.writeback;

import java.util.List;

import dev.sgw.core.file.WritebackEntry;
import dev.sgw.core.file.writeback.PathClaims.PathClaim;
import dev.sgw.core.volume.FileType;

/**
 * One journal entry held by a {@link ShareUploader}, from when it is read until it is done. Fields are
 * guarded by the uploader's lock, except while {@link State#RUNNING}, when the one worker applying it owns
 * {@code claims}, {@code dueNanos}, {@code waitingQuiet} and {@code bytes}.
 */
final class UploadJob {

    /** See {@link ShareUploader}'s state table. */
    enum State {
        WAITING,
        RUNNING
    }

    final WritebackEntry entry;
    State state = State.WAITING;
    /** The inode's paths this entry touches (a CONTENT entry's current paths, refreshed when they move). */
    List<PathClaim> claims;
    /** Not started before this {@code System.nanoTime()}: the quiet delay, a backoff, a short recheck. */
    long dueNanos;
    /** Whether {@code dueNanos} is the file's quiet delay ({@code uploadNow} cancels it). */
    boolean waitingQuiet;
    /** When the dispatcher first read the entry (epoch nanoseconds): a change happened by then. */
    long seenAtNanos;
    /** Failed attempts in a row. */
    int failures;
    /** The earliest journal sequence whose upload this job finishes (lower than its own when it carries one). */
    long origin;
    /** Whether the entry was in the journal when the uploader started (an upload of it may have been lost). */
    boolean resumed;
    /** The file's size as last seen (CONTENT only), for the backlog. */
    long bytes;

    UploadJob(WritebackEntry entry, List<PathClaim> claims) {
        this.entry = entry;
        this.claims = claims;
        this.origin = entry.sequence();
    }

    long sequence() {
        return entry.sequence();
    }

    boolean isContent() {
        return entry.kind() == WritebackEntry.Kind.CONTENT;
    }

    /** The paths a RENAME or REMOVE entry touches (a directory rename: both whole subtrees). */
    static List<PathClaim> claimsOf(WritebackEntry e) {
        boolean dir = e.type() == FileType.DIRECTORY;
        return switch (e.kind()) {
            case CONTENT -> List.of();
            case RENAME -> List.of(new PathClaim(e.path(), dir), new PathClaim(e.newPath(), dir));
            case REMOVE -> List.of(new PathClaim(e.path(), false));
        };
    }

    /** The paths a CONTENT entry of a file at {@code paths} touches. */
    static List<PathClaim> contentClaims(List<String> paths) {
        return paths.stream().map(p -> new PathClaim(p, false)).toList();
    }

    @Override
    public String toString() {
        return entry.kind() + "#" + entry.sequence() + "(inode " + entry.inode() + ", " + state + ")";
    }
}
