package dev.sgw.smb.file;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.sgw.core.sharing.FileSharing;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbTree;
import dev.sgw.smb.wire.NtStatus;

/**
 * The server's opens by volatile file id (MS-SMB2 3.3.1.1 GlobalOpenTable). Volatile ids are unique for the
 * server's run; a new open's persistent id is the same number, and a durable open keeps its persistent id
 * through reconnects, each with a new volatile id. An open is found only through the tree that made it, and
 * only while it is open: a disconnected durable open stays in the table (its lease, path and delete-pending
 * state still count) but no request reaches it. Indexed by inode and by volume, so that finding a file's opens
 * costs the same with 65,520 opens (smbtorture smb2.maxfid) as with one. Thread-safe.
 */
final class OpenTable {
    private final AtomicLong nextId = new AtomicLong(1);
    private final ConcurrentHashMap<Long, SmbOpen> opens = new ConcurrentHashMap<>();
    /** The opens by inode (of any volume: few share an inode number) and by volume, so lookups need no scan. */
    private final ConcurrentHashMap<Long, Set<SmbOpen>> byInode = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<Object, Set<SmbOpen>> byVolume = new ConcurrentHashMap<>();
    /** Opens a replayed CREATE is answered from, until a request uses them ({@link CreateReplay}). */
    private final ConcurrentHashMap<CreateReplay.Key, CreateReplay.Replayable> replayable = new ConcurrentHashMap<>();

    /** A fresh file id. */
    FileId newId() {
        long id = nextId.getAndIncrement();
        return new FileId(id, id);
    }

    /** A fresh volatile id for the open with persistent id {@code persistent} (a durable reconnect). */
    FileId newVolatileId(long persistent) {
        return new FileId(persistent, nextId.getAndIncrement());
    }

    void add(SmbOpen open) {
        opens.put(open.fileId.volatileId(), open);
        index(byInode, open.node.inode(), open, true);
        index(byVolume, volumeOf(open.tree), open, true);
    }

    void remove(SmbOpen open) {
        if (opens.remove(open.fileId.volatileId(), open)) {
            index(byInode, open.node.inode(), open, false);
            index(byVolume, volumeOf(open.tree), open, false);
        }
        notReplayable(open);
    }

    /** Adds {@code open} to, or takes it from, the set of {@code key} in {@code index} (dropping empty sets). */
    private static <K> void index(ConcurrentHashMap<K, Set<SmbOpen>> index, K key, SmbOpen open, boolean add) {
        index.compute(key, (k, set) -> {
            Set<SmbOpen> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            if (add) {
                s.add(open);
            } else {
                s.remove(open);
            }
            return s.isEmpty() ? null : s;
        });
    }

    /** What tells volumes apart: the sharing state of the tree's volume (one per volume). */
    private static Object volumeOf(SmbTree tree) {
        FileSharing sharing = tree.sharing();
        return sharing == null ? OpenTable.class : sharing;
    }

    private static List<SmbOpen> indexed(ConcurrentHashMap<?, Set<SmbOpen>> index, Object key) {
        Set<SmbOpen> set = index.get(key);
        return set == null ? List.of() : List.copyOf(set);
    }

    /** {@code open} was made by a DH2Q CREATE with {@code key}: a replay of it is answered from the open. */
    void replayable(CreateReplay.Key key, SmbOpen open, int action) {
        open.replayKey = key;
        replayable.put(key, new CreateReplay.Replayable(open, action));
    }

    /** The open a replay of the CREATE with {@code key} is answered from, or null. */
    CreateReplay.Replayable replayable(CreateReplay.Key key) {
        CreateReplay.Replayable r = replayable.get(key);
        return r == null || !r.open().isOpen() ? null : r;
    }

    /** A request other than a replay used {@code open} (Open.IsReplayEligible: FALSE). */
    private void notReplayable(SmbOpen open) {
        CreateReplay.Key key = open.replayKey;
        if (key != null) {
            replayable.computeIfPresent(key, (k, r) -> r.open() == open ? null : r);
        }
    }

    /**
     * The open {@code sent} names in the request's tree (resolving a related compound's id), recorded as the
     * one the compound's next related request means.
     *
     * @throws SmbException FILE_CLOSED when there is none
     */
    SmbOpen get(SmbRequest request, FileId sent) throws SmbException {
        FileId id = request.resolve(sent);
        SmbOpen open = opens.get(id.volatileId());
        if (open == null
                || open.fileId.persistent() != id.persistent()
                || !open.treeKey.equals(TreeKey.of(request.tree()))
                || !open.isOpen()) {
            throw new SmbException(NtStatus.FILE_CLOSED, "no open " + id.volatileId() + " in this tree");
        }
        request.use(id);
        notReplayable(open);
        return open;
    }

    /**
     * As {@link #get}, for a request that changes the file or the open (WRITE, SET_INFO, IOCTL): over SMB 3.x
     * its ChannelSequence must not be older than the open's (MS-SMB2 3.3.5.2.10).
     *
     * @throws SmbException FILE_CLOSED when there is none; FILE_NOT_AVAILABLE for a stale ChannelSequence
     */
    SmbOpen getForChange(SmbRequest request, FileId sent) throws SmbException {
        SmbOpen open = get(request, sent);
        int sequence = request.header().status() & 0xFFFF;
        if (request.connection().dialect() >= 0x0300 && !open.channelSequenceCurrent(sequence)) {
            throw new SmbException(NtStatus.FILE_NOT_AVAILABLE, "ChannelSequence " + sequence + " is stale");
        }
        return open;
    }

    /** The open with file id {@code id}, any tree, or null. */
    SmbOpen byId(FileId id) {
        SmbOpen open = opens.get(id.volatileId());
        return open != null && open.fileId.persistent() == id.persistent() && open.isOpen() ? open : null;
    }

    /** The opens of {@code tree}. */
    List<SmbOpen> of(SmbTree tree) {
        TreeKey key = TreeKey.of(tree);
        return opens.values().stream().filter(o -> o.treeKey.equals(key)).toList();
    }

    /** The opens of every tree on the volume of {@code tree}'s share. */
    List<SmbOpen> onVolumeOf(SmbTree tree) {
        return indexed(byVolume, volumeOf(tree));
    }

    /** The opens of inode {@code inode} on the volume of {@code tree}'s share, all trees. */
    List<SmbOpen> ofInode(SmbTree tree, long inode) {
        Object volume = volumeOf(tree);
        return indexed(byInode, inode).stream()
                .filter(o -> volumeOf(o.tree).equals(volume))
                .toList();
    }

    /** An open (connected or a disconnected durable one) that caches under {@code lease}, or null. */
    SmbOpen using(Leases.SmbLease lease) {
        return under(lease).stream().filter(SmbOpen::holdsState).findFirst().orElse(null);
    }

    /** The opens, in any state, that cache under {@code lease} (all of its file). */
    List<SmbOpen> under(Leases.SmbLease lease) {
        return indexed(byInode, lease.inode).stream()
                .filter(o -> o.lease == lease)
                .toList();
    }

    /** A connected open that caches under {@code lease}, or null. */
    SmbOpen connectedUsing(Leases.SmbLease lease) {
        return under(lease).stream().filter(SmbOpen::isOpen).findFirst().orElse(null);
    }

    /** How many (volume, inode) and volume keys the indexes hold (they go with their last open). */
    int indexedKeys() {
        return byInode.size() + byVolume.size();
    }

    int size() {
        return opens.size();
    }
}
