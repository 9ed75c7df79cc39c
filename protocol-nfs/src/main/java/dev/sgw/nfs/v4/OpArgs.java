package dev.sgw.nfs.v4;

import java.util.List;

import dev.sgw.nfs.Nfs4Status;
import io.netty.buffer.ByteBuf;

/**
 * The decoded arguments of one operation of a COMPOUND (RFC 5662 {@code nfs_argop4}), one record per
 * operation; {@link OpDecoder} makes them, the operation classes execute them. Names are {@code component4}
 * strings as sent (checked when executed), bitmaps {@code bitmap4} words.
 */
// the array components are wire fields carried as decoded; these records are never compared or used as keys
@SuppressWarnings("ArrayRecordComponent")
sealed interface OpArgs {
    /** The operation number this answers as. */
    int op();

    /** {@code fattr4}: an attribute mask and the XDR of the values it names. */
    record Fattr(int[] mask, byte[] values) {}

    /** {@code lock_owner4} / {@code open_owner4}. */
    record Owner(long clientId, byte[] owner) {}

    /** {@code channel_attrs4} (RFC 8881 section 18.36). */
    record ChannelAttrs(
            int headerPad,
            int maxRequest,
            int maxResponse,
            int maxResponseCached,
            int maxOps,
            int maxRequests,
            int[] rdmaIrd) {}

    /** An operation we do not implement (or one not to be used in minor version 1): answered {@code status} alone. */
    record Unsupported(int op, Nfs4Status status) implements OpArgs {}

    /** An unknown operation number: OP_ILLEGAL. */
    record Illegal() implements OpArgs {
        @Override
        public int op() {
            return Op.ILLEGAL;
        }
    }

    record Access(int access) implements OpArgs {
        @Override
        public int op() {
            return Op.ACCESS;
        }
    }

    record Close(int seqid, Stateid stateid) implements OpArgs {
        @Override
        public int op() {
            return Op.CLOSE;
        }
    }

    record Commit(long offset, int count) implements OpArgs {
        @Override
        public int op() {
            return Op.COMMIT;
        }
    }
    /** CREATE of a directory, symbolic link ({@code linkData}) or another type (refused). */
    record Create(int type, String linkData, String name, Fattr attrs) implements OpArgs {
        @Override
        public int op() {
            return Op.CREATE;
        }
    }

    record DelegReturn(Stateid stateid) implements OpArgs {
        @Override
        public int op() {
            return Op.DELEGRETURN;
        }
    }

    record GetAttr(int[] mask) implements OpArgs {
        @Override
        public int op() {
            return Op.GETATTR;
        }
    }

    record GetFh() implements OpArgs {
        @Override
        public int op() {
            return Op.GETFH;
        }
    }

    record Link(String name) implements OpArgs {
        @Override
        public int op() {
            return Op.LINK;
        }
    }
    /** LOCK: a new lock owner (from an open stateid) or an existing one (its lock stateid). */
    record Lock(
            int type,
            boolean reclaim,
            long offset,
            long length,
            boolean newOwner,
            int openSeqid,
            Stateid stateid,
            int lockSeqid,
            Owner owner)
            implements OpArgs {
        @Override
        public int op() {
            return Op.LOCK;
        }
    }

    record LockTest(int type, long offset, long length, Owner owner) implements OpArgs {
        @Override
        public int op() {
            return Op.LOCKT;
        }
    }

    record Unlock(int type, int seqid, Stateid stateid, long offset, long length) implements OpArgs {
        @Override
        public int op() {
            return Op.LOCKU;
        }
    }

    record Lookup(String name) implements OpArgs {
        @Override
        public int op() {
            return Op.LOOKUP;
        }
    }

    record LookupParent() implements OpArgs {
        @Override
        public int op() {
            return Op.LOOKUPP;
        }
    }
    /** VERIFY ({@code same}) or NVERIFY. */
    record Verify(boolean same, Fattr attrs) implements OpArgs {
        @Override
        public int op() {
            return same ? Op.VERIFY : Op.NVERIFY;
        }
    }
    /**
     * OPEN. {@code createMode} is -1 without OPEN4_CREATE, else UNCHECKED4..EXCLUSIVE4_1; {@code claim} the
     * open_claim_type4 with its {@code name} (CLAIM_NULL, CLAIM_DELEGATE_CUR/PREV) or delegation stateid.
     */
    record Open(
            int seqid,
            int access,
            int deny,
            Owner owner,
            int createMode,
            Fattr createAttrs,
            long verifier,
            int claim,
            String name,
            int delegateType,
            Stateid delegation)
            implements OpArgs {
        @Override
        public int op() {
            return Op.OPEN;
        }
    }

    record OpenDowngrade(Stateid stateid, int seqid, int access, int deny) implements OpArgs {
        @Override
        public int op() {
            return Op.OPEN_DOWNGRADE;
        }
    }

    record PutFh(byte[] handle) implements OpArgs {
        @Override
        public int op() {
            return Op.PUTFH;
        }
    }

    record PutPubFh() implements OpArgs {
        @Override
        public int op() {
            return Op.PUTPUBFH;
        }
    }

    record PutRootFh() implements OpArgs {
        @Override
        public int op() {
            return Op.PUTROOTFH;
        }
    }

    record Read(Stateid stateid, long offset, int count) implements OpArgs {
        @Override
        public int op() {
            return Op.READ;
        }
    }

    record ReadDir(long cookie, long verifier, int dirCount, int maxCount, int[] mask) implements OpArgs {
        @Override
        public int op() {
            return Op.READDIR;
        }
    }

    record ReadLink() implements OpArgs {
        @Override
        public int op() {
            return Op.READLINK;
        }
    }

    record Remove(String name) implements OpArgs {
        @Override
        public int op() {
            return Op.REMOVE;
        }
    }

    record Rename(String from, String to) implements OpArgs {
        @Override
        public int op() {
            return Op.RENAME;
        }
    }

    record RestoreFh() implements OpArgs {
        @Override
        public int op() {
            return Op.RESTOREFH;
        }
    }

    record SaveFh() implements OpArgs {
        @Override
        public int op() {
            return Op.SAVEFH;
        }
    }
    /** SECINFO ({@code name} set) or SECINFO_NO_NAME ({@code style}: 0 current, 1 parent). */
    record SecInfo(String name, int style) implements OpArgs {
        @Override
        public int op() {
            return name != null ? Op.SECINFO : Op.SECINFO_NO_NAME;
        }
    }

    record SetAttr(Stateid stateid, Fattr attrs) implements OpArgs {
        @Override
        public int op() {
            return Op.SETATTR;
        }
    }

    record Write(Stateid stateid, long offset, int stable, ByteBuf data) implements OpArgs {
        @Override
        public int op() {
            return Op.WRITE;
        }
    }

    record BindConn(byte[] sessionId, int direction, boolean rdma) implements OpArgs {
        @Override
        public int op() {
            return Op.BIND_CONN_TO_SESSION;
        }
    }

    record ExchangeId(long verifier, byte[] ownerId, int flags, int stateProtect) implements OpArgs {
        @Override
        public int op() {
            return Op.EXCHANGE_ID;
        }
    }

    record CreateSession(long clientId, int sequence, int flags, ChannelAttrs fore, ChannelAttrs back, int cbProgram)
            implements OpArgs {
        @Override
        public int op() {
            return Op.CREATE_SESSION;
        }
    }

    record DestroySession(byte[] sessionId) implements OpArgs {
        @Override
        public int op() {
            return Op.DESTROY_SESSION;
        }
    }

    record FreeStateid(Stateid stateid) implements OpArgs {
        @Override
        public int op() {
            return Op.FREE_STATEID;
        }
    }

    record Sequence(byte[] sessionId, int sequenceId, int slot, int highestSlot, boolean cacheThis) implements OpArgs {
        @Override
        public int op() {
            return Op.SEQUENCE;
        }
    }

    record TestStateid(List<Stateid> stateids) implements OpArgs {
        @Override
        public int op() {
            return Op.TEST_STATEID;
        }
    }

    record DestroyClientId(long clientId) implements OpArgs {
        @Override
        public int op() {
            return Op.DESTROY_CLIENTID;
        }
    }

    record ReclaimComplete(boolean oneFs) implements OpArgs {
        @Override
        public int op() {
            return Op.RECLAIM_COMPLETE;
        }
    }
}
