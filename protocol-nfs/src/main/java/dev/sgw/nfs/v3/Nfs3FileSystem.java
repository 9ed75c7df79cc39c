package dev.sgw.nfs.v3;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FsStats;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.Nfs3Status;

/**
 * The NFSv3 procedures describing an export: FSSTAT, FSINFO, PATHCONF (RFC 1813 sections 3.3.18-3.3.20).
 * They need no permission beyond the export's allow-list.
 */
final class Nfs3FileSystem {
    /** Hard links a file may have (the share volume's limit). */
    static final int LINK_MAX = 65_000;

    private final ExportAccess access;

    Nfs3FileSystem(ExportAccess access) {
        this.access = access;
    }

    Nfs3Results.Fsstat fsstat(Nfs3Args.Handle a, Nfs3Request r) {
        ResolvedHandle t = null;
        try {
            t = r.resolve(access, a.handle());
            FileAttributes attributes = t.getattr();
            return new Nfs3Results.Fsstat(
                    Nfs3Status.NFS3_OK, attributes, t.volume().statfs(), t.fsid());
        } catch (Exception e) {
            return new Nfs3Results.Fsstat(
                    Nfs3Program.status(e), t == null ? null : t.attributesOrNull(), null, ResolvedHandle.fsid(t));
        }
    }

    Nfs3Results.Fsinfo fsinfo(Nfs3Args.Handle a, Nfs3Request r) {
        ResolvedHandle t = null;
        try {
            t = r.resolve(access, a.handle());
            FileAttributes attributes = t.getattr();
            FsStats stats = t.volume().statfs();
            return new Nfs3Results.Fsinfo(Nfs3Status.NFS3_OK, attributes, stats.maxFileBytes(), t.fsid());
        } catch (Exception e) {
            return new Nfs3Results.Fsinfo(
                    Nfs3Program.status(e), t == null ? null : t.attributesOrNull(), 0, ResolvedHandle.fsid(t));
        }
    }

    Nfs3Results.Pathconf pathconf(Nfs3Args.Handle a, Nfs3Request r) {
        ResolvedHandle t = null;
        try {
            t = r.resolve(access, a.handle());
            FileAttributes attributes = t.getattr();
            FsStats stats = t.volume().statfs();
            return new Nfs3Results.Pathconf(Nfs3Status.NFS3_OK, attributes, LINK_MAX, stats.maxNameBytes(), t.fsid());
        } catch (Exception e) {
            return new Nfs3Results.Pathconf(
                    Nfs3Program.status(e), t == null ? null : t.attributesOrNull(), 0, 0, ResolvedHandle.fsid(t));
        }
    }
}
