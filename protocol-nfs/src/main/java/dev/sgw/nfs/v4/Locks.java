package dev.sgw.nfs.v4;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Byte-range locks of all files (RFC 8881 section 9), POSIX style: a lock owner's ranges on a file never
 * overlap each other (a new lock replaces the owner's locks on the bytes it covers, splitting them); two
 * owners conflict when their ranges overlap and at least one is a write lock. Offsets are unsigned; a range
 * is {@code [start, end)} with {@code end} unsigned, {@code -1} meaning "to the end of any file".
 *
 * <pre>
 * range state of (owner, byte) | event         | next
 * UNLOCKED                     | LOCK read     | READ_LOCKED   (unless another owner holds WRITE)
 * UNLOCKED / READ_LOCKED       | LOCK write    | WRITE_LOCKED  (unless another owner holds any)
 * READ_ / WRITE_LOCKED         | LOCKU, CLOSE, | UNLOCKED
 *                              | lease expiry  |
 * </pre>
 *
 * Not thread-safe: {@link StateTable} guards it.
 */
final class Locks {
    enum Mode {
        READ_LOCKED,
        WRITE_LOCKED
    }

    /** One locked range of one owner. */
    record Range(StateTable.FileKey file, StateTable.OwnerKey owner, long start, long end, Mode mode) {
        boolean overlaps(long s, long e) {
            return Long.compareUnsigned(start, e) < 0 && Long.compareUnsigned(s, end) < 0;
        }
    }

    private final Map<StateTable.FileKey, List<Range>> byFile = new HashMap<>();

    /** The first range of another owner that conflicts with locking {@code [start, end)} in {@code mode}. */
    Optional<Range> conflict(StateTable.FileKey file, StateTable.OwnerKey owner, long start, long end, Mode mode) {
        for (Range r : byFile.getOrDefault(file, List.of())) {
            if (!r.owner().equals(owner)
                    && r.overlaps(start, end)
                    && (mode == Mode.WRITE_LOCKED || r.mode() == Mode.WRITE_LOCKED)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Locks {@code [start, end)} for {@code owner}, replacing its own locks there. The caller checked conflicts. */
    void lock(StateTable.FileKey file, StateTable.OwnerKey owner, long start, long end, Mode mode) {
        unlock(file, owner, start, end);
        byFile.computeIfAbsent(file, f -> new ArrayList<>()).add(new Range(file, owner, start, end, mode));
    }

    /** Unlocks {@code [start, end)} of {@code owner}, splitting ranges that stick out. */
    void unlock(StateTable.FileKey file, StateTable.OwnerKey owner, long start, long end) {
        List<Range> ranges = byFile.get(file);
        if (ranges == null) {
            return;
        }
        List<Range> kept = new ArrayList<>();
        for (Range r : ranges) {
            if (!r.owner().equals(owner) || !r.overlaps(start, end)) {
                kept.add(r);
                continue;
            }
            if (Long.compareUnsigned(r.start(), start) < 0) {
                kept.add(new Range(file, owner, r.start(), start, r.mode()));
            }
            if (Long.compareUnsigned(end, r.end()) < 0) {
                kept.add(new Range(file, owner, end, r.end(), r.mode()));
            }
        }
        if (kept.isEmpty()) {
            byFile.remove(file);
        } else {
            byFile.put(file, kept);
        }
    }

    /** Drops every lock of {@code owner} on {@code file}. */
    void unlockAll(StateTable.FileKey file, StateTable.OwnerKey owner) {
        unlock(file, owner, 0, -1L);
    }

    boolean holds(StateTable.FileKey file, StateTable.OwnerKey owner) {
        return byFile.getOrDefault(file, List.of()).stream()
                .anyMatch(r -> r.owner().equals(owner));
    }

    int count() {
        return byFile.values().stream().mapToInt(List::size).sum();
    }
}
