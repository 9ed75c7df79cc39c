package dev.sgw.smb.file;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.wire.NtStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CreateAndDataTest {
    private static final int SUPERSEDE = 0, OPEN = 1, CREATE = 2, OPEN_IF = 3, OVERWRITE = 4, OVERWRITE_IF = 5;
    private static final int DIRECTORY_FILE = 0x1, NON_DIRECTORY_FILE = 0x40, DELETE_ON_CLOSE = 0x1000;

    private DiskTreeCommands commands;
    private MemoryFileVolume memory;
    private TestClient client;

    @BeforeEach
    void setUp() {
        commands = new DiskTreeCommands();
        memory = TestClient.volume();
        client = new TestClient(commands, memory, 1, 1000);
    }

    private static int action(TestClient.Answer a) {
        return a.body().getIntLE(4);
    }

    @Test
    void dispositionsAnswerAsTheTableSays() throws Exception {
        int rw = TestClient.READ_WRITE;
        assertThat(client.create("f", rw, 7, OPEN, 0).status()).isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
        assertThat(client.create("f", rw, 7, OVERWRITE, 0).status()).isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
        TestClient.Answer made = client.create("f", rw, 7, CREATE, 0);
        assertThat(made.status()).isEqualTo(0);
        assertThat(action(made)).isEqualTo(2);
        assertThat(made.body().getUnsignedShortLE(0)).isEqualTo(89);
        FileId f = made.fileId();
        client.write(f, 0, "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(client.create("f", rw, 7, CREATE, 0).status()).isEqualTo(NtStatus.OBJECT_NAME_COLLISION);
        TestClient.Answer opened = client.create("f", rw, 7, OPEN_IF, 0);
        assertThat(action(opened)).isEqualTo(1);
        assertThat(opened.body().getLongLE(48)).as("EndofFile").isEqualTo(5);
        TestClient.Answer over = client.create("f", rw, 7, OVERWRITE, 0);
        assertThat(action(over)).isEqualTo(3);
        assertThat(over.body().getLongLE(48)).isZero();
        client.write(over.fileId(), 0, new byte[3]);
        TestClient.Answer sup = client.create("f", rw, 7, SUPERSEDE, 0);
        assertThat(action(sup)).isEqualTo(0);
        assertThat(sup.body().getLongLE(48)).isZero();
        assertThat(action(client.create("g", rw, 7, OVERWRITE_IF, 0))).isEqualTo(2);
        assertThat(action(client.create("g", rw, 7, OVERWRITE_IF, 0))).isEqualTo(3);
        assertThat(action(client.create("h", rw, 7, SUPERSEDE, 0))).isEqualTo(2);
    }

    @Test
    void directoriesAndFilesAreTold() throws Exception {
        int rw = TestClient.READ_WRITE;
        TestClient.Answer dir = client.create("d", rw, 7, CREATE, DIRECTORY_FILE);
        assertThat(dir.status()).isZero();
        assertThat(dir.body().getIntLE(56) & 0x10).isEqualTo(0x10);
        assertThat(client.create("d", rw, 7, OPEN, NON_DIRECTORY_FILE).status())
                .isEqualTo(NtStatus.FILE_IS_A_DIRECTORY);
        client.open("d\\f", CREATE, 0);
        assertThat(client.create("d\\f", rw, 7, OPEN, DIRECTORY_FILE).status()).isEqualTo(NtStatus.NOT_A_DIRECTORY);
        assertThat(client.create("x\\f", rw, 7, OPEN_IF, 0).status()).isEqualTo(NtStatus.OBJECT_PATH_NOT_FOUND);
        assertThat(client.create("d\\f\\g", rw, 7, OPEN_IF, 0).status()).isEqualTo(NtStatus.OBJECT_PATH_NOT_FOUND);
        assertThat(client.create("d", rw, 7, OVERWRITE_IF, DIRECTORY_FILE).status())
                .isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(client.create("", rw, 7, OPEN, 0).status()).isZero();
    }

    @Test
    void badNamesAndStreams() throws Exception {
        int rw = TestClient.READ_WRITE;
        for (String bad : List.of("a*b", "a?", "a<b", "a>b", "a|b", "a\"b")) {
            assertThat(client.create(bad, rw, 7, OPEN_IF, 0).status()).as(bad).isEqualTo(NtStatus.OBJECT_NAME_INVALID);
        }
        assertThat(client.create("f:stream", rw, 7, OPEN_IF, 0).status())
                .as("a named stream, made with its file")
                .isZero();
        assertThat(client.create("f::$DATA", rw, 7, OPEN_IF, 0).status()).isZero();
        assertThat(client.create("f", rw, 7, OPEN, 0).status()).isZero();
        assertThat(client.create("\\f", rw, 7, OPEN, 0).status()).isEqualTo(NtStatus.INVALID_PARAMETER);
        client.close(client.open("d", CREATE, DIRECTORY_FILE), 0);
        assertThat(client.create("d/g", rw, 7, OPEN_IF, 0).status())
                .as("a slash separates names, as Samba takes it")
                .isZero();
        assertThat(client.create("d\\g", rw, 7, OPEN, 0).status()).isZero();
    }

    @Test
    void shareModesOfTwoOpensConflict() throws Exception {
        TestClient other = new TestClient(commands, memory, 2, 1000);
        FileId first =
                client.create("f", AccessMask.FILE_READ_DATA, 1, OPEN_IF, 0).fileId();
        assertThat(other.create("f", AccessMask.FILE_WRITE_DATA, 7, OPEN, 0).status())
                .isEqualTo(NtStatus.SHARING_VIOLATION);
        assertThat(other.create("f", AccessMask.FILE_READ_DATA, 1, OPEN, 0).status())
                .isZero();
        assertThat(other.create("f", AccessMask.FILE_READ_DATA, 0, OPEN, 0).status())
                .as("denying read to a reader")
                .isEqualTo(NtStatus.SHARING_VIOLATION);
        assertThat(other.create("f", AccessMask.FILE_READ_ATTRIBUTES, 0, OPEN, 0)
                        .status())
                .as("attributes only")
                .isZero();
        client.close(first, 0);
        assertThat(other.create("f", AccessMask.FILE_WRITE_DATA, 7, OPEN, 0).status())
                .isEqualTo(NtStatus.SHARING_VIOLATION)
                .as("the other's own read open still shares read only");
    }

    @Test
    void deleteOnCloseDeletesAtTheLastClose() throws Exception {
        FileId keep = client.open("f", CREATE, 0);
        TestClient.Answer doomed = client.create("f", AccessMask.DELETE, 7, OPEN, DELETE_ON_CLOSE);
        assertThat(doomed.status()).isZero();
        client.close(doomed.fileId(), 0);
        assertThat(client.create("f", AccessMask.FILE_READ_DATA, 7, OPEN, 0).status())
                .as("new opens of a file pending deletion")
                .isEqualTo(NtStatus.DELETE_PENDING);
        client.close(keep, 0);
        assertThat(client.create("f", AccessMask.FILE_READ_DATA, 7, OPEN, 0).status())
                .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
        assertThat(client.create("g", AccessMask.FILE_READ_DATA, 7, OPEN_IF, DELETE_ON_CLOSE)
                        .status())
                .isEqualTo(NtStatus.INVALID_PARAMETER);
    }

    @Test
    void aDirectoryDeleteWaitsForTheLastCloseOfAChildThatIsOnlyPendingDeletion() throws Exception {
        client.close(
                client.create("d", AccessMask.FILE_READ_DATA, 7, CREATE, DIRECTORY_FILE)
                        .fileId(),
                0);
        FileId reader = client.open("d\\f", CREATE, 0);
        TestClient.Answer unlink = client.create("d\\f", AccessMask.DELETE, 7, OPEN, DELETE_ON_CLOSE);
        client.close(unlink.fileId(), 0);
        FileId dir =
                client.create("d", AccessMask.DELETE, 7, OPEN, DIRECTORY_FILE).fileId();
        // the reader's close comes while the directory's delete waits (a client's close sent after its unlink)
        Thread closer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
                client.close(reader, 0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(client.setInfo(dir, 1, 13, 0, new byte[] {1}).status()).isZero();
        closer.join();
        client.close(dir, 0);
        assertThat(client.create("d", 0x80, 7, OPEN, DIRECTORY_FILE).status())
                .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
    }

    @Test
    void aDirectoryWithAChildStillInUseIsNotEmpty() throws Exception {
        assertThat(client.create("d", AccessMask.FILE_READ_DATA, 7, CREATE, DIRECTORY_FILE)
                        .status())
                .isZero();
        client.open("d\\f", CREATE, 0);
        FileId dir =
                client.create("d", AccessMask.DELETE, 7, OPEN, DIRECTORY_FILE).fileId();

        assertThat(client.setInfo(dir, 1, 13, 0, new byte[] {1}).status()).isEqualTo(NtStatus.DIRECTORY_NOT_EMPTY);
    }

    @Test
    void readWriteAndEndOfFile() throws Exception {
        FileId f = client.open("f", CREATE, 0);
        assertThat(client.write(f, 2, "abc".getBytes(StandardCharsets.UTF_8))
                        .body()
                        .getIntLE(4))
                .isEqualTo(3);
        TestClient.Answer r = client.read(f, 0, 100, 0);
        assertThat(r.status()).isZero();
        assertThat(r.body().getIntLE(4)).isEqualTo(5);
        assertThat((int) r.body().getUnsignedByte(2)).isEqualTo(80);
        assertThat(r.body().toString(16, 5, StandardCharsets.ISO_8859_1)).isEqualTo("\0\0abc");
        r.body().release();
        assertThat(client.read(f, 5, 10, 0).status()).isEqualTo(NtStatus.END_OF_FILE);
        assertThat(client.read(f, 3, 10, 5).status()).as("MinimumCount").isEqualTo(NtStatus.END_OF_FILE);
        TestClient.Answer empty = client.write(f, Long.MAX_VALUE, new byte[0]);
        assertThat(empty.status()).as("an empty write at 2^63-1").isZero();
        assertThat(empty.body().getIntLE(4)).isZero();
        assertThat(client.write(f, Long.MAX_VALUE, new byte[1]).status()).isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(client.write(f, Long.MIN_VALUE, new byte[0]).status()).isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(client.write(f, 0xFFFFFFF0000L, new byte[1]).status())
                .as("past the largest file")
                .isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(client.write(f, 0xFFFFFFF0000L, new byte[0]).status()).isZero();
        assertThat(client.flush(f).status()).isZero();
        TestClient.Answer closed = client.close(f, 1);
        assertThat(closed.body().getUnsignedShortLE(2)).isEqualTo(1);
        assertThat(closed.body().getLongLE(48)).as("EndofFile").isEqualTo(5);
        assertThat(client.read(f, 0, 1, 0).status()).isEqualTo(NtStatus.FILE_CLOSED);
        assertThat(commands.openCount()).isZero();
    }

    @Test
    void aWriteInManyPiecesAndALargeReadCarryEveryByte() throws Exception {
        byte[] data = new byte[(1 << 20) - 5];
        new Random(7).nextBytes(data);
        FileId f = client.open("big", CREATE, 0);
        TestClient.Answer w = client.writeInPieces(f, 3, data, 65_521);
        assertThat(w.status()).isZero();
        assertThat(w.body().getIntLE(4)).isEqualTo(data.length);
        TestClient.Answer r = client.read(f, 0, 1 << 20, 0);
        assertThat(r.status()).isZero();
        assertThat(r.body().getIntLE(4)).as("DataLength").isEqualTo(data.length + 3);
        byte[] back = new byte[data.length];
        r.body().getBytes(16 + 3, back);
        assertThat(back).isEqualTo(data);
        assertThat(r.body().readableBytes()).isEqualTo(16 + 3 + data.length);
        r.body().release();
    }

    @Test
    void overwritingAHiddenFileNeedsTheHiddenAttribute() throws Exception {
        int rw = TestClient.READ_WRITE;
        client.close(client.create("h", rw, 7, CREATE, 0, 0x2, List.of()).fileId(), 0);
        assertThat(client.create("h", rw, 7, OVERWRITE_IF, 0, 0x80, List.of()).status())
                .isEqualTo(NtStatus.ACCESS_DENIED);
        assertThat(client.create("h", rw, 7, OVERWRITE_IF, 0, 0x2, List.of()).status())
                .isZero();
        assertThat(client.read(client.open("h", OPEN, 0), Long.MAX_VALUE - 5, 10, 0)
                        .status())
                .as("a read past 2^63")
                .isEqualTo(NtStatus.INVALID_PARAMETER);
    }

    @Test
    void readOnlyOpenCannotWrite() throws Exception {
        client.open("f", CREATE, 0);
        FileId r = client.create("f", AccessMask.FILE_READ_DATA, 7, OPEN, 0).fileId();
        assertThat(client.write(r, 0, new byte[1]).status()).isEqualTo(NtStatus.ACCESS_DENIED);
    }

    @Test
    void otherUsersNeedTheModeBits() throws Exception {
        client.open("f", CREATE, 0); // mode 0644 by default
        TestClient stranger = new TestClient(commands, memory, 3, 2000);
        assertThat(stranger.create("f", AccessMask.FILE_READ_DATA, 7, OPEN, 0).status())
                .isZero();
        assertThat(stranger.create("f", AccessMask.FILE_WRITE_DATA, 7, OPEN, 0).status())
                .isEqualTo(NtStatus.ACCESS_DENIED);
        TestClient.Answer max = stranger.create("f", AccessMask.MAXIMUM_ALLOWED, 7, OPEN, 0, 0, List.of("MxAc"));
        assertThat(max.status()).isZero();
        int ctx = max.body().getIntLE(80) - 64;
        assertThat(max.body().toString(ctx + 16, 4, StandardCharsets.ISO_8859_1))
                .isEqualTo("MxAc");
        int maximal = max.body().getIntLE(ctx + 24 + 4);
        assertThat(maximal & AccessMask.FILE_READ_DATA).isNotZero();
        assertThat(maximal & AccessMask.FILE_WRITE_DATA).isZero();
    }

    @Test
    void treeGoneClosesItsOpens() throws Exception {
        client.open("f", CREATE, 0);
        client.open("g", CREATE, 0);
        assertThat(commands.openCount()).isEqualTo(2);
        commands.treeGone(client.tree, false);
        assertThat(commands.openCount()).isZero();
        assertThat(client.sharing.fileCount()).isZero();
    }

    @Test
    void queryOnDiskIdContext() throws Exception {
        TestClient.Answer a = client.create("f", TestClient.READ_WRITE, 7, CREATE, 0, 0, List.of("MxAc", "QFid"));
        int ctx = a.body().getIntLE(80) - 64;
        int next = a.body().getIntLE(ctx);
        assertThat(next).isEqualTo(32);
        assertThat(a.body().getIntLE(ctx + 24 + 4))
                .as("the owner's maximal access to a file it may read and write: full control")
                .isEqualTo(AccessMask.FILE_ALL_ACCESS);
        int q = ctx + next;
        assertThat(a.body().toString(q + 16, 4, StandardCharsets.ISO_8859_1)).isEqualTo("QFid");
        assertThat(a.body().getIntLE(q + 12)).isEqualTo(32);
        long inode = memory.lookup(memory.root(), "f").inode();
        assertThat(a.body().getLongLE(q + 24)).isEqualTo(inode);
    }
}
