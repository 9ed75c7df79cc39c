package dev.sgw.nfs.v4;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.rpc.OpaqueAuth;
import dev.sgw.nfs.rpc.RpcTestClient;
import dev.sgw.nfs.v4.Nfs4TestClient.Ops;
import dev.sgw.nfs.v4.Nfs4TestClient.Result;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

import static dev.sgw.nfs.v4.Nfs4TestClient.sequenceOk;
import static org.assertj.core.api.Assertions.assertThat;

/** NFSv4.1 clients and sessions over a real socket: EXCHANGE_ID, CREATE_SESSION, BIND_CONN, DESTROY_*, slots. */
class Nfs4SessionTest extends Nfs4TestBase {

    private static Ops exchangeId(String owner, long verifier) {
        return new Ops()
                .op(
                        Op.EXCHANGE_ID,
                        e -> e.writeHyper(verifier)
                                .writeString(owner, 1024)
                                .writeInt(0)
                                .writeInt(0)
                                .writeInt(0));
    }

    private static Ops createSession(long clientId, int sequence) {
        return new Ops().op(Op.CREATE_SESSION, e -> {
            e.writeHyper(clientId).writeInt(sequence).writeInt(0x3); // PERSIST | CONN_BACK_CHAN asked
            for (int i = 0; i < 2; i++) {
                e.writeInt(0)
                        .writeInt(1 << 20)
                        .writeInt(1 << 20)
                        .writeInt(4096)
                        .writeInt(8)
                        .writeInt(4)
                        .writeInt(0);
            }
            e.writeInt(0x40000000)
                    .writeInt(1)
                    .writeInt(1)
                    .writeInt(0)
                    .writeString("host", 255)
                    .writeInt(0)
                    .writeInt(0)
                    .writeIntArray(new int[0], 16); // AUTH_SYS callback credential
        });
    }

    @Test
    void exchangeIdOfAConfirmedClientAnswersItsIdAndCreateSessionRetransmissionsTheSameSession() throws Exception {
        XdrDecoder x = client.compound(exchangeId("client-one", 42)).ok(Op.EXCHANGE_ID);
        assertThat(x.readHyper()).as("the same client id").isEqualTo(client.clientId);
        int sequence = x.readInt();
        assertThat(x.readInt() & Sessions.EXCHGID4_FLAG_CONFIRMED_R)
                .as("confirmed")
                .isNotZero();

        XdrDecoder n = client.compound(exchangeId("client-new", 1)).ok(Op.EXCHANGE_ID);
        long newId = n.readHyper();
        int first = n.readInt();
        byte[] created = client.send(1, createSession(newId, first));
        Result r = new Result(created);
        XdrDecoder s = r.ok(Op.CREATE_SESSION);
        byte[] session = s.readFixedOpaque(16);
        assertThat(s.readInt()).isEqualTo(first);
        assertThat(s.readInt()).as("no persistence, no back channel").isZero();
        assertThat(new int[] {s.readInt(), s.readInt(), s.readInt(), s.readInt(), s.readInt(), s.readInt()})
                .as("fore channel: no padding, sizes within ours, 8 ops, 4 slots")
                .containsExactly(0, 1 << 20, 1 << 20, 4096, 8, 4);
        assertThat(client.send(1, createSession(newId, first)))
                .as("a retransmission: the same answer")
                .isEqualTo(created);
        assertThat(client.compound(createSession(newId, first + 5)).status())
                .isEqualTo(Nfs4Status.NFS4ERR_SEQ_MISORDERED);
        assertThat(client.compound(createSession(12345, 1)).status()).isEqualTo(Nfs4Status.NFS4ERR_STALE_CLIENTID);
        assertThat(session).isNotEqualTo(client.sessionId);
    }

    @Test
    void bindConnDestroySessionAndDestroyClientId() throws Exception {
        XdrDecoder b = client.compound(new Ops()
                        .op(
                                Op.BIND_CONN_TO_SESSION,
                                e -> e.writeFixedOpaque(client.sessionId)
                                        .writeInt(SessionOps.CDFC4_FORE_OR_BOTH)
                                        .writeBool(false)))
                .ok(Op.BIND_CONN_TO_SESSION);
        assertThat(b.readFixedOpaque(16)).isEqualTo(client.sessionId);
        assertThat(b.readInt()).isEqualTo(SessionOps.CDFS4_FORE);
        assertThat(client.compound(new Ops()
                                .op(
                                        Op.BIND_CONN_TO_SESSION,
                                        e -> e.writeFixedOpaque(new byte[16])
                                                .writeInt(1)
                                                .writeBool(false)))
                        .status())
                .isEqualTo(Nfs4Status.NFS4ERR_BADSESSION);

        Ops destroyClient = new Ops().op(Op.DESTROY_CLIENTID, e -> e.writeHyper(client.clientId));
        assertThat(client.compound(destroyClient).status()).isEqualTo(Nfs4Status.NFS4ERR_CLIENTID_BUSY);
        Result reclaim = client.compound(client.seq(0)
                .op(Op.RECLAIM_COMPLETE, e -> e.writeBool(false))
                .op(Op.RECLAIM_COMPLETE, e -> e.writeBool(false)));
        sequenceOk(reclaim);
        reclaim.ok(Op.RECLAIM_COMPLETE);
        assertThat(reclaim.next(Op.RECLAIM_COMPLETE)).isEqualTo(Nfs4Status.NFS4ERR_COMPLETE_ALREADY.code());

        assertThat(client.compound(new Ops().op(Op.DESTROY_SESSION, e -> e.writeFixedOpaque(client.sessionId))).status)
                .isZero();
        assertThat(client.compound(client.seq(0).putRoot()).status()).isEqualTo(Nfs4Status.NFS4ERR_BADSESSION);
        assertThat(client.compound(destroyClient).status).isZero();
        assertThat(program.clientCount()).isZero();
        assertThat(client.compound(destroyClient).status()).isEqualTo(Nfs4Status.NFS4ERR_STALE_CLIENTID);
    }

    @Test
    void theGracePeriodWaitsOnlyForRecordedClientsToReclaim() throws Exception {
        java.nio.file.Path file = dir.resolve("clients");
        client.close();
        server.close();
        startServer(java.time.Duration.ofMinutes(5), ClientRecords.file(file)); // nothing recorded yet
        byte[] root = demoRoot();
        Result open = client.compound(
                client.seq(0).putFh(root).op(Op.OPEN, e -> openArgs(e, 3, "o", OpenOps.UNCHECKED4, 0, "g1")));
        assertThat(open.status).as("no earlier clients: no grace").isZero();
        assertThat(java.nio.file.Files.readString(file))
                .contains(java.util.HexFormat.of().formatHex("client-one".getBytes()));

        Result fhOf = client.compound(client.seq(0).putFh(root).lookup("g1").getFh());
        sequenceOk(fhOf);
        fhOf.ok(Op.PUTFH);
        fhOf.ok(Op.LOOKUP);
        byte[] g1 = fhOf.ok(Op.GETFH).readOpaque(128);
        client.close();
        server.close();
        startServer(java.time.Duration.ofMinutes(5), ClientRecords.file(file)); // client-one comes back
        try (Nfs4TestClient other = new Nfs4TestClient(bound)) {
            other.createSession("client-two", 2);
            Ops opening = other.seq(0)
                    .putRoot()
                    .lookup("demo")
                    .op(Op.OPEN, e -> openArgs(e, 3, "o", OpenOps.UNCHECKED4, 0, "g2"));
            assertThat(other.compound(opening).status()).isEqualTo(Nfs4Status.NFS4ERR_GRACE);
            Result reclaim = client.compound(client.seq(0).putFh(g1).op(Op.OPEN, e -> reclaimArgs(e)));
            assertThat(reclaim.status)
                    .as("CLAIM_PREVIOUS during the grace period")
                    .isZero();
            Result done = client.compound(client.seq(0).op(Op.RECLAIM_COMPLETE, e -> e.writeBool(false)));
            assertThat(done.status).isZero();
            Result late = client.compound(client.seq(0).putFh(g1).op(Op.OPEN, e -> reclaimArgs(e)));
            assertThat(late.status()).as("no reclaims after RECLAIM_COMPLETE").isEqualTo(Nfs4Status.NFS4ERR_NO_GRACE);
            Ops again = other.seq(0)
                    .putRoot()
                    .lookup("demo")
                    .op(Op.OPEN, e -> openArgs(e, 3, "o", OpenOps.UNCHECKED4, 0, "g2"));
            assertThat(other.compound(again).status)
                    .as("every recorded client reclaimed: grace is over")
                    .isZero();
        }
    }

    /** OPEN4args of a reclaim: CLAIM_PREVIOUS of the current filehandle, no delegation. */
    private static void reclaimArgs(XdrEncoder e) {
        e.writeInt(0)
                .writeInt(3)
                .writeInt(0)
                .writeHyper(0)
                .writeOpaque("o".getBytes(), 1024)
                .writeInt(0)
                .writeInt(OpenOps.CLAIM_PREVIOUS)
                .writeInt(OpenOps.OPEN_DELEGATE_NONE);
    }

    @Test
    void anOpenThatWantsNoDelegationIsToldWhy() throws Exception {
        byte[] root = demoRoot();
        Result r = client.compound(client.seq(0)
                .putFh(root)
                .op(Op.OPEN, e -> openArgs(e, OpenOps.WANT_NO_DELEG | 3, "o", OpenOps.UNCHECKED4, 0, "nodeleg")));
        sequenceOk(r);
        r.ok(Op.PUTFH);
        XdrDecoder in = r.ok(Op.OPEN);
        Stateid.read(in);
        in.readBool();
        in.readHyper();
        in.readHyper();
        assertThat(in.readInt() & OpenOps.OPEN4_RESULT_LOCKTYPE_POSIX).isNotZero();
        in.readIntArray(8);
        assertThat(in.readInt()).isEqualTo(OpenOps.OPEN_DELEGATE_NONE_EXT);
        assertThat(in.readInt()).isEqualTo(OpenOps.WND4_NOT_WANTED);
        in.requireEnd();
    }

    @Test
    void compoundsOnEverySlotRunAtOnce() throws Exception {
        byte[] root = demoRoot();
        List<CompletableFuture<RpcTestClient.Reply>> replies = new ArrayList<>();
        for (int slot = 0; slot < 8; slot++) {
            String name = "slot-" + slot;
            Ops ops = client.seq(slot)
                    .putFh(root)
                    .op(
                            Op.CREATE,
                            e -> e.writeInt(Attributes.NF4DIR)
                                    .writeString(name, 1024)
                                    .writeIntArray(new int[0], 8)
                                    .writeInt(0));
            XdrEncoder args = new XdrEncoder().writeString("", 1024).writeInt(1).writeInt(ops.count);
            args.buffer().writeBytes(ops.body.buffer());
            replies.add(client.rpc.call(
                    client.rpc.nextXid(),
                    Nfs4Program.PROGRAM,
                    4,
                    1,
                    OpaqueAuth.AUTH_SYS,
                    client.cred(),
                    ByteBufUtil.getBytes(args.buffer())));
        }
        for (CompletableFuture<RpcTestClient.Reply> f : replies) {
            assertThat(new Result(f.get(10, TimeUnit.SECONDS).results()).status).isZero();
        }
        for (int slot = 0; slot < 8; slot++) {
            assertThat(share.volume.lookup(share.volume.root(), "slot-" + slot).isDirectory())
                    .isTrue();
        }
        Result tooMany = client.compound(client.seq(0)
                .putRoot()
                .putRoot()
                .putRoot()
                .putRoot()
                .putRoot()
                .putRoot()
                .putRoot()
                .putRoot()
                .putRoot()
                .putRoot()
                .putRoot()
                .putRoot()
                .putRoot()
                .putRoot()
                .putRoot()
                .putRoot());
        assertThat(tooMany.status())
                .as("17 operations over the session's 16")
                .isEqualTo(Nfs4Status.NFS4ERR_TOO_MANY_OPS);
    }
}
