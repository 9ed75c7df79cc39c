package dev.sgw.nfs.rpc;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** A minimal ONC RPC client over a blocking socket: many calls in flight, replies matched by xid. */
public final class RpcTestClient implements AutoCloseable {

    /**
     * A reply as the wire had it.
     *
     * @param replyStat  0 accepted, 1 denied
     * @param stat       accept_stat or reject_stat
     * @param low        mismatch low, or auth_stat for AUTH_ERROR
     * @param high       mismatch high
     * @param results    results of SUCCESS
     */
    public record Reply(int xid, int replyStat, int stat, int low, int high, byte[] results) {
        public boolean success() {
            return replyStat == 0 && stat == 0;
        }

        public XdrDecoder decoder() {
            return new XdrDecoder(Unpooled.wrappedBuffer(results));
        }
    }

    private final Socket socket;
    private final DataOutputStream out;
    private final Map<Integer, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextXid = new AtomicInteger(1);
    /** xids in the order their replies arrived. */
    public final List<Integer> arrivalOrder = new CopyOnWriteArrayList<>();
    /** Every reply, in arrival order. */
    public final List<Reply> replies = new CopyOnWriteArrayList<>();

    private final Thread reader;

    public RpcTestClient(InetSocketAddress server) throws IOException {
        socket = new Socket(server.getAddress(), server.getPort());
        socket.setTcpNoDelay(true);
        out = new DataOutputStream(socket.getOutputStream());
        DataInputStream in = new DataInputStream(socket.getInputStream());
        reader = Thread.ofPlatform().daemon().name("rpc-test-reader").start(() -> read(in));
    }

    public int nextXid() {
        return nextXid.getAndIncrement();
    }

    /** The body of an AUTH_SYS credential. */
    public static byte[] authSys(int stamp, String machine, int uid, int gid, int... gids) {
        return ByteBufUtil.getBytes(new XdrEncoder()
                .writeInt(stamp)
                .writeString(machine, 10_000)
                .writeInt(uid)
                .writeInt(gid)
                .writeIntArray(gids, 10_000)
                .buffer());
    }

    /** A call message (without record mark). */
    public static byte[] callMessage(int xid, int prog, int vers, int proc, int credFlavor, byte[] cred, byte[] args) {
        XdrEncoder e = new XdrEncoder()
                .writeInt(xid)
                .writeEnum(0)
                .writeInt(2)
                .writeInt(prog)
                .writeInt(vers)
                .writeInt(proc)
                .writeEnum(credFlavor)
                .writeOpaque(cred, 10_000)
                .writeEnum(0)
                .writeOpaque(new byte[0], 400);
        e.buffer().writeBytes(args);
        return ByteBufUtil.getBytes(e.buffer());
    }

    public CompletableFuture<Reply> call(int prog, int vers, int proc, byte[] args) throws IOException {
        return call(nextXid(), prog, vers, proc, OpaqueAuth.AUTH_NONE, new byte[0], args);
    }

    public CompletableFuture<Reply> call(
            int xid, int prog, int vers, int proc, int credFlavor, byte[] cred, byte[] args) throws IOException {
        return send(xid, callMessage(xid, prog, vers, proc, credFlavor, cred, args));
    }

    /** Sends a record and waits for the reply with {@code xid}. */
    public CompletableFuture<Reply> send(int xid, byte[] message) throws IOException {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        pending.put(xid, f);
        synchronized (out) {
            out.writeInt(0x8000_0000 | message.length);
            out.write(message);
            out.flush();
        }
        return f;
    }

    /** Writes raw bytes (records of our own making). */
    public void sendRaw(byte[] bytes) throws IOException {
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    /** Waits for the reply with {@code xid} without sending anything. */
    public CompletableFuture<Reply> expect(int xid) {
        return pending.computeIfAbsent(xid, x -> new CompletableFuture<>());
    }

    /** The replies with {@code xid} received so far, waiting up to 5 s for there to be {@code count}. */
    public List<Reply> repliesTo(int xid, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<Reply> found;
        do {
            found = replies.stream().filter(r -> r.xid() == xid).toList();
            if (found.size() >= count) {
                break;
            }
            Thread.sleep(5);
        } while (System.nanoTime() < deadline);
        return found;
    }

    public boolean isClosedByServer() {
        return !reader.isAlive();
    }

    private void read(DataInputStream in) {
        try {
            while (true) {
                ByteBuf record = Unpooled.buffer();
                boolean last;
                do {
                    int header = in.readInt();
                    last = header < 0;
                    byte[] fragment = new byte[header & 0x7FFF_FFFF];
                    in.readFully(fragment);
                    record.writeBytes(fragment);
                } while (!last);
                Reply reply = parse(new XdrDecoder(record));
                arrivalOrder.add(reply.xid());
                replies.add(reply);
                CompletableFuture<Reply> f = pending.remove(reply.xid());
                if (f != null) {
                    f.complete(reply);
                }
            }
        } catch (EOFException e) {
            pending.values().forEach(f -> f.completeExceptionally(e));
        } catch (IOException e) {
            pending.values().forEach(f -> f.completeExceptionally(e));
        }
    }

    private static Reply parse(XdrDecoder in) {
        int xid = in.readInt();
        if (in.readEnum() != 1) {
            throw new IllegalStateException("not a reply");
        }
        int replyStat = in.readEnum();
        if (replyStat == 0) {
            in.readEnum();
            in.readOpaque(400);
            int stat = in.readEnum();
            if (stat == 2) {
                return new Reply(xid, 0, stat, in.readInt(), in.readInt(), new byte[0]);
            }
            byte[] results = new byte[in.remaining()];
            for (int i = 0; i < results.length; i += 4) {
                int v = in.readInt();
                results[i] = (byte) (v >>> 24);
                results[i + 1] = (byte) (v >>> 16);
                results[i + 2] = (byte) (v >>> 8);
                results[i + 3] = (byte) v;
            }
            return new Reply(xid, 0, stat, 0, 0, results);
        }
        int stat = in.readEnum();
        return stat == 0
                ? new Reply(xid, 1, 0, in.readInt(), in.readInt(), new byte[0])
                : new Reply(xid, 1, 1, in.readEnum(), 0, new byte[0]);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
