package dev.sgw.nfs.mount;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.spi.VolumeDirectory.NfsExport;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.FileHandles;
import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.ProgramVersions;
import dev.sgw.nfs.rpc.RpcCall;
import dev.sgw.nfs.rpc.RpcProgram;
import dev.sgw.nfs.rpc.RpcReply;
import dev.sgw.nfs.xdr.XdrDecoder;

/**
 * Program 100005, MOUNT (RFC 1813 appendix I): NULL, MNT, DUMP, UMNT, UMNTALL, EXPORT. Versions 1 to 3 are
 * answered so that {@code showmount} (which asks version 1) works; MNT exists only in version 3 (the v1
 * reply carries a 32-byte NFSv2 handle, and NFSv2 is not served), the other procedures have the same
 * arguments and results in every version.
 *
 * <p>MNT looks the path up exactly ({@link VolumeDirectory#nfs}), checks the caller's address against the
 * share's {@link ClientRule}s and answers the root handle of the volume with AUTH_SYS as the one flavor.
 *
 * <p>The mount list (what DUMP answers) is advisory, as the RFC says; it lives in memory:
 *
 * <pre>
 * state of (client, path)  event             next
 * ABSENT                   MNT succeeds      MOUNTED
 * MOUNTED                  MNT again         MOUNTED (listed once)
 * MOUNTED                  UMNT path         ABSENT
 * MOUNTED                  UMNTALL           ABSENT
 * </pre>
 *
 * A client is named by its IP address literal (no reverse DNS).
 */
public final class MountProgram implements RpcProgram {
    public static final int PROGRAM = 100_005;
    private static final ProgramVersions VERSIONS = new ProgramVersions(PROGRAM, 1, 3);
    static final int NULL = 0, MNT = 1, DUMP = 2, UMNT = 3, UMNTALL = 4, EXPORT = 5;
    /** {@code MNTPATHLEN} and {@code MNTNAMLEN}. */
    static final int MAX_PATH = 1024, MAX_NAME = 255;

    static final int AUTH_SYS = 1;

    /** One entry of the mount list. */
    record Mount(String client, String path) {}

    private final VolumeDirectory exports;
    /** Guarded by itself; insertion order is DUMP's order. */
    private final Set<Mount> mounts = new LinkedHashSet<>();

    public MountProgram(VolumeDirectory exports) {
        this.exports = exports;
    }

    @Override
    public ProgramVersions versions() {
        return VERSIONS;
    }

    @Override
    public CompletionStage<RpcReply> handle(RpcCall call, CallContext context) {
        return CompletableFuture.completedFuture(reply(call, context));
    }

    private RpcReply reply(RpcCall call, CallContext context) {
        XdrDecoder in = new XdrDecoder(call.args());
        String client = context.client().getAddress().getHostAddress();
        switch (call.procedure()) {
            case NULL, DUMP, UMNTALL, EXPORT -> in.requireEnd();
            default -> {}
        }
        return switch (call.procedure()) {
            case NULL -> RpcReply.success(out -> {});
            case MNT -> {
                if (call.version() != 3) {
                    yield new RpcReply.ProcUnavail();
                }
                String path = readPath(in);
                yield mount(path, context.client().getAddress(), client);
            }
            case DUMP -> {
                List<Mount> list;
                synchronized (mounts) {
                    list = new ArrayList<>(mounts);
                }
                yield RpcReply.success(out -> {
                    for (Mount m : list) {
                        out.writeBool(true) // an entry follows
                                .writeString(m.client(), MAX_NAME) // ml_hostname
                                .writeString(m.path(), MAX_PATH); // ml_directory
                    }
                    out.writeBool(false); // end of list
                });
            }
            case UMNT -> {
                String path = readPath(in);
                synchronized (mounts) {
                    mounts.remove(new Mount(client, path));
                }
                yield RpcReply.success(out -> {});
            }
            case UMNTALL -> {
                synchronized (mounts) {
                    mounts.removeIf(m -> m.client().equals(client));
                }
                yield RpcReply.success(out -> {});
            }
            case EXPORT -> {
                List<NfsExport> all = exports.nfsExports();
                yield RpcReply.success(out -> {
                    for (NfsExport e : all) {
                        out.writeBool(true).writeString(e.share().path(), MAX_PATH); // ex_dir
                        for (String group : groups(e.share())) {
                            out.writeBool(true).writeString(group, MAX_NAME); // gr_name
                        }
                        out.writeBool(false); // end of groups
                    }
                    out.writeBool(false); // end of exports
                });
            }
            default -> new RpcReply.ProcUnavail();
        };
    }

    private static String readPath(XdrDecoder in) {
        String path = in.readString(MAX_PATH); // dirpath
        in.requireEnd();
        return path;
    }

    private RpcReply mount(String path, InetAddress address, String client) {
        Optional<NfsExport> found = exports.nfs(path);
        if (found.isEmpty()) {
            return mountStatus(MountStatus.MNT3ERR_NOENT);
        }
        NfsShare share = found.get().share();
        if (ExportAccess.rule(share, address).isEmpty()) {
            return mountStatus(MountStatus.MNT3ERR_ACCES);
        }
        byte[] handle = FileHandles.encode(share.id(), found.get().volume().root());
        synchronized (mounts) {
            mounts.add(new Mount(client, path));
        }
        return RpcReply.success(out -> out.writeEnum(MountStatus.MNT3_OK.code()) // fhs_status
                .writeOpaque(handle, FileHandles.NFS3_MAX_BYTES) // fhandle3
                .writeIntArray(new int[] {AUTH_SYS}, 16)); // auth_flavors
    }

    private static RpcReply mountStatus(MountStatus status) {
        return RpcReply.success(out -> out.writeEnum(status.code()));
    }

    /** EXPORT's groups of a share: {@code *} when any client may mount it, else its rules' addresses. */
    static List<String> groups(NfsShare share) {
        if (share.clients().stream().anyMatch(r -> r.match().equals("*"))) {
            return List.of("*");
        }
        return share.clients().stream().map(ClientRule::match).distinct().toList();
    }

    /** The current mount list, for status pages and tests. */
    public List<String> mounts() {
        synchronized (mounts) {
            return mounts.stream().map(m -> m.client() + ":" + m.path()).toList();
        }
    }
}
