package dev.sgw.smb.file;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durable handles (MS-SMB2 3.3.5.9.6, .7, .10, .12): which opens get durability, an open that outlives its
 * connection with its share mode, locks, lease and position, the reconnect's checks, what closes a
 * disconnected open early or late, replayed CREATEs and LOCKs. A lost connection is the tree's end with
 * durable opens kept, as the dispatcher ends it; the client that comes back is another connection.
 */
class DurableHandleTest {
    private static final int OPEN = 1, CREATE = 2, OPEN_IF = 3;
    private static final int R = 1, H = 2, W = 4;
    private static final int LEVEL_II = 1, LEVEL_BATCH = 9, LEVEL_LEASE = 0xFF;
    private static final int SHARE_NONE = 0;
    private static final int DELETE_ON_CLOSE = 0x1000;
    private static final byte[] GUID_A = guid(0xA), GUID_B = guid(0xB);

    private DiskTreeCommands commands;
    private MemoryFileVolume memory;
    private TestClient one;
    private TestClient two;
    private TestClient back;

    @BeforeEach
    void setUp() {
        commands = new DiskTreeCommands();
        memory = TestClient.volume();
        one = new TestClient(commands, memory, 1, 1000);
        two = new TestClient(commands, memory, 2, 1000);
        back = new TestClient(commands, memory, 3, 1000);
        one.clientGuid = GUID_A;
        back.clientGuid = GUID_A;
        two.clientGuid = GUID_B;
        one.sharing.breakTimeout(Duration.ofSeconds(10));
    }

    private static byte[] guid(int n) {
        byte[] g = new byte[16];
        g[0] = (byte) n;
        g[15] = (byte) 0x5A;
        return g;
    }

    private static Map<String, byte[]> contexts(Object... nameThenData) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenData.length; i += 2) {
            m.put((String) nameThenData[i], (byte[]) nameThenData[i + 1]);
        }
        return m;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] dhnq() {
        return new byte[16];
    }

    private static byte[] dh2q(int timeout, int flags, byte[] createGuid) {
        return le(32).putInt(timeout).putInt(flags).putLong(0).put(createGuid).array();
    }

    private static byte[] dhnc(FileId id) {
        return le(16).putLong(id.persistent()).putLong(id.volatileId()).array();
    }

    private static byte[] dh2c(FileId id, byte[] createGuid) {
        return le(36).putLong(id.persistent())
                .putLong(id.volatileId())
                .put(createGuid)
                .putInt(0)
                .array();
    }

    private static byte[] lease(int key, int state) {
        return le(52).put(guid(key))
                .putInt(state)
                .putInt(0)
                .putLong(0)
                .put(new byte[16])
                .putShort((short) 0)
                .putShort((short) 0)
                .array();
    }

    private static TestClient.Answer batch(TestClient c, String name, int share, Map<String, byte[]> contexts)
            throws Exception {
        return c.createCaching(name, TestClient.READ_WRITE, share, OPEN_IF, 0, LEVEL_BATCH, contexts);
    }

    private static TestClient.Answer reconnect(TestClient c, String name, Map<String, byte[]> contexts)
            throws Exception {
        // a reconnect's other fields are ignored: these would fail an ordinary CREATE
        return c.createCaching(name, 0x12345678, 0x12345678, 0x12345678, 0x12345678, 0x78, contexts);
    }

    private static int oplockLevel(TestClient.Answer a) {
        return a.body().getByte(2) & 0xFF;
    }

    private static int createAction(TestClient.Answer a) {
        return a.body().getIntLE(4);
    }

    private long inode(String name) throws Exception {
        return memory.lookup(memory.root(), name).inode();
    }

    /** The connection of {@code c} is lost: its tree ends, durable opens kept (as the dispatcher does). */
    private void lose(TestClient c) {
        commands.treeGone(c.tree, true);
    }

    @Test
    void durabilityNeedsABatchOplockOrAHandleLease() throws Exception {
        TestClient.Answer b = batch(one, "b", SHARE_NONE, contexts("DHnQ", dhnq()));
        assertThat(oplockLevel(b)).isEqualTo(LEVEL_BATCH);
        assertThat(TestClient.responseContext(b, "DHnQ").readableBytes()).isEqualTo(8);

        TestClient.Answer ii = one.createCaching(
                "ii", TestClient.READ_WRITE, TestClient.SHARE_ALL, OPEN_IF, 0, LEVEL_II, contexts("DHnQ", dhnq()));
        assertThat(oplockLevel(ii)).isEqualTo(LEVEL_II);
        assertThat(TestClient.responseContext(ii, "DHnQ"))
                .as("level II is no batch")
                .isNull();

        TestClient.Answer rh = one.createCaching(
                "rh",
                TestClient.READ_WRITE,
                SHARE_NONE,
                OPEN_IF,
                0,
                LEVEL_LEASE,
                contexts("RqLs", lease(1, R | H), "DHnQ", dhnq()));
        assertThat(TestClient.responseContext(rh, "DHnQ")).isNotNull();

        TestClient.Answer rw = one.createCaching(
                "rw",
                TestClient.READ_WRITE,
                SHARE_NONE,
                OPEN_IF,
                0,
                LEVEL_LEASE,
                contexts("RqLs", lease(2, R | W), "DHnQ", dhnq()));
        assertThat(TestClient.responseContext(rw, "RqLs").getIntLE(16)).isEqualTo(R | W);
        assertThat(TestClient.responseContext(rw, "DHnQ"))
                .as("no handle caching")
                .isNull();
        assertThat(commands.durableCount()).isEqualTo(2);
    }

    @Test
    void dh2qAnswersItsTimeoutCappedAtFiveMinutesAndNeverPersistent() throws Exception {
        ByteBuf zero = TestClient.responseContext(batch(one, "a", 7, contexts("DH2Q", dh2q(0, 0, guid(1)))), "DH2Q");
        assertThat(zero.getIntLE(0)).as("the default").isEqualTo(60_000);
        ByteBuf most = TestClient.responseContext(batch(one, "b", 7, contexts("DH2Q", dh2q(-1, 0, guid(2)))), "DH2Q");
        assertThat(most.getIntLE(0)).isEqualTo(300_000);
        ByteBuf persistent =
                TestClient.responseContext(batch(one, "c", 7, contexts("DH2Q", dh2q(1_000, 2, guid(3)))), "DH2Q");
        assertThat(persistent.getIntLE(0)).isEqualTo(1_000);
        assertThat(persistent.getIntLE(4)).as("Flags: not persistent").isZero();
    }

    @Test
    void durableRequestsAndReconnectsTogetherAreInvalid() throws Exception {
        FileId someId = new FileId(5, 5);
        assertThat(batch(one, "f", 7, contexts("DHnQ", dhnq(), "DH2Q", dh2q(0, 0, guid(1))))
                        .status())
                .isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(reconnect(one, "f", contexts("DH2C", dh2c(someId, guid(1)), "DHnQ", dhnq()))
                        .status())
                .isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(reconnect(one, "f", contexts("DHnC", dhnc(someId), "DH2C", dh2c(someId, guid(1))))
                        .status())
                .isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(batch(one, "f", 7, contexts("DHnQ", new byte[8])).status())
                .as("a DHnQ of 8 bytes")
                .isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(reconnect(one, "f", contexts("DHnC", dhnc(someId))).status())
                .as("no such open")
                .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
    }

    @Test
    void aDurableOpenOutlivesItsConnectionWithItsLockAndPositionAndComesBack() throws Exception {
        TestClient.Answer opened = batch(one, "f", SHARE_NONE, contexts("DHnQ", dhnq()));
        FileId id = opened.fileId();
        assertThat(one.write(id, 0, new byte[] {1, 2, 3}).status()).isZero();
        assertThat(one.setInfo(id, 1, 14, 0, le(8).putLong(0x1000).array()).status())
                .isZero();
        assertThat(one.lock(id, new TestClient.LockElement(0, 10, LockCommand.EXCLUSIVE | LockCommand.FAIL_IMMEDIATELY))
                        .status())
                .isZero();

        lose(one);
        long inode = inode("f");
        assertThat(one.sharing.opens(inode)).as("its share mode is kept").hasSize(1);
        assertThat(one.sharing.lockCount(inode)).as("its lock is kept").isEqualTo(1);
        assertThat(back.queryInfo(id, 1, 14, 8, 0).status())
                .as("the old handle is no open of the new tree")
                .isEqualTo(NtStatus.FILE_CLOSED);

        TestClient.Answer again = reconnect(back, "ignored name", contexts("DHnC", dhnc(id), "DHnQ", dhnq()));
        assertThat(again.statusName()).isEqualTo("SUCCESS");
        assertThat(createAction(again)).isEqualTo(CreateResponse.ACTION_OPENED);
        assertThat(oplockLevel(again)).isEqualTo(LEVEL_BATCH);
        assertThat(TestClient.responseContext(again, "DHnQ"))
                .as("no durable context on a reconnect")
                .isNull();
        FileId newId = again.fileId();
        assertThat(newId.persistent()).isEqualTo(id.persistent());
        assertThat(newId.volatileId()).isNotEqualTo(id.volatileId());
        assertThat(back.queryInfo(newId, 1, 14, 8, 0).body().getLongLE(8))
                .as("the position the client set")
                .isEqualTo(0x1000);
        assertThat(back.lock(newId, new TestClient.LockElement(0, 10, LockCommand.UNLOCK))
                        .status())
                .as("its lock came back with it")
                .isZero();
        assertThat(reconnect(back, "f", contexts("DHnC", dhnc(id))).status())
                .as("connected again")
                .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
        assertThat(back.close(newId, 0).status()).isZero();
        assertThat(one.sharing.opens(inode)).isEmpty();
        assertThat(commands.durableCount()).isZero();
    }

    @Test
    void onlyADisconnectedOpenOfTheSameUserComesBack() throws Exception {
        FileId id = batch(one, "f", SHARE_NONE, contexts("DHnQ", dhnq())).fileId();
        assertThat(reconnect(back, "f", contexts("DHnC", dhnc(id))).status())
                .as("still connected")
                .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);

        lose(one);
        back.user = "mallory";
        assertThat(reconnect(back, "f", contexts("DHnC", dhnc(id))).status()).isEqualTo(NtStatus.ACCESS_DENIED);
        back.user = "user";
        assertThat(reconnect(back, "f", contexts("DH2C", dh2c(id, guid(9)))).status())
                .as("a v1 open's CreateGuid is zeros")
                .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
        TestClient.Answer again = reconnect(back, "f", contexts("DH2C", dh2c(id, new byte[16])));
        assertThat(again.status()).isZero();

        commands.treeGone(back.tree, false);
        assertThat(commands.openCount())
                .as("TREE_DISCONNECT closes durable opens")
                .isZero();
        assertThat(reconnect(two, "f", contexts("DHnC", dhnc(again.fileId()))).status())
                .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
    }

    @Test
    void aLeasedOpenComesBackOnlyToItsClientWithItsKeyAndName() throws Exception {
        TestClient.Answer opened = one.createCaching(
                "f",
                TestClient.READ_WRITE,
                SHARE_NONE,
                OPEN_IF,
                0,
                LEVEL_LEASE,
                contexts("RqLs", lease(1, R | W | H), "DH2Q", dh2q(0, 0, guid(7))));
        FileId id = opened.fileId();
        lose(one);

        assertThat(reconnect(two, "f", contexts("DH2C", dh2c(id, guid(7)), "RqLs", lease(1, 0)))
                        .status())
                .as("another client's")
                .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
        assertThat(reconnect(back, "f", contexts("DH2C", dh2c(id, guid(7)))).status())
                .as("without its lease")
                .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
        assertThat(reconnect(back, "f", contexts("DH2C", dh2c(id, guid(7)), "RqLs", lease(2, 0)))
                        .status())
                .as("another key")
                .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
        assertThat(reconnect(back, "g", contexts("DH2C", dh2c(id, guid(7)), "RqLs", lease(1, 0)))
                        .status())
                .as("another name")
                .isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(reconnect(back, "f", contexts("DH2C", dh2c(id, guid(8)), "RqLs", lease(1, 0)))
                        .status())
                .as("another CreateGuid")
                .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);

        TestClient.Answer again = reconnect(back, "F", contexts("DH2C", dh2c(id, guid(7)), "RqLs", lease(1, 0)));
        assertThat(again.statusName()).isEqualTo("SUCCESS");
        assertThat(oplockLevel(again)).isEqualTo(LEVEL_LEASE);
        assertThat(TestClient.responseContext(again, "RqLs").getIntLE(16))
                .as("the lease it holds, whatever the reconnect asks")
                .isEqualTo(R | W | H);
        assertThat(TestClient.responseContext(again, "DH2Q")).isNull();

        TestClient.Answer other = two.create("f", TestClient.READ_WRITE, TestClient.SHARE_ALL, OPEN_IF, 0);
        assertThat(other.status()).as("breaks the reattached lease").isEqualTo(NtStatus.PENDING);
        waitFor(() -> !back.notified.isEmpty());
        assertThat(back.notified.getFirst().getUnsignedShortLE(0))
                .as("the break goes to the new connection")
                .isEqualTo(44);
        back.acknowledgeLease(guid(1), back.notified.getFirst().getIntLE(28));
        assertThat(two.await(other).statusName()).as("share mode none kept").isEqualTo("SHARING_VIOLATION");
    }

    @Test
    void anotherClientsOpenPurgesADisconnectedOpenItWouldBreak() throws Exception {
        FileId id = batch(one, "f", SHARE_NONE, contexts("DHnQ", dhnq())).fileId();
        lose(one);

        TestClient.Answer stat = two.create("f", AccessMask.FILE_READ_ATTRIBUTES, TestClient.SHARE_ALL, OPEN, 0);
        assertThat(stat.status()).as("an open for attributes breaks nothing").isZero();
        two.close(stat.fileId(), 0);
        assertThat(commands.durableCount()).isEqualTo(1);

        TestClient.Answer other = two.create("f", TestClient.READ_WRITE, TestClient.SHARE_ALL, OPEN, 0);
        assertThat(other.statusName())
                .as("neither a sharing violation nor a wait for a break the lost client cannot answer")
                .isEqualTo("SUCCESS");
        assertThat(reconnect(back, "f", contexts("DHnC", dhnc(id))).status()).isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
        assertThat(commands.durableCount()).isZero();
    }

    @Test
    void aPurgedDeleteOnCloseOpenDeletesItsFileBeforeTheOtherOpenLooks() throws Exception {
        FileId id = one.createCaching(
                        "f",
                        TestClient.READ_WRITE | AccessMask.DELETE,
                        SHARE_NONE,
                        OPEN_IF,
                        DELETE_ON_CLOSE,
                        LEVEL_BATCH,
                        contexts("DHnQ", dhnq()))
                .fileId();
        one.write(id, 0, new byte[] {9});
        lose(one);

        TestClient.Answer other = two.create("f", TestClient.READ_WRITE, SHARE_NONE, OPEN_IF, 0);
        assertThat(other.statusName()).isEqualTo("SUCCESS");
        assertThat(createAction(other)).as("a new file").isEqualTo(CreateResponse.ACTION_CREATED);
        assertThat(other.body().getLongLE(48)).as("EndOfFile").isZero();
    }

    @Test
    void aDisconnectedOpenIsClosedWhenItsTimeoutPasses() throws Exception {
        // long enough that a loaded machine still sees both kept right after the connection is lost
        commands.durableTimeout(Duration.ofSeconds(2));
        FileId id = batch(one, "f", SHARE_NONE, contexts("DHnQ", dhnq())).fileId();
        batch(one, "g", SHARE_NONE, contexts("DH2Q", dh2q(3000, 0, guid(4))));
        long f = inode("f"), g = inode("g");
        lose(one);
        assertThat(commands.openCount()).isEqualTo(2);

        waitFor(() -> commands.openCount() == 0);
        assertThat(one.sharing.opens(f)).isEmpty();
        assertThat(one.sharing.opens(g)).isEmpty();
        assertThat(reconnect(back, "f", contexts("DHnC", dhnc(id))).status()).isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
        assertThat(two.create("f", TestClient.READ_WRITE, SHARE_NONE, OPEN, 0).status())
                .isZero();
    }

    @Test
    void aReplayedCreateIsAnsweredFromItsOpenUntilTheOpenIsUsed() throws Exception {
        Map<String, byte[]> asked = contexts("DH2Q", dh2q(0, 0, guid(5)));
        TestClient.Answer first = one.createCaching("f", TestClient.READ_WRITE, 7, CREATE, 0, 0, asked);
        FileId id = first.fileId();
        assertThat(TestClient.responseContext(first, "DH2Q"))
                .as("no oplock, not durable")
                .isNull();

        one.flags = Smb2Header.FLAGS_REPLAY_OPERATION;
        TestClient.Answer replay = one.createCaching("f", TestClient.READ_WRITE, 7, CREATE, 0, 0, asked);
        assertThat(replay.statusName())
                .as("CREATE of an existing file, but a replay")
                .isEqualTo("SUCCESS");
        assertThat(replay.fileId()).isEqualTo(id);
        assertThat(createAction(replay)).isEqualTo(CreateResponse.ACTION_CREATED);

        one.flags = 0;
        assertThat(one.createCaching("f", TestClient.READ_WRITE, 7, OPEN_IF, 0, 0, asked)
                        .status())
                .as("its CreateGuid again without the replay flag")
                .isEqualTo(NtStatus.DUPLICATE_OBJECTID);

        one.queryInfo(id, 1, 14, 8, 0);
        one.flags = Smb2Header.FLAGS_REPLAY_OPERATION;
        TestClient.Answer after = one.createCaching("f", TestClient.READ_WRITE, 7, OPEN_IF, 0, 0, asked);
        assertThat(after.status()).isZero();
        assertThat(after.fileId()).as("used since: a new open").isNotEqualTo(id);
        assertThat(createAction(after)).isEqualTo(CreateResponse.ACTION_OPENED);
    }

    @Test
    void aDurableCreateReplayedGetsTheDurableContextAgain() throws Exception {
        Map<String, byte[]> asked = contexts("DH2Q", dh2q(-1, 0, guid(6)));
        FileId id = batch(one, "f", SHARE_NONE, asked).fileId();
        one.flags = Smb2Header.FLAGS_REPLAY_OPERATION;
        TestClient.Answer replay = batch(one, "f", TestClient.SHARE_ALL, asked);
        assertThat(replay.fileId()).isEqualTo(id);
        assertThat(oplockLevel(replay)).isEqualTo(LEVEL_BATCH);
        assertThat(TestClient.responseContext(replay, "DH2Q").getIntLE(0)).isEqualTo(300_000);
        assertThat(one.notified).as("nothing broken").isEmpty();
        TestClient.Answer asLease = one.createCaching(
                "f",
                TestClient.READ_WRITE,
                7,
                OPEN_IF,
                0,
                LEVEL_LEASE,
                contexts("RqLs", lease(3, R | H), "DH2Q", dh2q(-1, 0, guid(6))));
        assertThat(asLease.status()).as("a lease asked for an oplock's open").isEqualTo(NtStatus.ACCESS_DENIED);
    }

    @Test
    void aReplayedLockOfADurableOpenIsNotAppliedTwice() throws Exception {
        FileId durable = batch(one, "f", SHARE_NONE, contexts("DHnQ", dhnq())).fileId();
        TestClient.LockElement range =
                new TestClient.LockElement(0, 10, LockCommand.EXCLUSIVE | LockCommand.FAIL_IMMEDIATELY);
        int bucket1Number3 = (1 << 4) | 3;
        assertThat(one.lock(durable, bucket1Number3, range).status()).isZero();
        assertThat(one.lock(durable, bucket1Number3, range).status())
                .as("the same LOCK again")
                .isZero();
        assertThat(one.sharing.lockCount(inode("f"))).isEqualTo(1);
        assertThat(one.lock(durable, (1 << 4) | 4, range).status())
                .as("another number in the bucket is a new LOCK")
                .isEqualTo(NtStatus.LOCK_NOT_GRANTED);

        FileId plain = one.create("g", TestClient.READ_WRITE, 7, OPEN_IF, 0).fileId();
        assertThat(one.lock(plain, bucket1Number3, range).status()).isZero();
        assertThat(one.lock(plain, bucket1Number3, range).status())
                .as("an open that is not durable does not check")
                .isEqualTo(NtStatus.LOCK_NOT_GRANTED);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
