package dev.sgw.smb.file;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LockIoctlNotifyTest {
    private static final int CREATE = 2, OPEN = 1, DIRECTORY_FILE = 1;
    private static final int SHARED = 1, EXCLUSIVE = 2, UNLOCK = 4, FAIL = 0x10;

    private DiskTreeCommands commands;
    private MemoryFileVolume memory;
    private TestClient client;
    private TestClient other;

    @BeforeEach
    void setUp() {
        commands = new DiskTreeCommands();
        memory = TestClient.volume();
        client = new TestClient(commands, memory, 1, 1000);
        other = new TestClient(commands, memory, 2, 1000);
    }

    private static TestClient.LockElement el(long offset, long length, int flags) {
        return new TestClient.LockElement(offset, length, flags);
    }

    @Test
    void locksConflictAndBindIo() throws Exception {
        FileId a = client.open("f", CREATE, 0);
        client.write(a, 0, new byte[100]);
        FileId b = other.open("f", OPEN, 0);
        assertThat(client.lock(a, el(0, 10, EXCLUSIVE | FAIL)).status()).isZero();
        assertThat(other.lock(b, el(5, 10, SHARED | FAIL)).status()).isEqualTo(NtStatus.LOCK_NOT_GRANTED);
        assertThat(other.write(b, 0, new byte[1]).status()).isEqualTo(NtStatus.FILE_LOCK_CONFLICT);
        assertThat(other.read(b, 0, 1, 0).status()).isEqualTo(NtStatus.FILE_LOCK_CONFLICT);
        assertThat(client.write(a, 0, new byte[1]).status())
                .as("the holder's own I/O")
                .isZero();
        assertThat(other.lock(b, el(20, 10, EXCLUSIVE | FAIL), el(5, 1, EXCLUSIVE | FAIL))
                        .status())
                .isEqualTo(NtStatus.LOCK_NOT_GRANTED);
        assertThat(client.lock(a, el(20, 10, EXCLUSIVE | FAIL)).status())
                .as("the failed pair took nothing")
                .isZero();
        assertThat(client.lock(a, el(50, 1, UNLOCK)).status()).isEqualTo(NtStatus.RANGE_NOT_LOCKED);
        assertThat(client.lock(a, el(0, 10, UNLOCK), el(20, 10, UNLOCK)).status())
                .isZero();
        assertThat(other.write(b, 0, new byte[1]).status()).isZero();
        assertThat(client.lock(a, el(0, 1, SHARED | EXCLUSIVE)).status()).isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(client.lock(a, el(0, 1, SHARED), el(2, 1, SHARED)).status()).isEqualTo(NtStatus.INVALID_PARAMETER);
    }

    @Test
    void windowsLockRules() throws Exception {
        FileId a = client.open("f", CREATE, 0);
        client.write(a, 0, new byte[10]);
        assertThat(client.lock(a, el(-1L, -1L, EXCLUSIVE | FAIL)).status()).isEqualTo(NtStatus.INVALID_LOCK_RANGE);
        assertThat(client.lock(a, el(0, 5, SHARED | FAIL)).status()).isZero();
        assertThat(client.write(a, 0, new byte[1]).status())
                .as("a shared lock stops its own open's writes")
                .isEqualTo(NtStatus.FILE_LOCK_CONFLICT);
        assertThat(client.read(a, 0, 1, 0).status()).isZero();
        assertThat(client.lock(a, el(0, 5, EXCLUSIVE)).status())
                .as("a wait only the waiting open could end fails at once")
                .isEqualTo(NtStatus.LOCK_NOT_GRANTED);
    }

    @Test
    void theLastByteOfTheOffsetSpaceLocksAndAnEmptyLockThereDoesNot() throws Exception {
        FileId a = client.open("f", CREATE, 0);
        FileId b = other.open("f", OPEN, 0);
        assertThat(client.lock(a, el(-1L, 0, EXCLUSIVE | FAIL)).status()).isZero();
        assertThat(other.lock(b, el(-1L, 0, EXCLUSIVE | FAIL)).status())
                .as("an empty range conflicts with nothing")
                .isZero();
        assertThat(other.lock(b, el(-1L, 0, UNLOCK)).status()).isZero();
        assertThat(client.lock(a, el(-1L, 0, UNLOCK)).status()).isZero();

        assertThat(client.lock(a, el(-1L, 1, EXCLUSIVE | FAIL)).status()).isZero();
        assertThat(other.lock(b, el(-1L, 1, EXCLUSIVE | FAIL)).status())
                .as("byte 2^64-1")
                .isEqualTo(NtStatus.LOCK_NOT_GRANTED);
        assertThat(other.lock(b, el(-3L, 1, EXCLUSIVE | FAIL)).status())
                .as("byte 2^64-3")
                .isZero();
        assertThat(client.lock(a, el(-1L, 0, UNLOCK)).status()).isEqualTo(NtStatus.RANGE_NOT_LOCKED);
        assertThat(client.lock(a, el(-1L, 1, UNLOCK)).status()).isZero();
        assertThat(client.lock(a, el(-1L, 1, UNLOCK)).status()).isEqualTo(NtStatus.RANGE_NOT_LOCKED);
    }

    @Test
    void aBlockingLockWaitsUntilUnlocked() throws Exception {
        FileId a = client.open("f", CREATE, 0);
        FileId b = other.open("f", OPEN, 0);
        client.lock(a, el(0, 10, EXCLUSIVE | FAIL));
        TestClient.Answer pending = other.lock(b, el(0, 10, EXCLUSIVE));
        assertThat(pending.response().isAsync()).isTrue();
        Thread.sleep(100);
        assertThat(pending.response().later()).isNotDone();
        client.lock(a, el(0, 10, UNLOCK));
        assertThat(other.await(pending).status()).isZero();
        assertThat(client.lock(a, el(0, 10, EXCLUSIVE | FAIL)).status()).isEqualTo(NtStatus.LOCK_NOT_GRANTED);
    }

    @Test
    void aCancelledLockTakesNothing() throws Exception {
        FileId a = client.open("f", CREATE, 0);
        FileId b = other.open("f", OPEN, 0);
        client.lock(a, el(0, 10, EXCLUSIVE | FAIL));
        TestClient.Answer pending = other.lock(b, el(0, 10, EXCLUSIVE));
        pending.response().later().cancel(true);
        Thread.sleep(100);
        client.lock(a, el(0, 10, UNLOCK));
        Thread.sleep(100);
        assertThat(client.lock(a, el(0, 10, EXCLUSIVE | FAIL)).status()).isZero();
    }

    @Test
    void serverSideCopy() throws Exception {
        FileId src = client.open("src", CREATE, 0);
        client.write(src, 0, "abcdefghij".getBytes(StandardCharsets.UTF_8));
        FileId dst = client.open("dst", CREATE, 0);
        TestClient.Answer key = client.ioctl(src, IoctlCommand.FSCTL_SRV_REQUEST_RESUME_KEY, new byte[0], 32);
        assertThat(key.status()).isZero();
        ByteBuf kb = key.body();
        assertThat(kb.getIntLE(36)).as("OutputCount").isEqualTo(32);
        byte[] resume = new byte[24];
        kb.getBytes(kb.getIntLE(32) - 64, resume);
        ByteBuffer in = ByteBuffer.allocate(32 + 48).order(ByteOrder.LITTLE_ENDIAN);
        in.put(resume).putInt(24, 2);
        in.putLong(32, 0).putLong(40, 0).putInt(48, 4);
        in.putLong(56, 6).putLong(64, 10).putInt(72, 4);
        TestClient.Answer copied = client.ioctl(dst, IoctlCommand.FSCTL_SRV_COPYCHUNK_WRITE, in.array(), 12);
        assertThat(copied.statusName()).isEqualTo("SUCCESS");
        int out = copied.body().getIntLE(32) - 64;
        assertThat(copied.body().getIntLE(out)).as("ChunksWritten").isEqualTo(2);
        assertThat(copied.body().getIntLE(out + 8)).as("TotalBytesWritten").isEqualTo(8);
        TestClient.Answer r = client.read(dst, 0, 100, 0);
        byte[] expect = "abcd\0\0\0\0\0\0ghij".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(r.body().toString(16, r.body().getIntLE(4), StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(expect, StandardCharsets.ISO_8859_1));
        in.putLong(56, 8).putInt(72, 4); // the second chunk reads past the source's end
        TestClient.Answer past = client.ioctl(dst, IoctlCommand.FSCTL_SRV_COPYCHUNK_WRITE, in.array(), 12);
        assertThat(past.status()).isEqualTo(NtStatus.INVALID_VIEW_SIZE);
        assertThat(past.body().getIntLE(past.body().getIntLE(32) - 64))
                .as("ChunksWritten")
                .isEqualTo(1);
        in.putInt(48, IoctlCommand.MAX_CHUNK_BYTES + 1);
        TestClient.Answer tooBig = client.ioctl(dst, IoctlCommand.FSCTL_SRV_COPYCHUNK_WRITE, in.array(), 12);
        assertThat(tooBig.status()).isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(tooBig.body().getIntLE(tooBig.body().getIntLE(32) - 64)).isEqualTo(IoctlCommand.MAX_CHUNKS);
    }

    @Test
    void zeroDataAndOtherFsctls() throws Exception {
        FileId f = client.open("f", CREATE, 0);
        byte[] ones = new byte[20];
        java.util.Arrays.fill(ones, (byte) 1);
        client.write(f, 0, ones);
        ByteBuffer in = ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0, 5)
                .putLong(8, 10);
        assertThat(client.ioctl(f, IoctlCommand.FSCTL_SET_ZERO_DATA, in.array(), 0)
                        .status())
                .isZero();
        TestClient.Answer r = client.read(f, 0, 20, 0);
        assertThat(r.body().getByte(16 + 4)).isEqualTo((byte) 1);
        assertThat(r.body().getByte(16 + 5)).isZero();
        assertThat(r.body().getByte(16 + 9)).isZero();
        assertThat(r.body().getByte(16 + 10)).isEqualTo((byte) 1);
        assertThat(memory.getattr(memory.lookup(memory.root(), "f").id()).size())
                .isEqualTo(20);
        assertThat(client.ioctl(f, IoctlCommand.FSCTL_SET_SPARSE, new byte[0], 0)
                        .status())
                .isZero();
        in.putLong(0, 0).putLong(8, 1000);
        TestClient.Answer ranges = client.ioctl(f, IoctlCommand.FSCTL_QUERY_ALLOCATED_RANGES, in.array(), 64);
        assertThat(ranges.body().getIntLE(36)).isEqualTo(16);
        assertThat(ranges.body().getLongLE(48 + 8)).isEqualTo(20);
        assertThat(client.ioctl(f, IoctlCommand.FSCTL_GET_REPARSE_POINT, new byte[0], 64)
                        .status())
                .isEqualTo(NtStatus.NOT_A_REPARSE_POINT);
        TestClient.Answer objectId = client.ioctl(f, IoctlCommand.FSCTL_CREATE_OR_GET_OBJECT_ID, new byte[0], 64);
        assertThat(objectId.status()).isZero();
        assertThat(objectId.body().getIntLE(36)).as("FILE_OBJECTID_BUFFER").isEqualTo(64);
        assertThat(objectId.body().getLongLE(48))
                .as("the id starts with the inode")
                .isEqualTo(memory.lookup(memory.root(), "f").inode());
        assertThat(client.ioctl(f, IoctlCommand.FSCTL_GET_OBJECT_ID, new byte[0], 64)
                        .body()
                        .getLongLE(48))
                .as("FSCTL_GET_OBJECT_ID: the same id")
                .isEqualTo(objectId.body().getLongLE(48));
        assertThat(client.ioctl(f, 0x00090064, new byte[0], 64).status())
                .as("FSCTL_GET_NTFS_VOLUME_DATA")
                .isEqualTo(NtStatus.INVALID_DEVICE_REQUEST);
    }

    @Test
    void changeNotifyTellsOfNewFilesAndCleansUp() throws Exception {
        FileId dir = client.open("d", CREATE, DIRECTORY_FILE);
        TestClient.Answer pending = client.changeNotify(dir, 0, 4096, 0x1 | 0x2);
        assertThat(pending.response().isAsync()).isTrue();
        client.open("d\\new.txt", CREATE, 0);
        TestClient.Answer done = client.await(pending);
        assertThat(done.status()).isZero();
        ByteBuf b = done.body();
        int at = b.getUnsignedShortLE(2) - 64;
        assertThat(b.getIntLE(at + 4)).as("FILE_ACTION_ADDED").isEqualTo(1);
        assertThat(b.toString(at + 12, b.getIntLE(at + 8), StandardCharsets.UTF_16LE))
                .isEqualTo("new.txt");

        client.open("d\\second", CREATE, 0); // queued between requests
        TestClient.Answer now = client.changeNotify(dir, 0, 4096, 0x1);
        assertThat(now.response().isAsync()).isFalse();
        assertThat(now.status()).isZero();

        client.open("d\\third", CREATE, 0);
        assertThat(client.changeNotify(dir, 0, 8, 0x1).status())
                .as("too small a buffer")
                .isEqualTo(NtStatus.NOTIFY_ENUM_DIR);

        TestClient.Answer waiting = client.changeNotify(dir, 0, 4096, 0x1);
        client.close(dir, 0);
        assertThat(waiting.response().later().get(10, TimeUnit.SECONDS).status())
                .isEqualTo(NtStatus.NOTIFY_CLEANUP);
    }
}
