package dev.sgw.nfs.v4;

import java.util.ArrayList;
import java.util.List;

import dev.sgw.nfs.FileHandles;
import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.v4.OpArgs.ChannelAttrs;
import dev.sgw.nfs.v4.OpArgs.Fattr;
import dev.sgw.nfs.v4.OpArgs.Owner;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrException;

/**
 * Decodes one {@code nfs_argop4} (RFC 5662) into its {@link OpArgs}. An operation we do not implement is
 * not decoded further: the compound stops at it, so the bytes after it are never needed.
 */
final class OpDecoder {
    static final int MAX_NAME = 1024, MAX_OPAQUE = 1024, MAX_BITMAP = 8, MAX_ATTRS = 64 * 1024;
    static final int MAX_DATA = 2 * 1024 * 1024;

    private OpDecoder() {}

    /** The arguments of operation {@code op}, read from {@code in}. */
    static OpArgs decode(int op, XdrDecoder in) {
        return switch (op) {
            case Op.ACCESS -> new OpArgs.Access(in.readInt());
            case Op.CLOSE -> new OpArgs.Close(in.readInt(), Stateid.read(in));
            case Op.COMMIT -> new OpArgs.Commit(in.readUnsignedHyper(), in.readInt());
            case Op.CREATE -> create(in);
            case Op.DELEGRETURN -> new OpArgs.DelegReturn(Stateid.read(in));
            case Op.GETATTR -> new OpArgs.GetAttr(bitmap(in));
            case Op.GETFH -> new OpArgs.GetFh();
            case Op.LINK -> new OpArgs.Link(name(in));
            case Op.LOCK -> lock(in);
            case Op.LOCKT ->
                new OpArgs.LockTest(in.readInt(), in.readUnsignedHyper(), in.readUnsignedHyper(), owner(in));
            case Op.LOCKU ->
                new OpArgs.Unlock(
                        in.readInt(), in.readInt(), Stateid.read(in), in.readUnsignedHyper(), in.readUnsignedHyper());
            case Op.LOOKUP -> new OpArgs.Lookup(name(in));
            case Op.LOOKUPP -> new OpArgs.LookupParent();
            case Op.NVERIFY -> new OpArgs.Verify(false, fattr(in));
            case Op.VERIFY -> new OpArgs.Verify(true, fattr(in));
            case Op.OPEN -> open(in);
            case Op.OPEN_DOWNGRADE ->
                new OpArgs.OpenDowngrade(Stateid.read(in), in.readInt(), in.readInt(), in.readInt());
            case Op.PUTFH -> new OpArgs.PutFh(in.readOpaque(FileHandles.NFS4_MAX_BYTES));
            case Op.PUTPUBFH -> new OpArgs.PutPubFh();
            case Op.PUTROOTFH -> new OpArgs.PutRootFh();
            case Op.READ -> new OpArgs.Read(Stateid.read(in), in.readUnsignedHyper(), in.readInt());
            case Op.READDIR ->
                new OpArgs.ReadDir(in.readUnsignedHyper(), in.readHyper(), in.readInt(), in.readInt(), bitmap(in));
            case Op.READLINK -> new OpArgs.ReadLink();
            case Op.REMOVE -> new OpArgs.Remove(name(in));
            case Op.RENAME -> new OpArgs.Rename(name(in), name(in));
            case Op.RESTOREFH -> new OpArgs.RestoreFh();
            case Op.SAVEFH -> new OpArgs.SaveFh();
            case Op.SECINFO -> new OpArgs.SecInfo(name(in), 0);
            case Op.SECINFO_NO_NAME -> new OpArgs.SecInfo(null, in.readInt());
            case Op.SETATTR -> new OpArgs.SetAttr(Stateid.read(in), fattr(in));
            case Op.WRITE ->
                new OpArgs.Write(Stateid.read(in), in.readUnsignedHyper(), in.readInt(), in.readOpaqueSlice(MAX_DATA));
            case Op.BIND_CONN_TO_SESSION -> new OpArgs.BindConn(in.readFixedOpaque(16), in.readInt(), in.readBool());
            case Op.EXCHANGE_ID -> exchangeId(in);
            case Op.CREATE_SESSION -> createSession(in);
            case Op.DESTROY_SESSION -> new OpArgs.DestroySession(in.readFixedOpaque(16));
            case Op.FREE_STATEID -> new OpArgs.FreeStateid(Stateid.read(in));
            case Op.SEQUENCE ->
                new OpArgs.Sequence(in.readFixedOpaque(16), in.readInt(), in.readInt(), in.readInt(), in.readBool());
            case Op.TEST_STATEID -> testStateid(in);
            case Op.DESTROY_CLIENTID -> new OpArgs.DestroyClientId(in.readUnsignedHyper());
            case Op.RECLAIM_COMPLETE -> new OpArgs.ReclaimComplete(in.readBool());
            // not in minor version 1 (RFC 8881 section 18.xx: "MUST NOT be used")
            case Op.OPEN_CONFIRM, Op.RENEW, Op.SETCLIENTID, Op.SETCLIENTID_CONFIRM, Op.RELEASE_LOCKOWNER ->
                new OpArgs.Unsupported(op, Nfs4Status.NFS4ERR_NOTSUPP);
            case Op.DELEGPURGE,
                    Op.OPENATTR,
                    Op.BACKCHANNEL_CTL,
                    Op.GET_DIR_DELEGATION,
                    Op.GETDEVICEINFO,
                    Op.GETDEVICELIST,
                    Op.LAYOUTCOMMIT,
                    Op.LAYOUTGET,
                    Op.LAYOUTRETURN,
                    Op.SET_SSV,
                    Op.WANT_DELEGATION -> new OpArgs.Unsupported(op, Nfs4Status.NFS4ERR_NOTSUPP);
            default -> new OpArgs.Illegal();
        };
    }

    static int[] bitmap(XdrDecoder in) {
        return in.readIntArray(MAX_BITMAP);
    }

    static Fattr fattr(XdrDecoder in) {
        int[] mask = bitmap(in);
        return new Fattr(mask, in.readOpaque(MAX_ATTRS));
    }

    private static String name(XdrDecoder in) {
        return in.readString(MAX_NAME);
    }

    private static Owner owner(XdrDecoder in) {
        return new Owner(in.readUnsignedHyper(), in.readOpaque(MAX_OPAQUE));
    }

    private static OpArgs create(XdrDecoder in) {
        int type = in.readInt();
        String link = null;
        switch (type) {
            case Attributes.NF4LNK -> link = in.readString(MAX_DATA); // linktext4
            case Attributes.NF4BLK, Attributes.NF4CHR -> {
                in.readInt();
                in.readInt();
            } // specdata4
            default -> {}
        }
        return new OpArgs.Create(type, link, name(in), fattr(in));
    }

    private static OpArgs lock(XdrDecoder in) {
        int type = in.readInt();
        boolean reclaim = in.readBool();
        long offset = in.readUnsignedHyper();
        long length = in.readUnsignedHyper();
        if (in.readBool()) { // open_to_lock_owner4
            int openSeqid = in.readInt();
            Stateid open = Stateid.read(in);
            int lockSeqid = in.readInt();
            return new OpArgs.Lock(type, reclaim, offset, length, true, openSeqid, open, lockSeqid, owner(in));
        }
        Stateid lock = Stateid.read(in); // exist_lock_owner4
        return new OpArgs.Lock(type, reclaim, offset, length, false, 0, lock, in.readInt(), null);
    }

    private static OpArgs open(XdrDecoder in) {
        int seqid = in.readInt();
        int access = in.readInt();
        int deny = in.readInt();
        Owner owner = owner(in);
        int createMode = -1;
        Fattr attrs = null;
        long verifier = 0;
        if (in.readInt() == 1) { // OPEN4_CREATE: createhow4
            createMode = in.readInt();
            switch (createMode) {
                case OpenOps.UNCHECKED4, OpenOps.GUARDED4 -> attrs = fattr(in);
                case OpenOps.EXCLUSIVE4 -> verifier = in.readHyper();
                case OpenOps.EXCLUSIVE4_1 -> {
                    verifier = in.readHyper();
                    attrs = fattr(in);
                }
                default -> throw new XdrException("createmode4 " + createMode);
            }
        }
        int claim = in.readInt();
        String name = null;
        int delegateType = 0;
        Stateid delegation = null;
        switch (claim) {
            case OpenOps.CLAIM_NULL, OpenOps.CLAIM_DELEGATE_PREV -> name = name(in);
            case OpenOps.CLAIM_PREVIOUS -> delegateType = in.readInt();
            case OpenOps.CLAIM_DELEGATE_CUR -> {
                delegation = Stateid.read(in);
                name = name(in);
            }
            case OpenOps.CLAIM_DELEG_CUR_FH -> delegation = Stateid.read(in);
            case OpenOps.CLAIM_FH, OpenOps.CLAIM_DELEG_PREV_FH -> {}
            default -> throw new XdrException("open_claim_type4 " + claim);
        }
        return new OpArgs.Open(
                seqid, access, deny, owner, createMode, attrs, verifier, claim, name, delegateType, delegation);
    }

    private static OpArgs exchangeId(XdrDecoder in) {
        long verifier = in.readHyper(); // co_verifier
        byte[] ownerId = in.readOpaque(MAX_OPAQUE); // co_ownerid
        int flags = in.readInt(); // eia_flags
        int how = in.readInt(); // state_protect4_a
        if (how != 0) {
            // SP4_MACH_CRED / SP4_SSV are refused; their bodies are not needed
            return new OpArgs.ExchangeId(verifier, ownerId, flags, how);
        }
        int impls = in.readInt(); // eia_client_impl_id<1>
        if (impls > 1) {
            throw new XdrException("eia_client_impl_id of " + impls);
        }
        if (impls == 1) {
            in.readString(MAX_OPAQUE); // nii_domain
            in.readString(MAX_OPAQUE); // nii_name
            in.readHyper(); // nii_date seconds
            in.readInt(); // nii_date nseconds
        }
        return new OpArgs.ExchangeId(verifier, ownerId, flags, how);
    }

    private static OpArgs createSession(XdrDecoder in) {
        long clientId = in.readUnsignedHyper();
        int sequence = in.readInt();
        int flags = in.readInt();
        ChannelAttrs fore = channelAttrs(in);
        ChannelAttrs back = channelAttrs(in);
        int cbProgram = in.readInt();
        int parms = in.readInt(); // csa_sec_parms<>
        if (parms < 0 || parms > 16) {
            throw new XdrException("csa_sec_parms of " + parms);
        }
        for (int i = 0; i < parms; i++) {
            int flavor = in.readInt();
            switch (flavor) {
                case 0 -> {}
                case 1 -> {
                    in.readInt();
                    in.readString(255);
                    in.readInt();
                    in.readInt();
                    in.readIntArray(16);
                }
                case 6 -> {
                    in.readInt();
                    in.readOpaque(MAX_OPAQUE);
                    in.readOpaque(MAX_OPAQUE);
                }
                default -> throw new XdrException("callback security flavor " + flavor);
            }
        }
        return new OpArgs.CreateSession(clientId, sequence, flags, fore, back, cbProgram);
    }

    private static ChannelAttrs channelAttrs(XdrDecoder in) {
        return new ChannelAttrs(
                in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readIntArray(1));
    }

    private static OpArgs testStateid(XdrDecoder in) {
        int count = in.readInt();
        if (count < 0 || count > 1024) {
            throw new XdrException("ts_stateids of " + count);
        }
        List<Stateid> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(Stateid.read(in));
        }
        return new OpArgs.TestStateid(ids);
    }
}
