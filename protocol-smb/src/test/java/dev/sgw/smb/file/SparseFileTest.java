package dev.sgw.smb.file;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import dev.sgw.smb.server.FileId;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** FSCTL_SET_SPARSE, FSCTL_SET_ZERO_DATA and FSCTL_QUERY_ALLOCATED_RANGES on a server over a memory volume. */
class SparseFileTest {
    private static final int CREATE = 2, OPEN = 1, DIRECTORY_FILE = 1, SPARSE = 0x200;
    private static final int CHUNK = 64 * 1024;

    private TestClient client;

    @BeforeEach
    void setUp() {
        client = new TestClient(new DiskTreeCommands(), TestClient.volume(), 1, 1000);
    }

    private static byte[] range(long offset, long length) {
        return ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0, offset)
                .putLong(8, length)
                .array();
    }

    private List<long[]> ranges(FileId f, long offset, long length) throws Exception {
        TestClient.Answer a = client.ioctl(f, IoctlCommand.FSCTL_QUERY_ALLOCATED_RANGES, range(offset, length), 1024);
        assertThat(a.statusName()).isEqualTo("SUCCESS");
        return rangesOf(a);
    }

    private static List<long[]> rangesOf(TestClient.Answer a) {
        ByteBuf b = a.body();
        int out = b.getIntLE(32) - 64;
        int count = b.getIntLE(36) / 16;
        long[][] r = new long[count][];
        for (int i = 0; i < count; i++) {
            r[i] = new long[] {b.getLongLE(out + 16 * i), b.getLongLE(out + 16 * i + 8)};
        }
        return Arrays.asList(r);
    }

    private int attributes(FileId f) throws Exception {
        ByteBuf b = client.queryInfo(f, 1, FileInformation.BASIC, 40, 0).body();
        return b.getIntLE(b.getUnsignedShortLE(2) - 64 + 32);
    }

    private FileId filled(String name, int length) throws Exception {
        FileId f = client.open(name, CREATE, 0);
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) 7);
        client.write(f, 0, data);
        return f;
    }

    @Test
    void theSparseMarkIsKeptAndItsHolesAreLeftOutOfTheAllocatedRanges() throws Exception {
        FileId f = filled("f", 2 * CHUNK);
        assertThat(ranges(f, 0, 2 * CHUNK + 1))
                .as("not sparse: the asked range cut to the end of file")
                .containsExactly(new long[] {0, 2 * CHUNK});
        byte[] zero = range(CHUNK, 2 * CHUNK);
        assertThat(client.ioctl(f, IoctlCommand.FSCTL_SET_ZERO_DATA, zero, 0).status())
                .isZero();
        assertThat(ranges(f, 0, 2 * CHUNK))
                .as("zeros of a file that is not sparse still count as allocated")
                .containsExactly(new long[] {0, 2 * CHUNK});

        assertThat(client.ioctl(f, IoctlCommand.FSCTL_SET_SPARSE, new byte[0], 0)
                        .status())
                .as("no buffer sets the mark")
                .isZero();
        assertThat(attributes(f) & SPARSE).isEqualTo(SPARSE);
        assertThat(ranges(f, 0, 2 * CHUNK)).containsExactly(new long[] {0, CHUNK});
        assertThat(ranges(f, 1, CHUNK)).containsExactly(new long[] {1, CHUNK - 1});
        assertThat(ranges(f, CHUNK - 1, CHUNK)).containsExactly(new long[] {CHUNK - 1, 1});
        assertThat(ranges(f, CHUNK + 1, CHUNK)).isEmpty();

        FileId again = client.open("f", OPEN, 0);
        assertThat(attributes(again) & SPARSE).as("kept by the volume").isEqualTo(SPARSE);
        assertThat(client.ioctl(f, IoctlCommand.FSCTL_SET_SPARSE, new byte[100], 0)
                        .status())
                .as("a longer buffer counts by its first byte")
                .isZero();
        assertThat(attributes(f) & SPARSE).isZero();
        assertThat(ranges(f, 0, 2 * CHUNK)).containsExactly(new long[] {0, 2 * CHUNK});
    }

    @Test
    void rangesThatDoNotFitAreLeftOutWithBufferOverflow() throws Exception {
        FileId f = filled("f", 4 * CHUNK);
        client.ioctl(f, IoctlCommand.FSCTL_SET_SPARSE, new byte[] {1}, 0);
        client.ioctl(f, IoctlCommand.FSCTL_SET_ZERO_DATA, range(CHUNK, 2 * CHUNK), 0);
        client.ioctl(f, IoctlCommand.FSCTL_SET_ZERO_DATA, range(3 * CHUNK, 3 * CHUNK + 4096), 0);
        assertThat(ranges(f, 0, 4 * CHUNK))
                .containsExactly(
                        new long[] {0, CHUNK}, new long[] {2 * CHUNK, CHUNK}, new long[] {3 * CHUNK + 4096, CHUNK - 4096
                        });
        TestClient.Answer cut = client.ioctl(f, IoctlCommand.FSCTL_QUERY_ALLOCATED_RANGES, range(0, 4 * CHUNK), 40);
        assertThat(cut.status()).isEqualTo(NtStatus.BUFFER_OVERFLOW);
        assertThat(rangesOf(cut)).containsExactly(new long[] {0, CHUNK}, new long[] {2 * CHUNK, CHUNK});
        assertThat(client.ioctl(f, IoctlCommand.FSCTL_QUERY_ALLOCATED_RANGES, range(0, 4 * CHUNK), 8)
                        .status())
                .isEqualTo(NtStatus.BUFFER_TOO_SMALL);
        assertThat(client.ioctl(f, IoctlCommand.FSCTL_QUERY_ALLOCATED_RANGES, range(512, -1), 1024)
                        .status())
                .as("a range past the largest offset")
                .isEqualTo(NtStatus.INVALID_PARAMETER);
    }

    @Test
    void theMarkNeedsWriteAccessAndOnlyTheFsctlSetsIt() throws Exception {
        client.close(filled("f", 10), 0);
        FileId eaOnly = client.create("f", AccessMask.FILE_WRITE_EA, 7, OPEN, 0).fileId();
        assertThat(client.ioctl(eaOnly, IoctlCommand.FSCTL_SET_SPARSE, new byte[0], 0)
                        .status())
                .isEqualTo(NtStatus.ACCESS_DENIED);
        FileId attributesOnly = client.create(
                        "f", AccessMask.FILE_WRITE_ATTRIBUTES | AccessMask.FILE_READ_ATTRIBUTES, 7, OPEN, 0)
                .fileId();
        assertThat(client.ioctl(attributesOnly, IoctlCommand.FSCTL_SET_SPARSE, new byte[0], 0)
                        .status())
                .isZero();
        assertThat(attributes(attributesOnly) & SPARSE).isEqualTo(SPARSE);
        assertThat(client.setInfo(attributesOnly, 1, FileInformation.BASIC, 0, basic(0x2))
                        .status())
                .isZero();
        assertThat(attributes(attributesOnly))
                .as("FileBasicInformation leaves the mark as it is")
                .isEqualTo(0x2 | SPARSE);

        TestClient.Answer made = client.create("g", TestClient.READ_WRITE, 7, CREATE, 0, 0x80 | SPARSE, List.of());
        assertThat(attributes(made.fileId()) & SPARSE)
                .as("CREATE does not set it")
                .isZero();
        FileId dir = client.open("d", CREATE, DIRECTORY_FILE);
        assertThat(client.ioctl(dir, IoctlCommand.FSCTL_SET_SPARSE, new byte[0], 0)
                        .status())
                .isEqualTo(NtStatus.INVALID_PARAMETER);
    }

    private static byte[] basic(int attributes) {
        return ByteBuffer.allocate(40)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(32, attributes)
                .array();
    }
}
