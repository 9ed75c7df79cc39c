package dev.sgw.nfs.rpc;

import java.net.InetAddress;

import dev.sgw.nfs.rpc.DuplicateRequestCache.Key;
import dev.sgw.nfs.rpc.DuplicateRequestCache.Lookup;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicateRequestCacheTest {
    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

    private static Key key(int xid, byte... args) {
        return Key.of(
                CLIENT,
                new RpcCall(
                        xid, 100003, 3, 8, Credential.None.INSTANCE, OpaqueAuth.NONE, Unpooled.wrappedBuffer(args)));
    }

    @Test
    void argumentsAreHashedWithoutBeingConsumed() {
        RpcCall call = new RpcCall(
                1, 100003, 3, 8, Credential.None.INSTANCE, OpaqueAuth.NONE, Unpooled.wrappedBuffer(new byte[] {1, 2}));
        Key k = Key.of(CLIENT, call);
        assertThat(call.args().readableBytes()).isEqualTo(2);
        assertThat(k).isEqualTo(key(1, (byte) 1, (byte) 2));
        assertThat(k).isNotEqualTo(key(1, (byte) 1, (byte) 3));
        assertThat(k).isNotEqualTo(key(2, (byte) 1, (byte) 2));
    }

    @Test
    void inProgressEntriesOutliveEvictionAndDoneOnesGoLeastRecentlyUsedFirst() throws Exception {
        DuplicateRequestCache cache = new DuplicateRequestCache(2);
        assertThat(cache.begin(key(1))).isInstanceOf(Lookup.Execute.class);
        assertThat(cache.begin(key(2))).isInstanceOf(Lookup.Execute.class);
        assertThat(cache.begin(key(3))).isInstanceOf(Lookup.Execute.class);
        Lookup waiting = cache.begin(key(1));
        assertThat(waiting).isInstanceOf(Lookup.Duplicate.class);
        assertThat(((Lookup.Duplicate) waiting).reply()).isNotDone();
        cache.complete(key(2), new byte[] {2}); // 3 entries, capacity 2: key 2 is the only DONE one, and goes
        assertThat(cache.size()).isEqualTo(2);
        cache.complete(key(1), new byte[] {1});
        assertThat(((Lookup.Duplicate) waiting).reply().get()).containsExactly(1);
        cache.complete(key(3), new byte[] {3});
        assertThat(cache.begin(key(2))).as("evicted, so it runs again").isInstanceOf(Lookup.Execute.class);
        assertThat(cache.duplicates()).isEqualTo(1);
    }
}
