package dev.sgw.smb.file;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Command;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Named streams ({@link StreamCreate}, {@link StreamData}, {@link StreamRenames}) and EAs over the memory volume. */
class StreamsTest {
    private static final int SUPERSEDE = 0, OPEN = 1, CREATE = 2, OPEN_IF = 3, OVERWRITE = 4;
    private static final int DIRECTORY_FILE = 1, DELETE_ON_CLOSE = 0x1000;
    private static final int FILE = 1, FS = 2;
    private static final int RW = TestClient.READ_WRITE;
    private static final int ALL = 0x1F01FF;

    private TestClient client;

    @BeforeEach
    void setUp() throws Exception {
        client = new TestClient(new DiskTreeCommands(), TestClient.volume(), 1, 1000);
        client.close(client.open("dir", CREATE, DIRECTORY_FILE), 0);
    }

    private static ByteBuf data(TestClient.Answer a) {
        assertThat(a.statusName()).isEqualTo("SUCCESS");
        ByteBuf b = a.body();
        return b.slice(b.getUnsignedShortLE(2) - 64, b.getIntLE(4));
    }

    private FileId created(String name, int access, int share, int disposition) throws Exception {
        TestClient.Answer a = client.create(name, access, share, disposition, 0);
        assertThat(a.statusName()).as("create " + name).isEqualTo("SUCCESS");
        return a.fileId();
    }

    private String status(String name, int access, int share, int disposition, int options) throws Exception {
        TestClient.Answer a = client.create(name, access, share, disposition, options);
        if (a.status() == 0) {
            client.close(a.fileId(), 0);
        }
        return a.statusName();
    }

    private String readAll(FileId f) throws Exception {
        TestClient.Answer r = client.read(f, 0, 1000, 0);
        if (r.status() == NtStatus.END_OF_FILE) {
            return "";
        }
        ByteBuf b = r.body();
        return b.toString(b.getUnsignedByte(2) - 64, b.getIntLE(4), StandardCharsets.UTF_8);
    }

    /** FileStreamInformation as name=size strings. */
    private List<String> streams(FileId f) throws Exception {
        ByteBuf s = data(client.queryInfo(f, FILE, 22, 4096, 0));
        List<String> found = new ArrayList<>();
        int at = 0;
        while (s.readableBytes() > 0) {
            int next = s.getIntLE(at);
            int length = s.getIntLE(at + 4);
            found.add(s.toString(at + 24, length, StandardCharsets.UTF_16LE) + "=" + s.getLongLE(at + 8));
            if (next == 0) {
                break;
            }
            at += next;
        }
        return found;
    }

    private FileAttributes file(String name) throws Exception {
        return client.memory.lookup(
                client.memory.lookup(client.memory.root(), "dir").id(), name);
    }

    @Test
    void aStreamOfAMissingFileMakesBothAndKeepsItsBytesInANamedAttribute() throws Exception {
        FileId s = created("dir\\f.txt:Stream One", RW, 0, CREATE);
        assertThat(client.write(s, 0, "test data".getBytes(StandardCharsets.UTF_8))
                        .statusName())
                .isEqualTo("SUCCESS");
        assertThat(client.write(s, 5, "MORE DATA ".getBytes(StandardCharsets.UTF_8))
                        .statusName())
                .isEqualTo("SUCCESS");
        client.close(s, 0);
        FileAttributes base = file("f.txt");
        assertThat(base.size()).as("the file's own data is untouched").isZero();
        assertThat(new String(
                        client.memory.namedAttributes(base.id()).get("smb.stream.Stream One"), StandardCharsets.UTF_8))
                .isEqualTo("test MORE DATA ");
        FileId again = created("dir\\f.txt:STREAM ONE:$DaTa", RW, 7, OPEN);
        assertThat(readAll(again)).as("stream names match without case").isEqualTo("test MORE DATA ");
        assertThat(data(client.queryInfo(again, FILE, 5, 24, 0)).getLongLE(8))
                .as("FileStandardInformation's EndOfFile is the stream's")
                .isEqualTo(15);
        client.close(again, 0);
        FileId f = created("dir\\f.txt", RW, 7, OPEN);
        assertThat(streams(f)).containsExactly("::$DATA=0", ":Stream One:$DATA=15");
        client.close(f, 0);
    }

    @Test
    void streamNamesAndTypesAreCheckedAsWindowsDoes() throws Exception {
        client.close(created("dir\\f.txt", RW, 7, CREATE), 0);
        assertThat(status("dir\\f.txt:", RW, 7, OPEN_IF, 0)).isEqualTo("OBJECT_NAME_INVALID");
        assertThat(status("dir\\f.txt:s:", RW, 7, OPEN_IF, 0)).isEqualTo("OBJECT_NAME_INVALID");
        assertThat(status("dir\\f.txt:s:$FOO", RW, 7, OPEN_IF, 0)).isEqualTo("OBJECT_NAME_INVALID");
        assertThat(status("dir\\f.txt:s\\t", RW, 7, OPEN_IF, 0)).isEqualTo("OBJECT_NAME_INVALID");
        assertThat(status("dir\\f*:s", RW, 7, OPEN_IF, 0)).isEqualTo("OBJECT_NAME_INVALID");
        assertThat(status("dir\\f.txt:\u0005?S*:$DATA", RW, 7, CREATE, 0)).isEqualTo("SUCCESS");
        assertThat(status("dir\\f.txt:missing", RW, 7, OPEN, 0)).isEqualTo("OBJECT_NAME_NOT_FOUND");
        assertThat(status("dir\\g.txt:s", RW, 7, OPEN, 0)).isEqualTo("OBJECT_NAME_NOT_FOUND");
        assertThat(status("dir\\g.txt:s", RW, 7, CREATE, DIRECTORY_FILE)).isEqualTo("NOT_A_DIRECTORY");
        assertThat(status("dir::$DATA", RW, 7, OPEN, DIRECTORY_FILE)).isEqualTo("NOT_A_DIRECTORY");
        assertThat(status("dir::$DATA", RW, 7, OPEN, 0)).isEqualTo("FILE_IS_A_DIRECTORY");
        assertThat(status("dir\\f.txt::$DATA", RW, 7, OPEN, 0)).isEqualTo("SUCCESS");
        assertThat(status("dir:ds", RW, 7, CREATE, 0))
                .as("a directory may have streams")
                .isEqualTo("SUCCESS");
        FileId d = created("dir", 0x80, 7, OPEN);
        assertThat(streams(d)).containsExactly(":ds:$DATA=0");
    }

    @Test
    void dispositionsOnAStream() throws Exception {
        FileId s = created("dir\\f.txt:s", RW, 7, CREATE);
        client.write(s, 0, "abc".getBytes(StandardCharsets.UTF_8));
        client.close(s, 0);
        assertThat(status("dir\\f.txt:s", RW, 7, CREATE, 0)).isEqualTo("OBJECT_NAME_COLLISION");
        TestClient.Answer over = client.create("dir\\f.txt:s", RW, 7, OVERWRITE, 0);
        assertThat(over.body().getIntLE(4)).as("CreateAction OVERWRITTEN").isEqualTo(3);
        assertThat(readAll(over.fileId())).isEmpty();
        client.close(over.fileId(), 0);
        client.write(created("dir\\f.txt:t", RW, 7, CREATE), 0, "x".getBytes(StandardCharsets.UTF_8));
        FileId f = created("dir\\f.txt", RW, 7, SUPERSEDE);
        assertThat(streams(f))
                .as("an overwritten file keeps only its data stream")
                .containsExactly("::$DATA=0");
    }

    @Test
    void shareModesArePerStreamAndABaseOpenForDeleteMeetsStreamsNotSharingDelete() throws Exception {
        FileId one = created("dir\\f.txt:one", RW, 0, CREATE);
        FileId two = created("dir\\f.txt:two", RW, 0, CREATE);
        assertThat(status("dir\\f.txt:ONE", RW, 0, OPEN, 0)).isEqualTo("SHARING_VIOLATION");
        assertThat(status("dir\\f.txt", RW, 0, OPEN, 0))
                .as("the base file is another file")
                .isEqualTo("SUCCESS");
        assertThat(status("dir\\f.txt", 0x10000, 7, OPEN, 0)).isEqualTo("SHARING_VIOLATION");
        client.close(one, 0);
        client.close(two, 0);
        assertThat(status("dir\\f.txt", 0x10000, 7, OPEN, 0)).isEqualTo("SUCCESS");
    }

    @Test
    void deleteOnCloseOfAStreamRemovesOnlyItAndTheBaseWaitsForItsStreams() throws Exception {
        client.close(created("dir\\f.txt:a", RW, 7, CREATE), 0);
        client.close(created("dir\\f.txt:b", RW, 7, CREATE), 0);
        FileId del =
                client.create("dir\\f.txt:a", ALL, 7, OPEN, DELETE_ON_CLOSE).fileId();
        assertThat(status("dir\\f.txt:a", RW, 7, OPEN, 0)).isEqualTo("DELETE_PENDING");
        client.close(del, 0);
        assertThat(status("dir\\f.txt:a", RW, 7, OPEN, 0)).isEqualTo("OBJECT_NAME_NOT_FOUND");
        FileId b = created("dir\\f.txt:b", RW, 7, OPEN);
        client.write(b, 0, "kept".getBytes(StandardCharsets.UTF_8));
        assertThat(status("dir\\f.txt", ALL, 7, OPEN, DELETE_ON_CLOSE)).isEqualTo("SUCCESS");
        assertThat(readAll(b)).as("the stream reads on after its file's delete").isEqualTo("kept");
        assertThat(status("dir\\f.txt", RW, 7, OPEN_IF, 0)).isEqualTo("DELETE_PENDING");
        assertThat(status("dir\\f.txt:b", RW, 7, OPEN_IF, 0)).isEqualTo("DELETE_PENDING");
        client.close(b, 0);
        assertThat(status("dir\\f.txt", RW, 7, OPEN, 0)).isEqualTo("OBJECT_NAME_NOT_FOUND");
    }

    @Test
    void renamesOfStreams() throws Exception {
        FileId one = created("dir\\f.txt:one", ALL, 7, CREATE);
        client.write(one, 0, "1".getBytes(StandardCharsets.UTF_8));
        FileId two = created("dir\\f.txt:two", ALL, 7, CREATE);
        client.write(two, 0, "22".getBytes(StandardCharsets.UTF_8));
        client.close(two, 0);
        assertThat(client.setInfo(one, FILE, 10, 0, rename(":two", false)).statusName())
                .isEqualTo("OBJECT_NAME_COLLISION");
        assertThat(client.setInfo(one, FILE, 10, 0, rename(":two", true)).statusName())
                .as("a stream that is not empty is not replaced")
                .isEqualTo("INVALID_PARAMETER");
        assertThat(client.setInfo(one, FILE, 10, 0, rename(":Three:$DATA", false))
                        .statusName())
                .isEqualTo("SUCCESS");
        FileId base = created("dir\\f.txt", RW | 0x10000, 7, OPEN);
        assertThat(streams(base)).containsExactly("::$DATA=0", ":Three:$DATA=1", ":two:$DATA=2");
        assertThat(client.setInfo(base, FILE, 10, 0, rename("dir\\g.txt", false))
                        .statusName())
                .as("a file with an open stream is not renamed")
                .isEqualTo("ACCESS_DENIED");
        assertThat(client.setInfo(one, FILE, 10, 0, rename("dir\\f.txt:x", false))
                        .statusName())
                .isEqualTo("SHARING_VIOLATION");
        assertThat(client.setInfo(one, FILE, 10, 0, rename("::$DATA", false)).statusName())
                .as("into the empty data stream")
                .isEqualTo("SUCCESS");
        assertThat(streams(base)).containsExactly("::$DATA=1", ":two:$DATA=2");
        client.close(one, 0);
        assertThat(client.setInfo(base, FILE, 10, 0, rename("dir\\g.txt", false))
                        .statusName())
                .isEqualTo("SUCCESS");
    }

    @Test
    void aStreamHoldsAtMost64KiBAndSetsItsEndOfFile() throws Exception {
        FileId s = created("dir\\f.txt:s", RW, 7, CREATE);
        assertThat(client.write(s, 65535, new byte[2]).statusName()).isEqualTo("DISK_FULL");
        assertThat(client.write(s, 65534, new byte[2]).statusName()).isEqualTo("SUCCESS");
        byte[] eof = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(10)
                .array();
        assertThat(client.setInfo(s, FILE, 20, 0, eof).statusName()).isEqualTo("SUCCESS");
        assertThat(data(client.queryInfo(s, FILE, 5, 24, 0)).getLongLE(8)).isEqualTo(10);
        byte[] huge = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(1 << 20)
                .array();
        assertThat(client.setInfo(s, FILE, 20, 0, huge).statusName()).isEqualTo("DISK_FULL");
    }

    @Test
    void extendedAttributesAreSetQueriedByNameAndRemoved() throws Exception {
        FileId f = created("dir\\f.txt", RW | 0x18, 7, CREATE);
        assertThat(client.queryInfo(f, FILE, 15, 4096, 0).statusName()).isEqualTo("NO_EAS_ON_FILE");
        assertThat(data(client.queryInfo(f, FILE, 7, 4, 0)).getIntLE(0)).isZero();
        byte[] set = fullEa(new String[] {"eaOne", "VALUE1"}, new String[] {"second", "xy"});
        assertThat(client.setInfo(f, FILE, 15, 0, set).statusName()).isEqualTo("SUCCESS");
        assertThat(client.memory.namedAttributes(file("f.txt").id())).containsKeys("smb.ea.EAONE", "smb.ea.SECOND");
        ByteBuf all = data(client.queryInfo(f, FILE, 15, 4096, 0));
        assertThat(all.getIntLE(0))
                .as("NextEntryOffset: 8 + 5 + 1 + 6, 4-aligned")
                .isEqualTo(20);
        assertThat(all.toString(8, 5, StandardCharsets.US_ASCII)).isEqualTo("EAONE");
        assertThat(all.toString(20 + 8, 6, StandardCharsets.US_ASCII)).isEqualTo("SECOND");
        assertThat(data(client.queryInfo(f, FILE, 7, 4, 0)).getIntLE(0))
                .as("EaSize: the FILE_FULL_EA_INFORMATION list's bytes")
                .isEqualTo(all.readableBytes());
        FileId d = created("dir", 0x1, 7, OPEN);
        ByteBuf listed = data(client.queryDirectory(d, 37, 0, "f.txt", 4096));
        assertThat(listed.getIntLE(64))
                .as("FileIdBothDirectoryInformation's EaSize")
                .isEqualTo(all.readableBytes());
        ByteBuf one = data(queryEas(f, "Second", "none"));
        assertThat(one.toString(8, 6, StandardCharsets.US_ASCII)).isEqualTo("SECOND");
        assertThat(one.toString(15, 2, StandardCharsets.US_ASCII)).isEqualTo("xy");
        int next = one.getIntLE(0);
        assertThat(one.getUnsignedShortLE(next + 6))
                .as("a name the file lacks: empty value")
                .isZero();
        assertThat(client.setInfo(f, FILE, 15, 0, fullEa(new String[] {"bad*name", "v"}))
                        .statusName())
                .isEqualTo("INVALID_EA_NAME");
        client.setInfo(f, FILE, 15, 0, fullEa(new String[] {"EAONE", ""}, new String[] {"second", ""}));
        assertThat(client.queryInfo(f, FILE, 15, 4096, 0).statusName()).isEqualTo("NO_EAS_ON_FILE");
    }

    @Test
    void theVolumeSaysItHasNamedStreams() throws Exception {
        FileId f = created("dir\\f.txt", RW, 7, CREATE);
        ByteBuf attr = data(client.queryInfo(f, FS, 5, 4096, 0));
        assertThat(attr.getIntLE(0) & 0x840000).isEqualTo(0x840000);
    }

    private TestClient.Answer queryEas(FileId f, String... names) throws Exception {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (int i = 0; i < names.length; i++) {
            byte[] n = names[i].getBytes(StandardCharsets.US_ASCII);
            int entry = 5 + n.length + 1;
            int padded = (entry + 3) / 4 * 4;
            ByteBuffer e = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
            e.putInt(i < names.length - 1 ? padded : 0).put((byte) n.length).put(n);
            list.writeBytes(e.array());
        }
        byte[] input = list.toByteArray();
        return client.send(Smb2Command.QUERY_INFO, TestClient.message(m -> {
            m.writeShortLE(41);
            m.writeByte(FILE);
            m.writeByte(15);
            m.writeIntLE(4096);
            m.writeShortLE(64 + 40);
            m.writeShortLE(0);
            m.writeIntLE(input.length);
            m.writeIntLE(0);
            m.writeIntLE(0);
            f.write(m);
            m.writeBytes(input);
        }));
    }

    private static byte[] fullEa(String[]... eas) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (int i = 0; i < eas.length; i++) {
            byte[] n = eas[i][0].getBytes(StandardCharsets.US_ASCII);
            byte[] v = eas[i][1].getBytes(StandardCharsets.US_ASCII);
            int entry = 8 + n.length + 1 + v.length;
            int padded = (entry + 3) / 4 * 4;
            ByteBuffer e = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
            e.putInt(i < eas.length - 1 ? padded : 0)
                    .put((byte) 0)
                    .put((byte) n.length)
                    .putShort((short) v.length);
            e.put(n).put((byte) 0).put(v);
            list.writeBytes(e.array());
        }
        return list.toByteArray();
    }

    private static byte[] rename(String target, boolean replace) {
        byte[] n = target.getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer b = ByteBuffer.allocate(20 + n.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) (replace ? 1 : 0))
                .put(new byte[7])
                .putLong(0)
                .putInt(n.length)
                .put(n);
        return b.array();
    }
}
