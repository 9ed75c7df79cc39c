package dev.sgw.smb.file;

import java.io.IOException;
import java.time.Duration;

import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.server.SmbTree;
import dev.sgw.smb.server.TreeCommands;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Command;

/**
 * The commands inside a disk share's tree connect, one line per command. One instance serves the whole
 * server: it keeps the {@link OpenTable} of every tree's opens, the {@link DurableHandles} (a CREATE with a
 * durable handle context, a tree that goes with its session) and what clients see of files beyond the volume's
 * attributes ({@link WriteTimes}, {@link AllocationSizes}, {@link ShortNames}).
 *
 * <pre>
 * command          | handled by
 * CREATE           | {@link CreateCommand}
 * CLOSE, FLUSH,    | {@link DataCommands}
 * READ, WRITE      |
 * QUERY_DIRECTORY  | {@link DirectoryQuery}
 * QUERY_INFO       | {@link QueryInfo}
 * SET_INFO         | {@link SetInfo}
 * LOCK             | {@link LockCommand}
 * IOCTL            | {@link IoctlCommand}
 * CHANGE_NOTIFY    | {@link ChangeNotify}
 * OPLOCK_BREAK     | {@link Leases} (lease and oplock break acknowledgments)
 * </pre>
 */
public final class DiskTreeCommands implements TreeCommands {
    private final OpenTable opens = new OpenTable();
    private final Leases leases = new Leases(opens, this::detachedLeaseBroken);
    private final DurableHandles durables = new DurableHandles(opens, leases, this::closeOpen);
    private final WriteTimes writeTimes = new WriteTimes();
    private final AllocationSizes allocations = new AllocationSizes();
    private final ShortNames shortNames = new ShortNames();
    private final CreateCommand create =
            new CreateCommand(opens, leases, durables, writeTimes, allocations, shortNames, this::closeOpen);
    private final DataCommands data = new DataCommands(opens, leases, durables, writeTimes, allocations);
    private final DirectoryQuery directory = new DirectoryQuery(opens, writeTimes, allocations);
    private final QueryInfo queryInfo = new QueryInfo(opens, writeTimes, allocations, shortNames);
    private final SetInfo setInfo = new SetInfo(opens, writeTimes, allocations);
    private final LockCommand lock = new LockCommand(opens);
    private final IoctlCommand ioctl = new IoctlCommand(opens);
    private final ChangeNotify notify = new ChangeNotify(opens);

    public DiskTreeCommands() {}

    @Override
    public SmbResponse handle(Smb2Command command, SmbRequest request) throws SmbException, IOException {
        return switch (command) {
            case CREATE -> create.handle(request);
            case CLOSE -> data.close(request);
            case FLUSH -> data.flush(request);
            case READ -> data.read(request);
            case WRITE -> data.write(request);
            case QUERY_DIRECTORY -> directory.handle(request);
            case QUERY_INFO -> queryInfo.handle(request);
            case SET_INFO -> setInfo.handle(request);
            case LOCK -> lock.handle(request);
            case IOCTL -> ioctl.handle(request);
            case CHANGE_NOTIFY -> notify.handle(request);
            case OPLOCK_BREAK -> leases.acknowledge(request);
            default -> SmbResponse.error(NtStatus.NOT_SUPPORTED);
        };
    }

    @Override
    public void treeGone(SmbTree tree, boolean keepDurable) {
        for (SmbOpen open : opens.of(tree)) {
            if (!keepDurable || !durables.disconnect(open)) {
                data.closeOpen(open);
            }
        }
    }

    /** How many opens the server holds, disconnected durable ones too (for tests and metrics). */
    public int openCount() {
        return opens.size();
    }

    /** How many durable opens there are, connected or waiting for their client (for tests and metrics). */
    public int durableCount() {
        return durables.count();
    }

    /** How long a durable open whose client asked for no time of its own waits for it (tests shorten it). */
    public void durableTimeout(Duration timeout) {
        durables.defaultTimeout(timeout);
    }

    private void closeOpen(SmbOpen open) {
        data.closeOpen(open);
    }

    private void detachedLeaseBroken(Leases.SmbLease lease) {
        durables.purge(lease);
    }
}
