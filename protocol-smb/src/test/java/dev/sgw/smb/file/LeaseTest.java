package dev.sgw.smb.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.core.sharing.FileOpen;
import dev.sgw.core.sharing.FileProtocol;
import dev.sgw.core.sharing.ShareAccess;
import dev.sgw.core.sharing.StateOwner;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Leases and oplocks of CREATE, their break notifications and acknowledgments (MS-SMB2 3.3.5.9.8, 3.3.5.22). */
class LeaseTest {
    private static final int OPEN_IF = 3, OVERWRITE_IF = 5;
    private static final int R = 1, H = 2, W = 4;
    private static final int LEVEL_II = 1, LEVEL_BATCH = 9, LEVEL_LEASE = 0xFF;

    private DiskTreeCommands commands;
    private MemoryFileVolume memory;
    private TestClient one;
    private TestClient two;

    @BeforeEach
    void setUp() {
        commands = new DiskTreeCommands();
        memory = TestClient.volume();
        one = new TestClient(commands, memory, 1, 1000);
        two = new TestClient(commands, memory, 2, 1000);
        one.sharing.breakTimeout(Duration.ofSeconds(10));
    }

    private static byte[] key(int n) {
        byte[] k = new byte[16];
        k[0] = (byte) n;
        k[15] = (byte) 0xA5;
        return k;
    }

    /** An RqLs v2 context's data (MS-SMB2 2.2.13.2.10). */
    private static byte[] leaseV2(byte[] key, int state, int epoch) {
        ByteBuffer b = ByteBuffer.allocate(52).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(key).putInt(state).putInt(0).putLong(0).put(new byte[16]).putShort((short) epoch);
        return b.array();
    }

    /** An RqLs v1 context's data (MS-SMB2 2.2.13.2.8). */
    private static byte[] leaseV1(byte[] key, int state) {
        ByteBuffer b = ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(key).putInt(state).putInt(0).putLong(0);
        return b.array();
    }

    private static TestClient.Answer leased(TestClient c, String name, byte[] key, int state) throws Exception {
        return c.createCaching(
                name, TestClient.READ_WRITE, OPEN_IF, LEVEL_LEASE, Map.of("RqLs", leaseV2(key, state, 7)));
    }

    private static int grantedState(TestClient.Answer a) {
        return TestClient.responseContext(a, "RqLs").getIntLE(16);
    }

    private static int grantedEpoch(TestClient.Answer a) {
        return TestClient.responseContext(a, "RqLs").getUnsignedShortLE(48);
    }

    @Test
    void aLeaseIsGrantedAndSharedByItsKey() throws Exception {
        TestClient.Answer first = leased(one, "f", key(1), R | W | H);
        assertThat(first.status()).isZero();
        assertThat(first.body().getByte(2) & 0xFF).as("OplockLevel").isEqualTo(LEVEL_LEASE);
        assertThat(grantedState(first)).isEqualTo(R | W | H);
        assertThat(grantedEpoch(first)).as("the client's epoch + 1").isEqualTo(8);
        assertThat(TestClient.responseContext(first, "RqLs").readableBytes()).isEqualTo(52);

        TestClient.Answer second = leased(one, "f", key(1), R | W | H);
        assertThat(grantedState(second)).isEqualTo(R | W | H);
        assertThat(one.sharing.leases(memory.lookup(memory.root(), "f").inode()))
                .hasSize(1);
        assertThat(one.notified).as("its own key's open breaks nothing").isEmpty();

        TestClient.Answer v1 = one.createCaching(
                "g", TestClient.READ_WRITE, OPEN_IF, LEVEL_LEASE, Map.of("RqLs", leaseV1(key(2), R | H)));
        assertThat(TestClient.responseContext(v1, "RqLs").readableBytes()).isEqualTo(32);
        assertThat(grantedState(v1)).isEqualTo(R | H);
        assertThat(leased(one, "g", key(1), R).status())
                .as("a key of another file")
                .isEqualTo(NtStatus.INVALID_PARAMETER);
    }

    @Test
    void aLeaseIsUpgradedOnlyToASupersetAndDirectoriesGetNone() throws Exception {
        assertThat(grantedState(leased(one, "f", key(1), R | H))).isEqualTo(R | H);
        assertThat(grantedState(leased(one, "f", key(1), R | W)))
                .as("not a superset")
                .isEqualTo(R | H);
        assertThat(grantedState(leased(one, "f", key(1), R | W | H))).isEqualTo(R | W | H);
        assertThat(grantedState(leased(one, "f", key(1), R)))
                .as("never lowered")
                .isEqualTo(R | W | H);

        TestClient.Answer dir = one.createCaching(
                "d", TestClient.READ_WRITE, 2, 1, LEVEL_LEASE, Map.of("RqLs", leaseV2(key(3), R | H, 0)));
        assertThat(dir.status()).isZero();
        assertThat(dir.body().getByte(2)).as("OplockLevel none").isZero();
        assertThat(TestClient.responseContext(dir, "RqLs")).isNull();
    }

    @Test
    void anotherOpenBreaksWriteCachingAndWaitsForTheAcknowledgment() throws Exception {
        leased(one, "f", key(1), R | W | H);
        TestClient.Answer pending = two.create("f", TestClient.READ_WRITE, 7, OPEN_IF, 0);
        assertThat(pending.status()).as("an interim answer").isEqualTo(NtStatus.PENDING);
        CompletableFuture<SmbResponse> opening = pending.response().later();
        waitForNotice(one, 1);
        ByteBuf notice = one.notified.get(0);
        assertThat(notice.getUnsignedShortLE(0)).as("StructureSize").isEqualTo(44);
        assertThat(notice.getUnsignedShortLE(2)).as("NewEpoch").isEqualTo(9);
        assertThat(notice.getIntLE(4)).as("Flags: ACK_REQUIRED").isEqualTo(1);
        byte[] k = new byte[16];
        notice.getBytes(8, k);
        assertThat(k).isEqualTo(key(1));
        assertThat(notice.getIntLE(24)).as("CurrentLeaseState").isEqualTo(R | W | H);
        assertThat(notice.getIntLE(28)).as("NewLeaseState").isEqualTo(R | H);
        Thread.sleep(200);
        assertThat(opening).as("the open waits for the acknowledgment").isNotDone();

        assertThat(one.acknowledgeLease(key(1), R | H | W).status()).isEqualTo(NtStatus.REQUEST_NOT_ACCEPTED);
        TestClient.Answer ack = one.acknowledgeLease(key(1), R | H);
        assertThat(ack.status()).isZero();
        assertThat(ack.body().getUnsignedShortLE(0)).isEqualTo(36);
        assertThat(ack.body().getIntLE(24)).isEqualTo(R | H);
        assertThat(two.await(pending).status()).isZero();
        assertThat(one.acknowledgeLease(key(1), R).status()).as("no break runs").isEqualTo(NtStatus.UNSUCCESSFUL);
        assertThat(one.acknowledgeLease(key(9), R).status()).isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
    }

    @Test
    void aBatchOplockBreaksToLevelTwoThenToNoneOnAWrite() throws Exception {
        TestClient.Answer batch = one.createCaching("f", TestClient.READ_WRITE, OPEN_IF, LEVEL_BATCH, Map.of());
        assertThat(batch.body().getByte(2) & 0xFF).isEqualTo(LEVEL_BATCH);
        FileId held = batch.fileId();
        TestClient.Answer pending = two.createCaching("f", TestClient.READ_WRITE, OPEN_IF, LEVEL_II, Map.of());
        assertThat(pending.status()).isEqualTo(NtStatus.PENDING);
        CompletableFuture<SmbResponse> opening = pending.response().later();
        waitForNotice(one, 1);
        ByteBuf notice = one.notified.get(0);
        assertThat(notice.getUnsignedShortLE(0)).isEqualTo(24);
        assertThat(notice.getByte(2) & 0xFF).as("to level II").isEqualTo(LEVEL_II);
        assertThat(FileId.get(notice, 8)).isEqualTo(held);
        assertThat(opening).isNotDone();
        TestClient.Answer ack = one.acknowledgeOplock(held, LEVEL_II);
        assertThat(ack.status()).isZero();
        assertThat(ack.body().getByte(2) & 0xFF).isEqualTo(LEVEL_II);
        TestClient.Answer second = two.await(pending);
        assertThat(second.body().getByte(2) & 0xFF)
                .as("level II beside another open that may write, as Windows grants it")
                .isEqualTo(LEVEL_II);

        two.write(second.fileId(), 0, "x".getBytes(StandardCharsets.UTF_8));
        assertThat(one.notified).hasSize(2);
        assertThat(one.notified.get(1).getByte(2) & 0xFF).as("to none, no ack").isEqualTo(0);
        assertThat(one.acknowledgeOplock(held, 0).status()).isEqualTo(NtStatus.INVALID_OPLOCK_PROTOCOL);
    }

    @Test
    void aShareModeConflictBreaksOnlyHandleCachingThenFails() throws Exception {
        FileId exclusive = one.createCaching("e", TestClient.READ_WRITE, OPEN_IF, 8, Map.of())
                .fileId();
        TestClient.Answer refused = two.create("e", TestClient.READ_WRITE, 0, OPEN_IF, 0);
        assertThat(
                        refused.response() != null && refused.response().isAsync()
                                ? two.await(refused).status()
                                : refused.status())
                .isEqualTo(NtStatus.SHARING_VIOLATION);
        assertThat(one.notified)
                .as("an exclusive oplock caches no handle: no break")
                .isEmpty();
        one.close(exclusive, 0);

        FileId batch = one.createCaching("f", TestClient.READ_WRITE, OPEN_IF, LEVEL_BATCH, Map.of())
                .fileId();
        TestClient.Answer pending = two.create("f", TestClient.READ_WRITE, 0, OPEN_IF, 0);
        waitForNotice(one, 1);
        assertThat(one.notified.get(0).getByte(2))
                .as("batch breaks to level II")
                .isEqualTo((byte) LEVEL_II);
        assertThat(one.acknowledgeOplock(batch, LEVEL_II).status()).isZero();
        assertThat(two.await(pending).status()).isEqualTo(NtStatus.SHARING_VIOLATION);
        assertThat(one.notified).hasSize(1);
    }

    @Test
    void anOverwriteBreaksReadCaching() throws Exception {
        leased(one, "f", key(1), R | H);
        TestClient.Answer over = two.create("f", TestClient.READ_WRITE, 7, OVERWRITE_IF, 0);
        assertThat(over.status()).isEqualTo(NtStatus.PENDING);
        waitForNotice(one, 1);
        assertThat(one.notified.get(0).getIntLE(24)).isEqualTo(R | H);
        assertThat(one.notified.get(0).getIntLE(28))
                .as("a write leaves nothing")
                .isEqualTo(0);
        assertThat(one.acknowledgeLease(key(1), 0).status()).isZero();
        assertThat(two.await(over).status()).isZero();
    }

    @Test
    void anNfsWriterBreaksAnSmbLeaseBeforeItsOpenCompletes() throws Exception {
        leased(one, "f", key(1), R | W | H);
        long inode = memory.lookup(memory.root(), "f").inode();
        StateOwner nfs = StateOwner.of(FileProtocol.NFS, 77, 1L);
        CompletableFuture<FileOpen> opening =
                CompletableFuture.supplyAsync(() -> call(() -> one.sharing.openBreakingLeases(
                        inode, nfs, null, ShareAccess.READ | ShareAccess.WRITE, 0, Duration.ofSeconds(10))));
        waitForNotice(one, 1);
        assertThat(one.notified.get(0).getIntLE(28)).isEqualTo(R | H);
        Thread.sleep(200);
        assertThat(opening).isNotDone();
        assertThat(one.acknowledgeLease(key(1), R | H).status()).isZero();
        assertThat(opening.get(5, TimeUnit.SECONDS).isOpen()).isTrue();
    }

    @Test
    void closingTheLastOpenReleasesTheLease() throws Exception {
        FileId a = leased(one, "f", key(1), R | W | H).fileId();
        FileId b = leased(one, "f", key(1), R | W | H).fileId();
        long inode = memory.lookup(memory.root(), "f").inode();
        one.close(a, 0);
        assertThat(one.sharing.leases(inode)).hasSize(1);
        one.close(b, 0);
        assertThat(one.sharing.leases(inode)).isEmpty();
        FileId c = one.createCaching("f", TestClient.READ_WRITE, OPEN_IF, LEVEL_BATCH, Map.of())
                .fileId();
        assertThat(one.sharing.leases(inode)).hasSize(1);
        one.close(c, 0);
        assertThat(one.sharing.leases(inode)).isEmpty();
    }

    private static void waitForNotice(TestClient c, int count) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (c.notified.size() < count && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(c.notified).hasSizeGreaterThanOrEqualTo(count);
    }

    interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
