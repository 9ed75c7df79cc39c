package dev.sgw.smb.file;

import java.util.ArrayList;
import java.util.List;

import dev.sgw.smb.server.FileId;
import dev.sgw.smb.wire.NtStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DirectoryQueryTest {
    private static final int CREATE = 2, OPEN = 1, DIRECTORY_FILE = 1;
    private static final int RESTART = 0x01, SINGLE = 0x02, REOPEN = 0x10;

    private TestClient client;
    private FileId dir;

    @BeforeEach
    void setUp() throws Exception {
        client = new TestClient(new DiskTreeCommands(), TestClient.volume(), 1, 1000);
        client.open("d", CREATE, DIRECTORY_FILE);
        for (String name : List.of("a.txt", "B.TXT", "c.doc", "readme", "x.tar.gz")) {
            client.open("d\\" + name, CREATE, 0);
        }
        dir = client.open("d", OPEN, DIRECTORY_FILE);
    }

    private List<String> list(int infoClass, String pattern) throws Exception {
        List<String> all = new ArrayList<>();
        TestClient.Answer a = client.queryDirectory(dir, infoClass, RESTART, pattern, 65536);
        while (a.status() == 0) {
            all.addAll(TestClient.names(a, infoClass));
            a = client.queryDirectory(dir, infoClass, 0, "", 65536);
        }
        assertThat(a.status()).isEqualTo(all.isEmpty() ? NtStatus.NO_SUCH_FILE : NtStatus.NO_MORE_FILES);
        return all;
    }

    @Test
    void everyClassListsDotDotDotAndTheEntries() throws Exception {
        for (int c : List.of(1, 2, 3, 12, 37, 38)) {
            assertThat(list(c, "*"))
                    .as("class " + c)
                    .containsExactlyInAnyOrder(".", "..", "a.txt", "B.TXT", "c.doc", "readme", "x.tar.gz");
        }
    }

    @Test
    void wildcardsMatchWithoutCase() throws Exception {
        assertThat(list(37, "*.txt")).containsExactlyInAnyOrder("a.txt", "B.TXT");
        assertThat(list(37, "?.TXT")).containsExactlyInAnyOrder("a.txt", "B.TXT");
        assertThat(list(37, "readme")).containsExactly("readme");
        assertThat(list(37, "READ*")).containsExactly("readme");
        assertThat(list(37, "<.gz")).containsExactly("x.tar.gz");
        assertThat(list(37, "x<")).as("DOS_STAR stops at the last period").isEmpty();
        assertThat(list(37, "readme\".*")).isEmpty();
        assertThat(list(37, "readme\""))
                .as("DOS_DOT matches nothing at the end")
                .containsExactly("readme");
        assertThat(list(37, "c>>>>.doc"))
                .as("DOS_QM matches nothing before a period")
                .containsExactly("c.doc");
        assertThat(list(37, "nothing*")).isEmpty();
    }

    @Test
    void singleEntryAndSmallBuffers() throws Exception {
        TestClient.Answer one = client.queryDirectory(dir, 37, RESTART | SINGLE, "*", 65536);
        assertThat(TestClient.names(one, 37)).containsExactly(".");
        // room for exactly one entry with a one-letter name: 104 + 2 bytes
        TestClient.Answer small = client.queryDirectory(dir, 37, 0, "", 104 + 2 * 2 + 7);
        assertThat(TestClient.names(small, 37)).containsExactly("..");
        assertThat(client.queryDirectory(dir, 37, 0, "", 10).status()).isEqualTo(NtStatus.INFO_LENGTH_MISMATCH);
        assertThat(client.queryDirectory(dir, 37, 0, "", 105).status()).isEqualTo(NtStatus.BUFFER_OVERFLOW);
        List<String> rest = new ArrayList<>();
        TestClient.Answer a;
        while ((a = client.queryDirectory(dir, 37, 0, "", 1000)).status() == 0) {
            List<String> names = TestClient.names(a, 37);
            assertThat(a.body().getIntLE(4)).isLessThanOrEqualTo(1000);
            rest.addAll(names);
        }
        assertThat(rest).hasSize(5);
        assertThat(client.queryDirectory(dir, 37, REOPEN, "*.doc", 1000).status())
                .isZero();
    }

    @Test
    void aContinuedListingSeesTheDirectoryAsItIsThen() throws Exception {
        TestClient.Answer first = client.queryDirectory(dir, 37, RESTART | SINGLE, "*", 65536);
        assertThat(TestClient.names(first, 37)).containsExactly(".");
        var d = client.memory.lookup(client.memory.root(), "d");
        client.memory.remove(d.id(), "readme");
        List<String> rest = new ArrayList<>();
        TestClient.Answer a;
        while ((a = client.queryDirectory(dir, 37, 0, "", 65536)).status() == 0) {
            rest.addAll(TestClient.names(a, 37));
        }
        assertThat(rest).containsExactlyInAnyOrder("..", "a.txt", "B.TXT", "c.doc", "x.tar.gz");
    }

    @Test
    void entryLayoutFollowsFscc() throws Exception {
        TestClient.Answer a = client.queryDirectory(dir, 37, RESTART, "a.txt", 65536);
        var b = a.body();
        int e = b.getUnsignedShortLE(2) - 64;
        assertThat(b.getIntLE(4)).isEqualTo(104 + 10);
        assertThat(b.getIntLE(e)).as("NextEntryOffset of the last").isZero();
        assertThat(b.getIntLE(e + 56)).as("FileAttributes").isEqualTo(0x20);
        assertThat(b.getIntLE(e + 60)).as("FileNameLength").isEqualTo(10);
        long inode = client.memory
                .lookup(client.memory.lookup(client.memory.root(), "d").id(), "a.txt")
                .inode();
        assertThat(b.getLongLE(e + 96)).as("FileId").isEqualTo(inode);
    }

    @Test
    void onlyDirectoriesAreListed() throws Exception {
        FileId file = client.open("d\\a.txt", OPEN, 0);
        assertThat(client.queryDirectory(file, 37, 0, "*", 1000).status()).isEqualTo(NtStatus.INVALID_PARAMETER);
        assertThat(client.queryDirectory(dir, 99, 0, "*", 1000).status()).isEqualTo(NtStatus.INVALID_INFO_CLASS);
    }

    @Test
    void patternMatcherCases() {
        assertThat(new WildcardPattern("*").matches("anything")).isTrue();
        assertThat(new WildcardPattern("a*b*c").matches("aXXbYYc")).isTrue();
        assertThat(new WildcardPattern("a*b*c").matches("aXXbYY")).isFalse();
        assertThat(new WildcardPattern("<.txt").matches("my.file.txt")).isTrue();
        assertThat(new WildcardPattern("<").matches("my.file.txt")).isTrue();
        assertThat(new WildcardPattern("a>").matches("a")).isTrue();
        assertThat(new WildcardPattern("a>").matches("ab")).isTrue();
        assertThat(new WildcardPattern("a>").matches("abc")).isFalse();
        assertThat(new WildcardPattern("Ä*").matches("äpfel")).isTrue();
    }
}
