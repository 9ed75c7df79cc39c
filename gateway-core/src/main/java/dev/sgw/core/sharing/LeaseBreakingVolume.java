package dev.sgw.core.sharing;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.sgw.core.volume.DirChanges;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.ForwardingFileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.RenameMode;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.WriteResult;

/**
 * A file volume whose changes first break the leases they conflict with, on behalf of one changer: a write
 * or size change breaks other holders' read and write caching, a remove or rename (of the file or of the one
 * it replaces) their handle caching; each waits for the holders' acknowledgments (or the break timeout) before
 * the change is made. Leases under the changer's own key ({@code ownKey}; null for protocols without leases,
 * e.g. NFS) are left alone.
 */
public final class LeaseBreakingVolume extends ForwardingFileVolume {
    private final FileSharing sharing;
    private final ByteBuffer ownKey;

    public LeaseBreakingVolume(FileVolume inner, FileSharing sharing, ByteBuffer ownKey) {
        super(inner);
        this.sharing = sharing;
        this.ownKey = ownKey == null ? null : ownKey.asReadOnlyBuffer();
    }

    private void breakFor(long inode, SharingChange change) throws VolumeException {
        try {
            sharing.breakLeases(inode, change, ownKey, sharing.breakTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeException(
                    VolumeError.UNAVAILABLE, "interrupted while leases of inode " + inode + " broke", e);
        }
    }

    /** Breaks the leases of the file at {@code name} in {@code dir}, if there is one. */
    private void breakNamed(NodeId dir, String name) throws IOException {
        FileAttributes file;
        try {
            file = inner.lookup(dir, name);
        } catch (VolumeException e) {
            return; // nothing there: the call itself answers
        }
        breakFor(file.inode(), SharingChange.RENAME_OR_REMOVE);
    }

    @Override
    public WriteResult write(NodeId file, long offset, ByteBuffer src, Stability stability) throws IOException {
        breakFor(file.inode(), SharingChange.WRITE);
        return inner.write(file, offset, src, stability);
    }

    @Override
    public FileAttributes setattr(NodeId node, SetAttributes change) throws IOException {
        if (change.size() != null) {
            breakFor(node.inode(), SharingChange.WRITE);
        }
        return inner.setattr(node, change);
    }

    @Override
    public void remove(NodeId dir, String name, DirChanges changes) throws IOException {
        breakNamed(dir, name);
        inner.remove(dir, name, changes);
    }

    @Override
    public void rmdir(NodeId dir, String name, DirChanges changes) throws IOException {
        breakNamed(dir, name);
        inner.rmdir(dir, name, changes);
    }

    @Override
    public void rename(
            NodeId fromDir, String fromName, NodeId toDir, String toName, RenameMode mode, DirChanges changes)
            throws IOException {
        breakNamed(fromDir, fromName);
        if (mode == RenameMode.REPLACE) {
            breakNamed(toDir, toName);
        }
        inner.rename(fromDir, fromName, toDir, toName, mode, changes);
    }

    @Override
    public FileAttributes deallocate(NodeId file, long offset, long length) throws IOException {
        breakFor(file.inode(), SharingChange.WRITE);
        return inner.deallocate(file, offset, length);
    }
}
