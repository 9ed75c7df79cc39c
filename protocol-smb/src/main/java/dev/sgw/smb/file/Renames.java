package dev.sgw.smb.file;

import java.io.IOException;

import dev.sgw.core.sharing.FileOpen;
import dev.sgw.core.sharing.ShareAccess;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.RenameMode;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.wire.NtStatus;

/**
 * FileRenameInformation and FileLinkInformation (MS-FSA 2.1.5.14.11, 2.1.5.14.6): the target is a path from the
 * share's root (RootDirectory 0). Without ReplaceIfExists an existing target is OBJECT_NAME_COLLISION, checked
 * atomically by the volume ({@link RenameMode#NO_REPLACE}); replacing a directory or a file someone has open is
 * ACCESS_DENIED; an open of the source's directory that holds DELETE access or does not share delete is a
 * SHARING_VIOLATION. A rename keeps the paths of the file's opens (and of opens below a renamed directory) current.
 */
final class Renames {
    private final OpenTable opens;

    Renames(OpenTable opens) {
        this.opens = opens;
    }

    void rename(SmbOpen open, String target, boolean replace) throws SmbException, IOException {
        FileVolume volume = open.tree.volume();
        SharePath from = SharePath.parse(open.path());
        SharePath to = SharePath.parse(target);
        if (from.isRoot() || to.isRoot()) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "the share's root cannot be renamed");
        }
        FileAttributes fromDir = from.resolveParent(volume);
        checkParentOpens(open, fromDir);
        FileAttributes toDir = to.resolveParent(volume);
        FileAttributes existing = SharePath.lookupOrNull(volume, toDir, to.name());
        boolean sameFile = existing != null && existing.inode() == open.node.inode();
        if (existing != null && !sameFile) {
            checkReplace(open, existing, replace);
        }
        if (open.directory && hasOpenBelow(open, from.toString())) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "a file below " + from + " is open");
        }
        RenameMode mode = replace || sameFile ? RenameMode.REPLACE : RenameMode.NO_REPLACE;
        try {
            volume.rename(fromDir.id(), from.name(), toDir.id(), to.name(), mode);
        } catch (VolumeException e) {
            if (e.error() == VolumeError.EXIST) {
                throw new SmbException(NtStatus.OBJECT_NAME_COLLISION, target + " exists");
            }
            if (e.error() != VolumeError.NOTSUPP) {
                throw e;
            }
            volume.rename(fromDir.id(), from.name(), toDir.id(), to.name());
        }
        movePaths(open, from.toString(), to.toString());
    }

    /**
     * A rename takes its name out of the directory as a delete does: an open of the directory that holds DELETE
     * access or does not share delete is a SHARING_VIOLATION (as on Windows and Samba).
     */
    private static void checkParentOpens(SmbOpen open, FileAttributes dir) throws SmbException {
        for (FileOpen o : open.tree.sharing().opens(dir.inode())) {
            if (((o.access() | o.deny()) & ShareAccess.DELETE) != 0) {
                throw new SmbException(
                        NtStatus.SHARING_VIOLATION, "the directory is open for delete or without sharing it");
            }
        }
    }

    private void checkReplace(SmbOpen open, FileAttributes existing, boolean replace) throws SmbException {
        if (!replace) {
            throw new SmbException(NtStatus.OBJECT_NAME_COLLISION, "target exists");
        }
        if (existing.isDirectory()) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "a directory cannot be replaced");
        }
        if (!open.tree.sharing().opens(existing.inode()).isEmpty()) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "the target is open");
        }
    }

    private boolean hasOpenBelow(SmbOpen open, String dir) {
        String prefix = dir + "\\";
        return opens.onVolumeOf(open.tree).stream().anyMatch(o -> o.path().startsWith(prefix));
    }

    /** Updates the paths of the opens of the renamed file and below it. */
    private void movePaths(SmbOpen open, String from, String to) {
        String prefix = from + "\\";
        for (SmbOpen o : opens.onVolumeOf(open.tree)) {
            String p = o.path();
            if (o.node.inode() == open.node.inode() || p.equals(from)) {
                o.path(to);
            } else if (p.startsWith(prefix)) {
                o.path(to + "\\" + p.substring(prefix.length()));
            }
        }
        open.path(to);
    }

    void link(SmbOpen open, String target, boolean replace) throws SmbException, IOException {
        FileVolume volume = open.tree.volume();
        if (open.directory) {
            throw new SmbException(NtStatus.FILE_IS_A_DIRECTORY, "a directory cannot be linked");
        }
        SharePath to = SharePath.parse(target);
        FileAttributes toDir = to.resolveParent(volume);
        FileAttributes existing = SharePath.lookupOrNull(volume, toDir, to.name());
        if (existing != null) {
            if (existing.inode() == open.node.inode()) {
                return;
            }
            checkReplace(open, existing, replace);
            volume.remove(toDir.id(), to.name());
        }
        volume.link(open.node, toDir.id(), to.name());
    }
}
