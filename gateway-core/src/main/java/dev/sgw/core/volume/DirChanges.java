package dev.sgw.core.volume;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a namespace change (create, mkdir, symlink, link, remove, rmdir, rename) reports the directories whose
 * entries it changed, as a {@link DirChange} of each: an out-parameter a protocol passes when it answers them
 * (NFSv3 {@code wcc_data}, NFSv4 {@code change_info4}). The volume reports while it holds the directory's lock,
 * once the change is made; a call that fails reports nothing. Decorators pass it through unchanged.
 *
 * <p>One per call, not thread-safe. {@link #ignored()} is the shared instance for callers that want nothing:
 * it keeps no report, and a volume may skip reading the attributes when it is not {@link #wanted()}.
 */
public final class DirChanges {
    private static final DirChanges IGNORED = new DirChanges(false);

    private final boolean wanted;
    private final Map<Long, DirChange> byInode = new LinkedHashMap<>(4);

    /** An empty report to pass to one call. */
    public DirChanges() {
        this(true);
    }

    private DirChanges(boolean wanted) {
        this.wanted = wanted;
    }

    /** The report nobody reads (what the calls without a report pass). */
    public static DirChanges ignored() {
        return IGNORED;
    }

    /** Whether anybody reads the reports (a volume need not read attributes for {@link #ignored()}). */
    public boolean wanted() {
        return wanted;
    }

    /**
     * The volume reports that the directory of {@code before} went from {@code before} to {@code after}; a
     * second report of one directory in one call keeps the first {@code before}.
     */
    public void report(FileAttributes before, FileAttributes after) {
        if (!wanted) {
            return;
        }
        DirChange now = new DirChange(before, after);
        byInode.merge(before.inode(), now, (first, second) -> new DirChange(first.before(), second.after()));
    }

    /** What the call reported of directory {@code dir}: empty when it failed (or did not touch {@code dir}). */
    public Optional<DirChange> of(NodeId dir) {
        return Optional.ofNullable(byInode.get(dir.inode()));
    }

    @Override
    public String toString() {
        return wanted ? "DirChanges" + byInode.values() : "DirChanges(ignored)";
    }
}
