package dev.sgw.smb.file;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.sgw.smb.server.FileId;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules of CREATE and SET_INFO a client sees: allocation sizes, renames beside opens of the directory, mode
 * information, read-only files to delete on close, create contexts, FileFullEaInformation.
 */
class OpenRulesTest {
    private static final int CREATE = 2, OPEN = 1, OVERWRITE_IF = 5, DIRECTORY_FILE = 1, DELETE_ON_CLOSE = 0x1000;
    private static final int FILE = 1, ALLOCATION = 19, END_OF_FILE = 20, MODE = 16, RENAME = 10, FULL_EA = 15;
    private static final int READ_ONLY = 0x1;

    private TestClient client;

    @BeforeEach
    void setUp() {
        client = new TestClient(new DiskTreeCommands(), TestClient.volume(), 1, 1000);
    }

    private static byte[] le(long value) {
        return ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0, value)
                .array();
    }

    private static byte[] le(int value) {
        return ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0, value)
                .array();
    }

    /** FileStandardInformation's AllocationSize. */
    private long allocation(FileId f) throws Exception {
        ByteBuf b = client.queryInfo(f, FILE, FileInformation.STANDARD, 24, 0).body();
        return b.getLongLE(b.getUnsignedShortLE(2) - 64);
    }

    @Test
    void anAskedAllocationShowsInWholeClustersWhileTheFileIsOpen() throws Exception {
        FileId f = client.open("f", CREATE, 0);
        assertThat(allocation(f)).isZero();
        assertThat(client.setInfo(f, FILE, ALLOCATION, 0, le(1L)).status()).isZero();
        assertThat(allocation(f)).isEqualTo(4096);
        assertThat(client.setInfo(f, FILE, END_OF_FILE, 0, le(37L)).status()).isZero();
        assertThat(allocation(f)).as("the data needs no more").isEqualTo(4096);
        client.write(f, 0, new byte[5000]);
        assertThat(allocation(f)).isEqualTo(8192);
        assertThat(client.setInfo(f, FILE, ALLOCATION, 0, le(100L)).status()).isZero();
        ByteBuf std = client.queryInfo(f, FILE, FileInformation.STANDARD, 24, 0).body();
        assertThat(std.getLongLE(std.getUnsignedShortLE(2) - 64 + 8))
                .as("a smaller allocation cuts the file")
                .isEqualTo(100);
        client.close(f, 0);

        TestClient.Answer made =
                client.createCaching("g", TestClient.READ_WRITE, OVERWRITE_IF, 0, Map.of("AlSi", le(1L << 20)));
        assertThat(made.status()).isZero();
        assertThat(made.body().getLongLE(40)).as("the CREATE's AllocationSize").isEqualTo(1 << 20);
        client.close(made.fileId(), 0);
        FileId again = client.open("g", OPEN, 0);
        assertThat(allocation(again)).as("dropped at the last close").isZero();
    }

    @Test
    void aRenameMeetsOpensOfItsDirectoryThatHoldOrDenyDelete() throws Exception {
        client.close(client.open("d", CREATE, DIRECTORY_FILE), 0);
        byte[] target = rename("d\\new.txt");
        for (int[] dirOpen : new int[][] {{AccessMask.DELETE, 7}, {AccessMask.DELETE, 3}, {0x1, 3}}) {
            FileId dir = client.create("d", dirOpen[0] | AccessMask.FILE_READ_DATA, dirOpen[1], OPEN, DIRECTORY_FILE)
                    .fileId();
            FileId f = client.create("d\\file.txt", TestClient.READ_WRITE | AccessMask.DELETE, 0, CREATE, 0)
                    .fileId();
            assertThat(client.setInfo(f, FILE, RENAME, 0, target).status())
                    .as("directory open for 0x%x sharing %d", dirOpen[0], dirOpen[1])
                    .isEqualTo(NtStatus.SHARING_VIOLATION);
            client.close(dir, 0);
            assertThat(client.setInfo(f, FILE, RENAME, 0, target).status()).isZero();
            client.close(f, 0);
            client.close(
                    client.create("d\\new.txt", AccessMask.DELETE, 7, OPEN, DELETE_ON_CLOSE)
                            .fileId(),
                    0);
        }
        FileId sharing = client.create("d", AccessMask.FILE_READ_DATA, 7, OPEN, DIRECTORY_FILE)
                .fileId();
        FileId f = client.create("d\\file.txt", TestClient.READ_WRITE | AccessMask.DELETE, 0, CREATE, 0)
                .fileId();
        assertThat(client.setInfo(f, FILE, RENAME, 0, target).status())
                .as("an open of the directory without DELETE that shares delete")
                .isZero();
        client.close(sharing, 0);
    }

    private static byte[] rename(String target) {
        byte[] name = target.getBytes(StandardCharsets.UTF_16LE);
        return ByteBuffer.allocate(20 + name.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(16, name.length)
                .put(20, name)
                .array();
    }

    @Test
    void modeInformationTakesOnlyTheModesAClientMaySet() throws Exception {
        FileId f = client.open("f", CREATE, 0);
        assertThat(client.setInfo(f, FILE, MODE, 0, le(2)).status()).isZero();
        assertThat(client.setInfo(f, FILE, MODE, 0, le(1)).status()).isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(client.setInfo(f, FILE, MODE, 0, le(0x30)).status())
                .as("both synchronous modes")
                .isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(client.setInfo(f, FILE, MODE, 0, le(0)).status()).isZero();
    }

    @Test
    void aReadOnlyFileToDeleteOnCloseIsNotMade() throws Exception {
        TestClient.Answer refused = client.create(
                "ro", TestClient.READ_WRITE | AccessMask.DELETE, 7, CREATE, DELETE_ON_CLOSE, READ_ONLY, List.of());
        assertThat(refused.status()).isEqualTo(NtStatus.CANNOT_DELETE);
        TestClient.Answer made = client.create("ro", TestClient.READ_WRITE, 7, CREATE, 0, READ_ONLY, List.of());
        assertThat(made.status()).as("nothing was left behind").isZero();
    }

    @Test
    void createContextsAreChecked() throws Exception {
        assertThat(client.createCaching("f", TestClient.READ_WRITE, OVERWRITE_IF, 0, Map.of("xxx", new byte[0]))
                        .status())
                .as("a name shorter than 4 characters")
                .isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(client.createCaching("f", TestClient.READ_WRITE, OVERWRITE_IF, 0, Map.of("TWrp", le(10000L)))
                        .status())
                .as("a previous version")
                .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
        assertThat(client.createCaching("f", TestClient.READ_WRITE, OVERWRITE_IF, 0, Map.of("FooO", new byte[0]))
                        .status())
                .as("an unknown context is ignored")
                .isZero();
    }

    @Test
    void attributesAndOptionsACreateMayNotAsk() throws Exception {
        int rw = TestClient.READ_WRITE;
        for (int attribute : new int[] {0x8, 0x40, 0x8000, 0x10000}) {
            assertThat(client.create("f", rw, 7, OVERWRITE_IF, 0, attribute, List.of())
                            .status())
                    .as("attribute 0x%x", attribute)
                    .isEqualTo(NtStatus.INVALID_PARAMETER);
        }
        assertThat(client.create("f", rw, 7, OVERWRITE_IF, 0, 0x4000, List.of()).status())
                .as("encrypted")
                .isEqualTo(NtStatus.ACCESS_DENIED);
        for (int option : new int[] {0x80, 0x2000, 0x100000}) {
            assertThat(client.create("f", rw, 7, OVERWRITE_IF, option).status())
                    .as("option 0x%x", option)
                    .isEqualTo(NtStatus.NOT_SUPPORTED);
        }
        assertThat(client.create("f", rw, 7, OVERWRITE_IF, 0x01000000).status()).isEqualTo(NtStatus.INVALID_PARAMETER);
        for (int access : new int[] {0x200, 0x8000, 0x200000, 0x800000, 0x4000000, 0x8000000}) {
            assertThat(client.create("f", access, 7, OVERWRITE_IF, 0, 0x40, List.of())
                            .status())
                    .as("reserved access 0x%x (before the attributes are looked at)", access)
                    .isEqualTo(NtStatus.ACCESS_DENIED);
        }
        assertThat(client.create("f", rw, 7, OVERWRITE_IF, 0, 0x1000 | 0x100, List.of())
                        .status())
                .as("offline and temporary are taken (and not kept)")
                .isZero();
    }

    @Test
    void fullEaInformationNeedsReadEaAndFindsNoEas() throws Exception {
        client.close(client.open("f", CREATE, 0), 0);
        FileId noEa =
                client.create("f", AccessMask.FILE_READ_ATTRIBUTES, 7, OPEN, 0).fileId();
        assertThat(client.queryInfo(noEa, FILE, FULL_EA, 4096, 0).status()).isEqualTo(NtStatus.ACCESS_DENIED);
        FileId ea = client.create("f", AccessMask.FILE_READ_EA, 7, OPEN, 0).fileId();
        assertThat(client.queryInfo(ea, FILE, FULL_EA, 4096, 0).status()).isEqualTo(NtStatus.NO_EAS_ON_FILE);
    }
}
