package dev.sgw.nfs.v4;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.sgw.core.spi.VolumeDirectory.NfsExport;
import dev.sgw.core.volume.DirEntry;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.nfs.Nfs4Exception;
import dev.sgw.nfs.Nfs4Status;

/**
 * The parent of a directory, for LOOKUPP: {@link FileVolume} has no ".." lookup, so parents seen by LOOKUP,
 * READDIR, CREATE and RENAME are remembered (the most recent {@value #CAPACITY}), and a directory not
 * remembered is searched for from the export's root (breadth first, at most {@value #SEARCH_LIMIT}
 * directories). Thread-safe.
 */
final class Parents {
    static final int CAPACITY = 65_536, SEARCH_LIMIT = 100_000;

    private record Key(int exportId, long inode) {}

    private final Map<Key, NodeId> parents = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, NodeId> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Notes that {@code child} (if a directory) lives in {@code parent}. */
    void remember(NfsExport export, FileAttributes child, NodeId parent) {
        if (child.isDirectory()) {
            synchronized (parents) {
                parents.put(new Key(export.share().id(), child.inode()), parent);
            }
        }
    }

    /** The parent directory of directory {@code dir} (not the export's root). */
    NodeId parent(NfsExport export, NodeId dir) throws IOException, Nfs4Exception {
        Key key = new Key(export.share().id(), dir.inode());
        synchronized (parents) {
            NodeId known = parents.get(key);
            if (known != null) {
                return known;
            }
        }
        FileVolume volume = export.volume();
        Deque<NodeId> queue = new ArrayDeque<>();
        queue.add(volume.root());
        int visited = 0;
        while (!queue.isEmpty() && visited++ < SEARCH_LIMIT) {
            NodeId at = queue.poll();
            long cookie = 0, verifier = 0;
            while (true) {
                DirPage page = volume.readdir(at, cookie, verifier, 1024);
                for (DirEntry e : page.entries()) {
                    if (e.attributes().isDirectory()) {
                        remember(export, e.attributes(), at);
                        if (e.attributes().inode() == dir.inode()) {
                            return at;
                        }
                        queue.add(e.attributes().id());
                    }
                    cookie = e.cookie();
                }
                verifier = page.verifier();
                if (page.eof() || page.entries().isEmpty()) {
                    break;
                }
            }
        }
        throw new Nfs4Exception(Nfs4Status.NFS4ERR_NOENT, "parent of inode " + dir.inode() + " not found");
    }
}
