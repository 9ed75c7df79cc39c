package dev.sgw.nfs.v4;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.UserMapping;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.ListDirectory;
import dev.sgw.nfs.rpc.RpcServer;
import dev.sgw.nfs.v4.Nfs4TestClient.Result;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import static dev.sgw.nfs.v4.Nfs4TestClient.sequenceOk;

/** A running NFSv4.1 server over a real share volume and a client with a session, for the NFSv4 tests. */
abstract class Nfs4TestBase {
    @TempDir
    Path dir;

    ShareFixture share;
    final ListDirectory exports = new ListDirectory();
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    Nfs4Program program;
    RpcServer server;
    InetSocketAddress bound;
    Nfs4TestClient client;

    @BeforeEach
    void start() throws Exception {
        share = new ShareFixture(dir);
        exports.exports.add(share.export(7, "/demo", UserMapping.NONE, ClientRule.anyReadWrite()));
        exports.exports.add(share.export(9, "/a/ro", UserMapping.NONE, new ClientRule("127.0.0.0/8", false)));
        startServer(Duration.ZERO);
    }

    void startServer(Duration grace) throws Exception {
        startServer(grace, ClientRecords.none());
    }

    void startServer(Duration grace, ClientRecords records) throws Exception {
        program = new Nfs4Program(
                new ExportAccess(exports),
                Nfs4Settings.defaults().withGrace(grace).withLease(Duration.ofSeconds(90)),
                records,
                clock::get);
        server = new RpcServer(List.of(program), RpcServer.Settings.defaults());
        bound = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new Nfs4TestClient(bound);
        client.createSession("client-one", 8);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        share.close();
    }

    byte[] demoRoot() throws Exception {
        Result r = client.compound(client.seq(0).putRoot().lookup("demo").getFh());
        sequenceOk(r);
        r.ok(Op.PUTROOTFH);
        r.ok(Op.LOOKUP);
        return r.ok(Op.GETFH).readOpaque(128);
    }

    /** OPEN4args: seqid, access, deny none, owner, openhow (createMode -1: no create), CLAIM_NULL name. */
    static void openArgs(XdrEncoder e, int access, String owner, int createMode, long verifier, String name) {
        e.writeInt(0).writeInt(access).writeInt(0).writeHyper(0).writeOpaque(owner.getBytes(), 1024);
        if (createMode < 0) {
            e.writeInt(0);
        } else {
            e.writeInt(1).writeInt(createMode);
            byte[] mode = new XdrEncoder().writeInt(0640).buffer().array();
            byte[] values = java.util.Arrays.copyOf(mode, 4);
            switch (createMode) {
                case OpenOps.EXCLUSIVE4 -> e.writeHyper(verifier);
                case OpenOps.EXCLUSIVE4_1 ->
                    e.writeHyper(verifier)
                            .writeIntArray(Attributes.bitmap(Attributes.MODE), 8)
                            .writeOpaque(values, 64);
                default ->
                    e.writeIntArray(Attributes.bitmap(Attributes.MODE), 8).writeOpaque(values, 64);
            }
        }
        e.writeInt(OpenOps.CLAIM_NULL).writeString(name, 1024);
    }

    /** Skips an OPEN4resok after its stateid: cinfo, rflags, attrset, delegation. */
    static void skipOpenBody(XdrDecoder in) {
        in.readBool();
        in.readHyper();
        in.readHyper();
        in.readInt();
        in.readIntArray(8);
        int deleg = in.readInt();
        if (deleg == OpenOps.OPEN_DELEGATE_NONE_EXT) {
            in.readInt();
        }
    }

    static void lockNew(XdrEncoder e, int type, long offset, long length, Stateid open, String owner) {
        e.writeInt(type)
                .writeBool(false)
                .writeHyper(offset)
                .writeHyper(length)
                .writeBool(true)
                .writeInt(0);
        open.write(e);
        e.writeInt(0).writeHyper(0).writeOpaque(owner.getBytes(), 1024);
    }
}
