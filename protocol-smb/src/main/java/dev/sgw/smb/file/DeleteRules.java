package dev.sgw.smb.file;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.volume.DirEntry;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.wire.NtStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a file may be marked for deletion (delete-on-close, FileDispositionInformation; MS-FSA 2.1.5.14.3) and
 * the deletion at its last close.
 */
final class DeleteRules {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteRules.class);

    private DeleteRules() {}

    /**
     * @throws SmbException CANNOT_DELETE for a read-only file, ACCESS_DENIED for the share's root
     */
    static void check(FileVolume volume, FileAttributes file, SharePath path) throws SmbException {
        if (path.isRoot()) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "the share's root cannot be deleted");
        }
        if (file.dosAttributes().readOnly()) {
            throw new SmbException(NtStatus.CANNOT_DELETE, "read-only " + path);
        }
    }

    /** How long a directory delete waits for entries that are only waiting for their last close. */
    private static final Duration PENDING_DELETES_WAIT = Duration.ofSeconds(2);

    /**
     * DIRECTORY_NOT_EMPTY when {@code file} is a directory with entries. When all of them are deleted at their
     * last close, which may be on its way (the Linux client closes after returning from close(2), and a client
     * emptying a tree sends its rmdir right after its unlinks), it first waits up to
     * {@link #PENDING_DELETES_WAIT} for those closes ({@link FileSharing#awaitClosed}). The refusal is logged
     * with the first entries and how many opens each has (a delete still pending behind another open shows
     * there).
     */
    static void checkEmpty(FileVolume volume, FileSharing sharing, FileAttributes file, SharePath path)
            throws SmbException, IOException {
        if (!file.isDirectory()) {
            return;
        }
        List<DirEntry> entries = volume.readdir(file.id(), 0, 0, 3).entries();
        long deadline = System.nanoTime() + PENDING_DELETES_WAIT.toNanos();
        while (!entries.isEmpty() && allPending(sharing, entries)) {
            List<Long> inodes =
                    entries.stream().map(e -> e.attributes().inode()).toList();
            try {
                if (!sharing.awaitClosed(inodes, Duration.ofNanos(deadline - System.nanoTime()))) {
                    break;
                }
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw new SmbException(NtStatus.CANCELLED, "interrupted");
            }
            entries = volume.readdir(file.id(), 0, 0, 3).entries();
        }
        if (entries.isEmpty()) {
            return;
        }
        String shown = entries.stream()
                .map(e -> e.name() + " (inode " + e.attributes().inode() + ", "
                        + sharing.opens(e.attributes().inode()).size() + " opens)")
                .collect(Collectors.joining(", "));
        LOG.info("delete of directory {} refused: not empty, holds {}", path, shown);
        throw new SmbException(NtStatus.DIRECTORY_NOT_EMPTY, "directory " + path + " holds " + shown);
    }

    /** Whether every entry is deleted at its last close (or its last close is removing it now). */
    private static boolean allPending(FileSharing sharing, List<DirEntry> entries) {
        return entries.stream()
                .allMatch(e -> sharing.deletePending(e.attributes().inode()));
    }

    /** Removes the file of {@code open} by its path, if the path still names that file. */
    static void deleteAtClose(SmbOpen open) {
        FileVolume volume = open.tree.volume();
        try {
            SharePath path = SharePath.parse(open.path());
            FileAttributes dir = path.resolveParent(volume);
            FileAttributes now = SharePath.lookupOrNull(volume, dir, path.name());
            if (now == null || now.inode() != open.node.inode()) {
                LOG.info("{}: its path names another file now; not deleted", open);
                return;
            }
            if (now.isDirectory()) {
                volume.rmdir(dir.id(), path.name());
            } else {
                volume.remove(dir.id(), path.name());
            }
        } catch (VolumeException e) {
            if (e.error() != VolumeError.NOENT) {
                LOG.info("{}: delete at close failed: {}", open, e.toString());
            }
        } catch (IOException | SmbException e) {
            LOG.info("{}: delete at close failed: {}", open, e.toString());
        }
    }
}
