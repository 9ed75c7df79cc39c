package dev.sgw.smb.file;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InfoClassesTest {
    private static final int CREATE = 2, OPEN = 1, OPEN_IF = 3, DIRECTORY_FILE = 1;
    private static final int FILE = 1, FS = 2, SECURITY = 3;

    private TestClient client;
    private FileId f;

    @BeforeEach
    void setUp() throws Exception {
        client = new TestClient(new DiskTreeCommands(), TestClient.volume(), 1, 1000);
        client.close(client.open("dir", CREATE, DIRECTORY_FILE), 0);
        f = client.create("dir\\file.txt", 0x2000000, 7, CREATE, 0).fileId();
        client.write(f, 0, "0123456789".getBytes(StandardCharsets.UTF_8));
    }

    private ByteBuf data(TestClient.Answer a) {
        assertThat(a.statusName()).isEqualTo("SUCCESS");
        ByteBuf b = a.body();
        return b.slice(b.getUnsignedShortLE(2) - 64, b.getIntLE(4));
    }

    private FileAttributes attrs() throws Exception {
        return client.memory.lookup(
                client.memory.lookup(client.memory.root(), "dir").id(), "file.txt");
    }

    @Test
    void fixedFileClassesHaveTheirFsccSizes() throws Exception {
        Map<Integer, Integer> sizes = Map.ofEntries(
                Map.entry(4, 40),
                Map.entry(5, 24),
                Map.entry(6, 8),
                Map.entry(7, 4),
                Map.entry(8, 4),
                Map.entry(14, 8),
                Map.entry(16, 4),
                Map.entry(17, 4),
                Map.entry(28, 16),
                Map.entry(34, 56),
                Map.entry(35, 8));
        for (var e : sizes.entrySet()) {
            assertThat(data(client.queryInfo(f, FILE, e.getKey(), 4096, 0)).readableBytes())
                    .as("class " + e.getKey())
                    .isEqualTo(e.getValue());
            assertThat(client.queryInfo(f, FILE, e.getKey(), e.getValue() - 1, 0)
                            .status())
                    .as("class " + e.getKey() + " in too small a buffer")
                    .isEqualTo(NtStatus.INFO_LENGTH_MISMATCH);
        }
    }

    @Test
    void basicStandardAndAllCarryTheFile() throws Exception {
        FileAttributes a = attrs();
        ByteBuf basic = data(client.queryInfo(f, FILE, 4, 40, 0));
        assertThat(basic.getLongLE(16))
                .as("the write's time shows 2 s after it or at a flush or close: until then the creation's")
                .isEqualTo(FileTimes.toFiletime(a.btime()));
        assertThat(basic.getIntLE(32)).isEqualTo(0x20);
        ByteBuf std = data(client.queryInfo(f, FILE, 5, 24, 0));
        assertThat(std.getLongLE(8)).isEqualTo(10);
        assertThat(std.getIntLE(16)).isEqualTo(1);
        assertThat(std.getByte(21)).isZero();
        ByteBuf all = data(client.queryInfo(f, FILE, 18, 4096, 0));
        String name = "\\dir\\file.txt";
        assertThat(all.readableBytes()).isEqualTo(100 + 2 * name.length());
        assertThat(all.getLongLE(40 + 8)).as("EndOfFile").isEqualTo(10);
        assertThat(all.getLongLE(64)).as("IndexNumber").isEqualTo(a.inode());
        assertThat(all.getIntLE(96)).isEqualTo(2 * name.length());
        assertThat(all.toString(100, 2 * name.length(), StandardCharsets.UTF_16LE))
                .isEqualTo(name);
        TestClient.Answer cut = client.queryInfo(f, FILE, 18, 104, 0);
        assertThat(cut.status()).isEqualTo(NtStatus.BUFFER_OVERFLOW);
        assertThat(cut.body().getIntLE(4)).isEqualTo(104);
        assertThat(client.queryInfo(f, FILE, 21, 4096, 0).status())
                .as("file.txt is its own 8.3 name")
                .isZero();
        assertThat(client.queryInfo(f, FILE, 99, 4096, 0).status()).isEqualTo(NtStatus.INVALID_INFO_CLASS);
    }

    @Test
    void streamInformationHasTheUnnamedStream() throws Exception {
        ByteBuf s = data(client.queryInfo(f, FILE, 22, 4096, 0));
        assertThat(s.getIntLE(0)).isZero();
        assertThat(s.getIntLE(4)).isEqualTo(14);
        assertThat(s.getLongLE(8)).isEqualTo(10);
        assertThat(s.toString(24, 14, StandardCharsets.UTF_16LE)).isEqualTo("::$DATA");
    }

    @Test
    void filesystemClasses() throws Exception {
        Map<Integer, Integer> sizes = Map.of(3, 24, 4, 8, 7, 32, 11, 28);
        for (var e : sizes.entrySet()) {
            assertThat(data(client.queryInfo(f, FS, e.getKey(), 4096, 0)).readableBytes())
                    .as("class " + e.getKey())
                    .isEqualTo(e.getValue());
        }
        ByteBuf attr = data(client.queryInfo(f, FS, 5, 4096, 0));
        assertThat(attr.getIntLE(0) & 0x42).isEqualTo(0x42);
        assertThat(attr.getIntLE(4)).isEqualTo(255);
        assertThat(attr.toString(12, attr.getIntLE(8), StandardCharsets.UTF_16LE))
                .isEqualTo("NTFS");
        ByteBuf vol = data(client.queryInfo(f, FS, 1, 4096, 0));
        assertThat(vol.toString(18, vol.getIntLE(12), StandardCharsets.UTF_16LE))
                .isEqualTo("share");
        ByteBuf size = data(client.queryInfo(f, FS, 3, 4096, 0));
        assertThat(size.getLongLE(0)).isEqualTo((1L << 40) / 4096);
        assertThat(size.getIntLE(16) * size.getIntLE(20)).isEqualTo(4096);
        ByteBuf objectId = data(client.queryInfo(f, FS, 8, 4096, 0));
        assertThat(objectId.readableBytes()).as("FileFsObjectIdInformation").isEqualTo(64);
        assertThat(objectId.getLongLE(0)).as("the volume's id in the GUID").isNotZero();
        assertThat(client.queryInfo(f, FS, 8, 63, 0).status()).isEqualTo(NtStatus.INFO_LENGTH_MISMATCH);
    }

    @Test
    void securityDescriptorFromOwnerGroupAndMode() throws Exception {
        TestClient.Answer small = client.queryInfo(f, SECURITY, 0, 8, 7);
        assertThat(small.status()).isEqualTo(NtStatus.BUFFER_TOO_SMALL);
        int needed = small.body().getIntLE(8);
        ByteBuf sd = data(client.queryInfo(f, SECURITY, 0, needed, 7));
        assertThat(sd.readableBytes()).isEqualTo(needed);
        assertThat(sd.getUnsignedShortLE(2) & 0x8004).isEqualTo(0x8004);
        int owner = sd.getIntLE(4);
        assertThat(sd.getByte(owner + 7)).isEqualTo((byte) 22);
        assertThat(sd.getIntLE(owner + 8)).isEqualTo(1);
        assertThat(sd.getIntLE(owner + 12)).isEqualTo(1000);
        int dacl = sd.getIntLE(16);
        assertThat(sd.getUnsignedShortLE(dacl + 4)).as("AceCount").isEqualTo(3);
        int everyoneAce = dacl + 8 + 24 + 24;
        int everyoneMask = sd.getIntLE(everyoneAce + 4);
        assertThat(everyoneMask & AccessMask.FILE_READ_DATA).isNotZero(); // 0644: others read
        assertThat(everyoneMask & AccessMask.FILE_WRITE_DATA).isZero();

        // the same descriptor with Everyone's ACE given write: kept, and the group (which Everyone includes) and
        // the others may write: mode 0666
        byte[] bytes = new byte[sd.readableBytes()];
        sd.getBytes(0, bytes);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(everyoneAce + 4, everyoneMask | 0x2);
        assertThat(client.setInfo(f, SECURITY, 0, 4, bytes).status()).isZero();
        assertThat(attrs().mode() & 0777).isEqualTo(0666);
        assertThat(data(client.queryInfo(f, SECURITY, 0, needed, 7)).getIntLE(everyoneAce + 4))
                .isEqualTo(everyoneMask | 0x2);
    }

    @Test
    void setBasicTimesAndAttributes() throws Exception {
        FileAttributes before = attrs();
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        long ft = 132_000_000_000_000_000L;
        b.putLong(0, 0).putLong(8, -1).putLong(16, ft).putLong(24, 0).putInt(32, 0x2 | 0x20);
        assertThat(client.setInfo(f, FILE, 4, 0, b.array()).status()).isZero();
        FileAttributes after = attrs();
        assertThat(FileTimes.toFiletime(after.mtime())).isEqualTo(ft);
        assertThat(after.btime()).isEqualTo(before.btime());
        assertThat(after.atime()).isEqualTo(before.atime());
        assertThat(after.dosAttributes().hidden()).isTrue();
        assertThat(client.setInfo(f, FILE, 4, 0, new byte[39]).status()).isEqualTo(NtStatus.INFO_LENGTH_MISMATCH);
        b.putLong(16, 0).putInt(32, 0x10);
        assertThat(client.setInfo(f, FILE, 4, 0, b.array()).status())
                .as("the directory attribute on a file")
                .isEqualTo(NtStatus.INVALID_PARAMETER);
    }

    @Test
    void endOfFileAndAllocation() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 3);
        assertThat(client.setInfo(f, FILE, 20, 0, b.array()).status()).isZero();
        assertThat(attrs().size()).isEqualTo(3);
        b.putLong(0, 100);
        client.setInfo(f, FILE, 20, 0, b.array());
        assertThat(attrs().size()).isEqualTo(100);
        b.putLong(0, 50);
        client.setInfo(f, FILE, 19, 0, b.array());
        assertThat(attrs().size()).isEqualTo(50);
    }

    private static byte[] renameBuffer(String target, boolean replace) {
        byte[] n = target.getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer b = ByteBuffer.allocate(20 + n.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) (replace ? 1 : 0)).putInt(16, n.length).put(20, n);
        return b.array();
    }

    @Test
    void renameAndReplace() throws Exception {
        FileId other = client.open("other", CREATE, 0);
        client.close(other, 0);
        assertThat(client.setInfo(f, FILE, 10, 0, renameBuffer("other", false)).status())
                .isEqualTo(NtStatus.OBJECT_NAME_COLLISION);
        assertThat(client.setInfo(f, FILE, 10, 0, renameBuffer("nodir\\x", false))
                        .status())
                .isEqualTo(NtStatus.OBJECT_PATH_NOT_FOUND);
        assertThat(client.setInfo(f, FILE, 10, 0, renameBuffer("other", true)).status())
                .isZero();
        assertThat(client.memory.lookup(client.memory.root(), "other").size()).isEqualTo(10);
        ByteBuf name = data(client.queryInfo(f, FILE, 18, 4096, 0));
        assertThat(name.toString(100, name.getIntLE(96), StandardCharsets.UTF_16LE))
                .isEqualTo("\\other");
        assertThat(client.setInfo(f, FILE, 10, 0, renameBuffer("dir", true)).status())
                .as("a directory is never replaced")
                .isEqualTo(NtStatus.ACCESS_DENIED);
        assertThat(client.setInfo(f, FILE, 10, 0, renameBuffer("dir\\back.txt", false))
                        .status())
                .isZero();
        assertThat(client.create("dir\\back.txt", 0x80, 7, OPEN, 0).status()).isZero();
    }

    @Test
    void dispositionDeletesAtClose() throws Exception {
        FileId d =
                client.create("dir", AccessMask.DELETE, 7, OPEN, DIRECTORY_FILE).fileId();
        assertThat(client.setInfo(d, FILE, 13, 0, new byte[] {1}).status()).isEqualTo(NtStatus.DIRECTORY_NOT_EMPTY);
        assertThat(client.setInfo(f, FILE, 13, 0, new byte[] {1}).status()).isZero();
        ByteBuf std = data(client.queryInfo(f, FILE, 5, 24, 0));
        assertThat(std.getByte(20)).as("DeletePending").isEqualTo((byte) 1);
        client.close(f, 0);
        assertThat(client.create("dir\\file.txt", 0x80, 7, OPEN, 0).status()).isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
        assertThat(client.setInfo(d, FILE, 13, 0, new byte[] {1}).status()).isZero();
        client.close(d, 0);
        assertThat(client.create("dir", 0x80, 7, OPEN_IF, DIRECTORY_FILE).body().getIntLE(4))
                .as("created anew")
                .isEqualTo(2);
    }
}
