package dev.sgw.nfs.rpc;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * Replies to calls that must not run twice (a retransmitted CREATE, REMOVE, RENAME... would otherwise fail
 * or do harm the second time), keyed by client address, xid, program, version, procedure and a checksum of
 * the arguments. The first arrival runs; a retransmission waits for it and gets the same reply bytes.
 *
 * <pre>
 * state        | event                          | next         | effect
 * -------------+--------------------------------+--------------+-----------------------------------------
 * (absent)     | begin                          | IN_PROGRESS  | caller executes the call
 * IN_PROGRESS  | begin (retransmission)         | IN_PROGRESS  | caller waits for the reply
 * IN_PROGRESS  | complete(reply)                | DONE         | waiters get the reply
 * DONE         | begin (retransmission)         | DONE         | caller sends the kept reply again
 * DONE         | more than capacity entries     | (absent)     | least recently used DONE entries go first
 * </pre>
 *
 * In-progress entries are never evicted (there are at most as many as calls in flight). The client's port
 * is not part of the key: a client that reconnects from another port retransmits on the new connection.
 */
public final class DuplicateRequestCache {

    /** Where an entry is in its life. */
    enum State {
        IN_PROGRESS,
        DONE
    }

    /**
     * What identifies a call for retransmission purposes.
     *
     * @param client     the client's IP address
     * @param xid        transaction id
     * @param program    program number
     * @param version    program version
     * @param procedure  procedure number
     * @param argsLength length of the arguments
     * @param argsCrc    CRC-32C of the arguments
     */
    public record Key(
            InetAddress client, int xid, int program, int version, int procedure, int argsLength, long argsCrc) {

        /** The key of {@code call} from {@code client}; reads the arguments without consuming them. */
        public static Key of(InetAddress client, RpcCall call) {
            CRC32C crc = new CRC32C();
            for (ByteBuffer b : call.args().nioBuffers()) {
                crc.update(b);
            }
            return new Key(
                    client,
                    call.xid(),
                    call.program(),
                    call.version(),
                    call.procedure(),
                    call.args().readableBytes(),
                    crc.getValue());
        }
    }

    /** The answer of {@link #begin}. */
    public sealed interface Lookup {
        /** A first arrival: run the call, then {@link #complete} it. */
        record Execute() implements Lookup {}

        /** A retransmission: send these reply bytes when they are known. */
        record Duplicate(CompletableFuture<byte[]> reply) implements Lookup {}
    }

    private static final class Entry {
        State state = State.IN_PROGRESS;
        final CompletableFuture<byte[]> reply = new CompletableFuture<>();
    }

    private final int capacity;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private final AtomicLong duplicates = new AtomicLong();

    /** @param capacity how many completed replies to keep */
    public DuplicateRequestCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
    }

    /** Registers a call; says whether to run it or which earlier reply to wait for. */
    public synchronized Lookup begin(Key key) {
        Entry e = entries.get(key);
        if (e != null) {
            duplicates.incrementAndGet();
            return new Lookup.Duplicate(e.reply.copy());
        }
        entries.put(key, new Entry());
        return new Lookup.Execute();
    }

    /** Records the reply of a call that {@link #begin} said to run, and hands it to those waiting. */
    public void complete(Key key, byte[] reply) {
        Entry e;
        synchronized (this) {
            e = entries.get(key);
            if (e == null || e.state != State.IN_PROGRESS) {
                throw new IllegalStateException("no call in progress for " + key);
            }
            e.state = State.DONE;
            evict();
        }
        e.reply.complete(reply.clone());
    }

    /** Retransmissions seen so far. */
    public long duplicates() {
        return duplicates.get();
    }

    /** Entries held, in progress or done. */
    public synchronized int size() {
        return entries.size();
    }

    private void evict() {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (entries.size() > capacity && it.hasNext()) {
            if (it.next().getValue().state == State.DONE) {
                it.remove();
            }
        }
    }
}
