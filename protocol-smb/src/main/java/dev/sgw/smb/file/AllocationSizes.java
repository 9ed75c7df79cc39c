package dev.sgw.smb.file;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sgw.core.volume.FileAttributes;

/**
 * AllocationSize a client asked for beyond a file's data (FileAllocationInformation, the CREATE context
 * {@code AlSi}), in whole clusters. The volume allocates as it writes, so the asked size is only shown: it is
 * kept while the file is open and dropped at its last close, as NTFS frees the clusters past the end of file
 * then (MS-FSA 2.1.5.4). Thread-safe.
 */
final class AllocationSizes {
    private record FileKey(Object volume, long inode) {}

    private final Map<FileKey, Long> asked = new ConcurrentHashMap<>();

    /** Shows {@code bytes} (rounded up to whole clusters) as the allocation of {@code open}'s file. */
    void set(SmbOpen open, long bytes) {
        long clusters = (Math.max(bytes, 0) + FileFields.CLUSTER - 1) / FileFields.CLUSTER;
        asked.put(new FileKey(open.tree.sharing(), open.node.inode()), clusters * FileFields.CLUSTER);
    }

    /** {@code a} with the asked allocation as the bytes it holds, when that is more. */
    FileAttributes shown(Object volume, FileAttributes a) {
        Long bytes = asked.get(new FileKey(volume, a.inode()));
        if (bytes == null || a.isDirectory() || bytes <= a.used()) {
            return a;
        }
        return a.withUsed(bytes);
    }

    /** The file's last open closed: its allocation is what its data holds again. */
    void lastClosed(SmbOpen open) {
        asked.remove(new FileKey(open.tree.sharing(), open.node.inode()));
    }
}
