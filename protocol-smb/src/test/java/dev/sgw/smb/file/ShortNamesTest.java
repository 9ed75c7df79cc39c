package dev.sgw.smb.file;

import java.nio.charset.StandardCharsets;

import dev.sgw.smb.server.FileId;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** 8.3 names: made the same every time, answered by FileAlternateNameInformation and listings, found again. */
class ShortNamesTest {
    private static final int CREATE = 2, OPEN = 1, DIRECTORY_FILE = 1, DELETE_ON_CLOSE = 0x1000;

    @Test
    void aLongNameGetsAStableShortNameWithItsExtension() {
        assertThat(ShortNames.of("file.txt")).isEqualTo("file.txt");
        String made = ShortNames.of("torture_search.txt");
        assertThat(made).isEqualTo(ShortNames.of("torture_search.txt")).matches("T[0-9A-Z]{5}~[0-9A-Z]\\.TXT");
        assertThat(ShortNames.isShortName(made)).isTrue();
        assertThat(ShortNames.looksMade(made)).isTrue();
        assertThat(ShortNames.looksMade("file.txt")).isFalse();
        assertThat(ShortNames.matches("torture_search.txt", made.toLowerCase(java.util.Locale.ROOT)))
                .isTrue();
        assertThat(ShortNames.of("torture_search.TXT"))
                .as("another name, another hash")
                .isNotEqualTo(made);
        assertThat(ShortNames.of(".hidden"))
                .as("a leading dot starts no extension")
                .matches("H[0-9A-Z]{5}~[0-9A-Z]");
        assertThat(ShortNames.of("ends.with.dot.")).matches("E[0-9A-Z]{5}~[0-9A-Z]");
        assertThat(ShortNames.of("a b+c.d e")).matches("A[0-9A-Z]{5}~[0-9A-Z]\\.D_E");
    }

    @Test
    void theServerAnswersFindsAndRemembersShortNames() throws Exception {
        TestClient client = new TestClient(new DiskTreeCommands(), TestClient.volume(), 1, 1000);
        FileId dir = client.open("d", CREATE, DIRECTORY_FILE);
        FileId f = client.open("d\\a long name.text", CREATE, 0);
        ByteBuf alt =
                client.queryInfo(f, 1, FileInformation.ALTERNATE_NAME, 4096, 0).body();
        int at = alt.getUnsignedShortLE(2) - 64;
        String shortName = alt.toString(at + 4, alt.getIntLE(at), StandardCharsets.UTF_16LE);
        assertThat(shortName).isEqualTo(ShortNames.of("a long name.text"));
        client.close(f, 0);

        ByteBuf listing = client.queryDirectory(dir, DirectoryQuery.BOTH, 0, "a long*", 4096)
                .body();
        int e = listing.getUnsignedShortLE(2) - 64;
        assertThat((int) listing.getUnsignedByte(e + 68)).as("ShortNameLength").isEqualTo(2 * shortName.length());
        assertThat(listing.toString(e + 70, 2 * shortName.length(), StandardCharsets.UTF_16LE))
                .isEqualTo(shortName);

        TestClient.Answer byShort =
                client.create("d\\" + shortName.toLowerCase(java.util.Locale.ROOT), 0x10000, 7, OPEN, 0);
        assertThat(byShort.status()).as("opened by its 8.3 name").isZero();
        client.close(byShort.fileId(), 0);
        client.close(
                client.create("d\\" + shortName, 0x10000, 7, OPEN, DELETE_ON_CLOSE)
                        .fileId(),
                0);
        assertThat(client.create("d\\a long name.text", 0x80, 7, OPEN, 0).status())
                .as("deleted through its 8.3 name")
                .isEqualTo(NtStatus.OBJECT_NAME_NOT_FOUND);
        client.close(client.open("d\\" + shortName, CREATE, 0), 0);
        assertThat(client.create("d\\a long name.text", 0x80, 7, OPEN, 0).status())
                .as("a CREATE by a remembered 8.3 name makes the long name again, as Samba does")
                .isZero();
    }
}
