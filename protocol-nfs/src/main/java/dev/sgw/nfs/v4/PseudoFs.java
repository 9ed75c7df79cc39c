package dev.sgw.nfs.v4;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.spi.VolumeDirectory.NfsExport;
import dev.sgw.nfs.Nfs4Exception;
import dev.sgw.nfs.Nfs4Status;

/**
 * The NFSv4 pseudo file system (RFC 8881 section 7.3): the read-only directories leading from {@code /} to each
 * export path, computed from the current exports on every use, so that an export added or removed shows at
 * once. A directory is named by its path; its id (in its filehandle and as its fileid) is a hash of the path,
 * so handles stay valid across restarts as long as some export lies below it.
 */
final class PseudoFs {
    /** A pseudo directory: its absolute path ({@code /} for the root) and its id. */
    record Dir(String path, long id) {
        boolean isRoot() {
            return path.equals("/");
        }
    }

    /** What a name in a pseudo directory leads to: another pseudo directory or an export's root. */
    sealed interface Child {
        String name();
    }

    record DirChild(String name, Dir dir) implements Child {}

    record ExportChild(String name, NfsExport export, Dir mountedOn) implements Child {}

    private final VolumeDirectory exports;

    PseudoFs(VolumeDirectory exports) {
        this.exports = exports;
    }

    Dir root() {
        return dir("/");
    }

    /** The directory with {@code id}, or STALE when no export lies below it any more. */
    Dir dir(long id) throws Nfs4Exception {
        if (id == idOf("/")) {
            return root();
        }
        for (NfsExport e : exports.nfsExports()) {
            String path = e.share().path();
            for (String p = path; ; p = parent(p)) {
                if (idOf(p) == id && !p.equals(path)) {
                    return dir(p);
                }
                if (p.equals("/")) {
                    break;
                }
            }
        }
        throw new Nfs4Exception(Nfs4Status.NFS4ERR_STALE, "no pseudo directory with id " + id);
    }

    /** The children of {@code dir} in name order. */
    List<Child> children(Dir dir) {
        TreeSet<String> names = new TreeSet<>();
        String prefix = dir.isRoot() ? "/" : dir.path() + "/";
        for (NfsExport e : exports.nfsExports()) {
            String path = e.share().path();
            if (path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                int slash = rest.indexOf('/');
                names.add(slash < 0 ? rest : rest.substring(0, slash));
            }
        }
        return names.stream().map(n -> lookup(dir, n).orElseThrow()).toList();
    }

    /** The child {@code name} of {@code dir}: an export (checked first) or a directory leading to one. */
    Optional<Child> lookup(Dir dir, String name) {
        String path = (dir.isRoot() ? "/" : dir.path() + "/") + name;
        Optional<NfsExport> export = exports.nfs(path);
        if (export.isPresent()) {
            return Optional.of(new ExportChild(name, export.get(), dir(path)));
        }
        boolean leads =
                exports.nfsExports().stream().anyMatch(e -> e.share().path().startsWith(path + "/"));
        return leads ? Optional.of(new DirChild(name, dir(path))) : Optional.empty();
    }

    /** The pseudo directory an export's root is mounted on (its path as a pseudo directory). */
    Dir mountedOn(NfsExport export) {
        return dir(export.share().path());
    }

    /** The parent of a pseudo directory or of an export root; the root is its own parent. */
    Dir parentOf(String path) {
        return dir(parent(path));
    }

    private static Dir dir(String path) {
        return new Dir(path, idOf(path));
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** A positive 63-bit hash of the path, never 0 or 1 (1 is a volume root's fileid). */
    static long idOf(String path) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            long id = 0;
            for (int i = 0; i < 8; i++) {
                id = (id << 8) | (d[i] & 0xFF);
            }
            id &= Long.MAX_VALUE;
            return id < 2 ? id + 2 : id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
