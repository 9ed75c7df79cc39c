package dev.sgw.core.sync;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.sgw.core.file.RemoteChanges;
import dev.sgw.core.file.RemoteChanges.LocalEntry;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.volume.FileType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sorted merge of one flat listing of a share's bucket (every key, in key order) with the share's
 * local namespace, applied to a {@link RemoteChanges} as it goes.
 *
 * <p>A flat listing visits the tree depth first: the keys under {@code a/} are contiguous, and they come
 * after {@code a.txt} and before {@code a0} because {@code '.' < '/' < '0'}. The merge keeps a stack of
 * frames, one per directory on the path of the current key, each with the directory's local entries sorted
 * in the same <em>key order</em>: a file's key name is its name, a directory's is its name followed by
 * {@code "/"} (so a local directory {@code a} sorts after a local file {@code a.txt}, as in the bucket).
 * Each frame has a cursor; when the listing reaches key name {@code k} in a directory, every local entry
 * before {@code k} that no key matched is gone from the bucket. Nothing is judged gone before a listed key
 * (or the end of the listing) has passed it, so a failed or unfinished listing removes nothing beyond the
 * last key it returned.
 *
 * <table>
 *   <caption>What a key does</caption>
 *   <tr><th>bucket</th><th>local</th><th>call</th></tr>
 *   <tr><td>object {@code d/f}</td><td>absent</td><td>{@code objectSeen} (added)</td></tr>
 *   <tr><td>object {@code d/f}</td><td>file, other ETag or size</td><td>{@code objectSeen} (changed)</td></tr>
 *   <tr><td>object {@code d/f}</td><td>file, same ETag and size</td><td>none</td></tr>
 *   <tr><td>{@code d/} (marker) or any key under {@code d/}</td><td>absent</td><td>{@code directorySeen} (added)</td></tr>
 *   <tr><td>nothing</td><td>file</td><td>{@code objectGone} unless pending or never uploaded (kept)</td></tr>
 *   <tr><td>nothing</td><td>directory</td><td>its entries as gone, depth first, then the directory
 *       itself (unless pending)</td></tr>
 *   <tr><td>object {@code d/f}</td><td>directory {@code f}</td><td>none: skipped (a name clash)</td></tr>
 *   <tr><td>keys under {@code d/f/}</td><td>file {@code f} still there</td><td>none: the subtree is skipped</td></tr>
 *   <tr><td>invalid name (empty segment, {@code .}, {@code ..}, NUL, over 255 bytes)</td><td>-</td><td>none: skipped</td></tr>
 * </table>
 *
 * <p>Resuming: given the last key an earlier run merged ({@code resumeAfter}), the merge rebuilds the
 * frames of that key's directories and treats every local entry whose key is not after it as merged, so
 * that it neither removes nor revisits anything the earlier run settled. Not thread-safe: one scan thread.
 */
// one thread runs a merge and counts in the tally; its volatile fields only publish the counts to progress readers
@SuppressWarnings("NonAtomicVolatileUpdate")
final class NamespaceMerge {

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceMerge.class);

    private final String share;
    private final RemoteChanges target;
    private final ScanTally tally;
    private final String floor;
    private final List<Frame> stack = new ArrayList<>();
    private String previousKey;

    /**
     * @param resumeAfter the last key an earlier run of this scan merged, or {@code null} for a new scan
     */
    NamespaceMerge(String share, RemoteChanges target, ScanTally tally, String resumeAfter) throws IOException {
        this.share = share;
        this.target = Objects.requireNonNull(target, "target");
        this.tally = tally;
        this.floor = resumeAfter;
        stack.add(Frame.open("", "", target.list("")));
        if (resumeAfter != null) {
            previousKey = resumeAfter;
            String[] parts = segments(resumeAfter);
            int directories = resumeAfter.endsWith("/") ? parts.length : parts.length - 1;
            for (int i = 0; i < directories && KeyNames.isValidName(parts[i]); i++) {
                enterDirectory(parts[i]);
            }
        }
    }

    /** The last key merged, or {@code null} before the first. */
    String lastKey() {
        return previousKey;
    }

    /** Merges the next key of the listing; keys must come in strictly increasing UTF-8 order. */
    void accept(ObjectInfo object) throws IOException {
        String key = object.key();
        if (previousKey != null && KeyNames.compareUtf8(key, previousKey) <= 0) {
            throw new IOException("the listing is not in key order: '" + key + "' after '" + previousKey + "'");
        }
        previousKey = key;
        tally.scanned++;
        boolean marker = key.endsWith("/");
        String[] parts = segments(key);
        for (String part : parts) {
            if (!KeyNames.isValidName(part)) {
                LOG.debug("{}: key '{}' is not a valid path; skipped", share, key);
                tally.skipped++;
                return;
            }
        }
        int directories = marker ? parts.length : parts.length - 1;
        int common = 0;
        while (common < directories
                && common + 1 < stack.size()
                && stack.get(common + 1).name.equals(parts[common])) {
            common++;
        }
        while (stack.size() - 1 > common) {
            close(stack.remove(stack.size() - 1));
        }
        for (int i = common; i < directories; i++) {
            enterDirectory(parts[i]);
        }
        if (!marker) {
            fileSeen(parts[parts.length - 1], object);
        }
    }

    /** The listing ended: every local entry not yet matched is gone. */
    void finish() throws IOException {
        while (!stack.isEmpty()) {
            close(stack.remove(stack.size() - 1));
        }
    }

    // ---- private -------------------------------------------------------------------------------

    private void enterDirectory(String name) throws IOException {
        Frame parent = stack.get(stack.size() - 1);
        String path = child(parent.path, name);
        if (parent.blocked) {
            stack.add(Frame.blocked(path, name));
            return;
        }
        String keyName = name + "/";
        advance(parent, keyName);
        if (parent.cursor < parent.keys.length && parent.keys[parent.cursor].equals(keyName)) {
            parent.cursor++;
            stack.add(Frame.open(path, name, target.list(path)));
            return;
        }
        int other = parent.indexOf(name);
        if (other >= 0 && !parent.gone.get(other)) {
            LOG.warn("{}: the bucket has a directory '{}' where the share has a file; skipped", share, path);
            tally.skipped++;
            stack.add(Frame.blocked(path, name));
            return;
        }
        target.directorySeen(path);
        tally.added++;
        stack.add(Frame.open(path, name, List.of()));
    }

    private void fileSeen(String name, ObjectInfo object) throws IOException {
        Frame frame = stack.get(stack.size() - 1);
        if (frame.blocked) {
            tally.skipped++;
            return;
        }
        advance(frame, name);
        String path = child(frame.path, name);
        if (frame.cursor < frame.keys.length && frame.keys[frame.cursor].equals(name)) {
            LocalEntry local = frame.entries[frame.cursor++];
            if (!Objects.equals(local.etag(), object.etag()) || local.size() != object.size()) {
                target.objectSeen(path, object.etag(), object.size(), nanos(object.lastModified()));
                tally.changed++;
            }
            return;
        }
        if (frame.indexOf(name) >= 0) {
            LOG.warn("{}: the bucket has an object '{}' where the share has a directory; skipped", share, path);
            tally.skipped++;
            return;
        }
        target.objectSeen(path, object.etag(), object.size(), nanos(object.lastModified()));
        tally.added++;
    }

    /** Judges gone every local entry of {@code frame} before {@code keyName}. */
    private void advance(Frame frame, String keyName) throws IOException {
        while (frame.cursor < frame.keys.length && KeyNames.compareUtf8(frame.keys[frame.cursor], keyName) < 0) {
            judgeGone(frame, frame.cursor++);
        }
    }

    private void close(Frame frame) throws IOException {
        while (frame.cursor < frame.keys.length) {
            judgeGone(frame, frame.cursor++);
        }
        if (!frame.blocked) {
            tally.directoriesDone++;
        }
    }

    private void judgeGone(Frame frame, int index) throws IOException {
        if (floor != null && KeyNames.compareUtf8(frame.keyPrefix() + frame.keys[index], floor) <= 0) {
            return; // merged by the run this scan resumes
        }
        LocalEntry local = frame.entries[index];
        if (gone(child(frame.path, local.name()), local)) {
            frame.gone.set(index);
        }
    }

    /** Passes a local entry absent from the bucket to the target, a directory's entries first; whether it did. */
    private boolean gone(String path, LocalEntry local) throws IOException {
        if (local.type() == FileType.DIRECTORY) {
            for (LocalEntry entry : target.list(path)) {
                gone(child(path, entry.name()), entry);
            }
            if (local.pendingUpload()) {
                tally.keptLocal++;
                return false;
            }
        } else if (local.pendingUpload() || local.etag() == null) {
            tally.keptLocal++;
            return false;
        }
        target.objectGone(path, local);
        tally.removed++;
        return true;
    }

    private static String[] segments(String key) {
        String body = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        return body.split("/", -1);
    }

    private static String child(String directory, String name) {
        return directory.isEmpty() ? name : directory + "/" + name;
    }

    private static long nanos(Instant time) {
        return time == null ? 0 : time.getEpochSecond() * 1_000_000_000L + time.getNano();
    }

    /** One directory on the path of the current key, with its local entries in key order. */
    private static final class Frame {
        final String path;
        final String name;
        final boolean blocked;
        final LocalEntry[] entries;
        final String[] keys;
        final BitSet gone = new BitSet();
        Set<String> names;
        int cursor;

        private Frame(String path, String name, boolean blocked, LocalEntry[] entries) {
            this.path = path;
            this.name = name;
            this.blocked = blocked;
            this.entries = entries;
            Arrays.sort(entries, (a, b) -> KeyNames.compareUtf8(keyName(a), keyName(b)));
            this.keys = new String[entries.length];
            for (int i = 0; i < entries.length; i++) {
                keys[i] = keyName(entries[i]);
            }
        }

        static Frame open(String path, String name, List<LocalEntry> local) {
            return new Frame(path, name, false, local.toArray(new LocalEntry[0]));
        }

        /** A directory of the bucket that cannot exist locally: everything under it is skipped. */
        static Frame blocked(String path, String name) {
            return new Frame(path, name, true, new LocalEntry[0]);
        }

        String keyPrefix() {
            return path.isEmpty() ? "" : path + "/";
        }

        /** The index of the local entry called {@code name} (of any type), or -1. */
        int indexOf(String entryName) {
            if (entries.length == 0) {
                return -1;
            }
            if (names == null) {
                names = new HashSet<>();
                for (LocalEntry entry : entries) {
                    names.add(entry.name());
                }
            }
            if (!names.contains(entryName)) {
                return -1;
            }
            for (int i = 0; i < entries.length; i++) {
                if (entries[i].name().equals(entryName)) {
                    return i;
                }
            }
            return -1;
        }

        private static String keyName(LocalEntry entry) {
            return entry.type() == FileType.DIRECTORY ? entry.name() + "/" : entry.name();
        }
    }
}
