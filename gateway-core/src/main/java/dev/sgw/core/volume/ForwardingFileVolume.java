package dev.sgw.core.volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.NavigableMap;
import java.util.Objects;

/**
 * A {@link FileVolume} that passes every call to another one: the base of decorators that add one concern
 * (lease breaks, permission checks) by overriding the calls it touches.
 */
public abstract class ForwardingFileVolume implements FileVolume {
    protected final FileVolume inner;

    protected ForwardingFileVolume(FileVolume inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    /** The volume this one decorates. */
    public FileVolume inner() {
        return inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public NodeId root() {
        return inner.root();
    }

    @Override
    public long writeVerifier() {
        return inner.writeVerifier();
    }

    @Override
    public FileAttributes getattr(NodeId node) throws IOException {
        return inner.getattr(node);
    }

    @Override
    public FileAttributes setattr(NodeId node, SetAttributes change) throws IOException {
        return inner.setattr(node, change);
    }

    @Override
    public FileAttributes parent(NodeId node) throws IOException {
        return inner.parent(node);
    }

    @Override
    public FileAttributes lookup(NodeId dir, String name) throws IOException {
        return inner.lookup(dir, name);
    }

    // the namespace changes: subclasses override the forms that report directory changes; the others lead
    // to those (final, so that no decorator's check is skipped by calling the other form)

    @Override
    public final FileAttributes create(NodeId dir, String name, CreateMode mode, SetAttributes initial)
            throws IOException {
        return create(dir, name, mode, initial, DirChanges.ignored());
    }

    @Override
    public FileAttributes create(NodeId dir, String name, CreateMode mode, SetAttributes initial, DirChanges changes)
            throws IOException {
        return inner.create(dir, name, mode, initial, changes);
    }

    @Override
    public final FileAttributes createExclusive(NodeId dir, String name, long verifier, SetAttributes initial)
            throws IOException {
        return createExclusive(dir, name, verifier, initial, DirChanges.ignored());
    }

    @Override
    public FileAttributes createExclusive(
            NodeId dir, String name, long verifier, SetAttributes initial, DirChanges changes) throws IOException {
        return inner.createExclusive(dir, name, verifier, initial, changes);
    }

    @Override
    public final FileAttributes mkdir(NodeId dir, String name, SetAttributes initial) throws IOException {
        return mkdir(dir, name, initial, DirChanges.ignored());
    }

    @Override
    public FileAttributes mkdir(NodeId dir, String name, SetAttributes initial, DirChanges changes) throws IOException {
        return inner.mkdir(dir, name, initial, changes);
    }

    @Override
    public final FileAttributes symlink(NodeId dir, String name, String target, SetAttributes initial)
            throws IOException {
        return symlink(dir, name, target, initial, DirChanges.ignored());
    }

    @Override
    public FileAttributes symlink(NodeId dir, String name, String target, SetAttributes initial, DirChanges changes)
            throws IOException {
        return inner.symlink(dir, name, target, initial, changes);
    }

    @Override
    public final FileAttributes link(NodeId node, NodeId dir, String name) throws IOException {
        return link(node, dir, name, DirChanges.ignored());
    }

    @Override
    public FileAttributes link(NodeId node, NodeId dir, String name, DirChanges changes) throws IOException {
        return inner.link(node, dir, name, changes);
    }

    @Override
    public String readlink(NodeId node) throws IOException {
        return inner.readlink(node);
    }

    @Override
    public final void remove(NodeId dir, String name) throws IOException {
        remove(dir, name, DirChanges.ignored());
    }

    @Override
    public void remove(NodeId dir, String name, DirChanges changes) throws IOException {
        inner.remove(dir, name, changes);
    }

    @Override
    public final void rmdir(NodeId dir, String name) throws IOException {
        rmdir(dir, name, DirChanges.ignored());
    }

    @Override
    public void rmdir(NodeId dir, String name, DirChanges changes) throws IOException {
        inner.rmdir(dir, name, changes);
    }

    @Override
    public final void rename(NodeId fromDir, String fromName, NodeId toDir, String toName) throws IOException {
        rename(fromDir, fromName, toDir, toName, RenameMode.REPLACE, DirChanges.ignored());
    }

    @Override
    public final void rename(NodeId fromDir, String fromName, NodeId toDir, String toName, RenameMode mode)
            throws IOException {
        rename(fromDir, fromName, toDir, toName, mode, DirChanges.ignored());
    }

    @Override
    public void rename(
            NodeId fromDir, String fromName, NodeId toDir, String toName, RenameMode mode, DirChanges changes)
            throws IOException {
        inner.rename(fromDir, fromName, toDir, toName, mode, changes);
    }

    @Override
    public FileAttributes deallocate(NodeId file, long offset, long length) throws IOException {
        return inner.deallocate(file, offset, length);
    }

    @Override
    public NavigableMap<String, byte[]> namedAttributes(NodeId node) throws IOException {
        return inner.namedAttributes(node);
    }

    @Override
    public FileAttributes setNamedAttribute(NodeId node, String name, byte[] value) throws IOException {
        return inner.setNamedAttribute(node, name, value);
    }

    @Override
    public DirPage readdir(NodeId dir, long cookie, long verifier, int maxEntries) throws IOException {
        return inner.readdir(dir, cookie, verifier, maxEntries);
    }

    @Override
    public ReadResult read(NodeId file, long offset, ByteBuffer dst) throws IOException {
        return inner.read(file, offset, dst);
    }

    @Override
    public WriteResult write(NodeId file, long offset, ByteBuffer src, Stability stability) throws IOException {
        return inner.write(file, offset, src, stability);
    }

    @Override
    public void commit(NodeId file) throws IOException {
        inner.commit(file);
    }

    @Override
    public FsStats statfs() throws IOException {
        return inner.statfs();
    }

    @Override
    public int access(NodeId node, Caller caller, int wanted) throws IOException {
        return inner.access(node, caller, wanted);
    }

    @Override
    public BucketSync bucketSync() {
        return inner.bucketSync();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
