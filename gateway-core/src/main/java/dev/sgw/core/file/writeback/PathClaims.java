package dev.sgw.core.file.writeback;

import java.util.HashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The inodes and share paths a set of journal entries touch, to tell whether another entry overlaps them.
 * A path is claimed either alone ("a/b": that object, or that directory's marker) or as a subtree ("a/b"
 * and every path under "a/b/", for a directory rename). Two claims overlap when they name the same inode,
 * the same path, or one is a subtree holding the other. Not thread-safe; the scheduler rebuilds it on
 * every pass.
 */
final class PathClaims {

    /** One claimed path; {@code subtree}: the path and everything under it. */
    record PathClaim(String path, boolean subtree) {}

    private final Set<Long> inodes = new HashSet<>();
    private final TreeSet<String> paths = new TreeSet<>();
    private final TreeSet<String> subtrees = new TreeSet<>();

    void add(long inode, List<PathClaim> claims) {
        inodes.add(inode);
        for (PathClaim c : claims) {
            (c.subtree() ? subtrees : paths).add(c.path());
        }
    }

    boolean overlaps(long inode, List<PathClaim> claims) {
        if (inodes.contains(inode)) {
            return true;
        }
        for (PathClaim c : claims) {
            if (overlaps(c)) {
                return true;
            }
        }
        return false;
    }

    private boolean overlaps(PathClaim c) {
        String p = c.path();
        if (paths.contains(p) || subtrees.contains(p)) {
            return true;
        }
        for (int slash = p.lastIndexOf('/'); slash > 0; slash = p.lastIndexOf('/', slash - 1)) {
            if (subtrees.contains(p.substring(0, slash))) {
                return true;
            }
        }
        if (c.subtree()) {
            String under = p.isEmpty() ? "" : p + "/";
            return startsWithAny(paths, under) || startsWithAny(subtrees, under);
        }
        return false;
    }

    private static boolean startsWithAny(NavigableSet<String> set, String prefix) {
        String next = set.ceiling(prefix);
        return next != null && next.startsWith(prefix);
    }
}
