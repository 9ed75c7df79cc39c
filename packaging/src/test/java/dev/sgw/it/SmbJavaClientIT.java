package dev.sgw.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.mserref.NtStatus;
import com.hierynomus.msfscc.FileNotifyAction;
import com.hierynomus.msfscc.directory.FileNotifyInformation;
import com.hierynomus.mssmb2.SMB2CompletionFilter;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.mssmb2.messages.SMB2ChangeNotifyResponse;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.share.Directory;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.File;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * smbj, an SMB2/3 client in Java, on the demo share of {@code sgw demo}, for what the command-line tools do
 * not reach, each checked across protocols with libnfs's NFS tools on the same share: an encrypted and signed
 * 3.1.1 session's writes read back over NFS, a change notification for a file an NFS client created, a byte-range
 * lock that an NFS client's read and another SMB client meet, and a server-side copy (SRV_COPYCHUNK) read back
 * over NFS. One gateway serves the whole class.
 */
class SmbJavaClientIT {
    private static final int MIB = 1 << 20;

    @TempDir
    static Path dir;

    private static DemoGateway demo;
    private static NfsUrl nfs;

    @BeforeAll
    static void start() throws IOException {
        TestTools.require("nfs-cp");
        demo = DemoGateway.start(dir.resolve("demo"));
        nfs = NfsUrl.demo(demo.port("NFS_PORT"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (demo != null) {
            demo.close();
        }
    }

    /** A session of the demo user. */
    private static Session connect(SMBClient client) throws IOException {
        Connection connection = client.connect("127.0.0.1", demo.port("SMB_PORT"));
        return connection.authenticate(new AuthenticationContext(
                demo.env("SMB_USER"), demo.env("SMB_PASSWORD").toCharArray(), null));
    }

    /** A client of {@code dialects} that signs always and encrypts when asked. */
    private static SMBClient client(boolean encrypt, SMB2Dialect... dialects) {
        return new SMBClient(SmbConfig.builder()
                .withDialects(dialects)
                .withSigningRequired(true)
                .withEncryptData(encrypt)
                .withTimeout(60, TimeUnit.SECONDS)
                .build());
    }

    private static File open(DiskShare share, String name, SMB2CreateDisposition disposition) {
        return share.openFile(
                name,
                EnumSet.of(AccessMask.GENERIC_READ, AccessMask.GENERIC_WRITE),
                null,
                SMB2ShareAccess.ALL,
                disposition,
                null);
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** The file's bytes as an NFS client reads them. */
    private static byte[] overNfs(String name) throws Exception {
        Path local = Files.createTempFile(dir, "nfs-", ".bin");
        Files.delete(local);
        LibNfs.copy(nfs.file(name), local.toString());
        return Files.readAllBytes(local);
    }

    @Test
    void anEncryptedSessionsWritesAreReadBackOverSmbAndOverNfs() throws Exception {
        byte[] data = random(8 * MIB + 12345, 1);
        try (SMBClient client = client(true, SMB2Dialect.SMB_3_1_1);
                Session session = connect(client);
                DiskShare share = (DiskShare) session.connectShare("demo")) {
            assertThat(session.getConnection().getConnectionContext().supportsEncryption())
                    .isTrue();
            try (File f = open(share, "sealed.bin", SMB2CreateDisposition.FILE_OVERWRITE_IF)) {
                for (int at = 0; at < data.length; at += MIB) {
                    f.write(data, at, at, Math.min(MIB, data.length - at));
                }
            }
            byte[] back = new byte[data.length];
            try (File f = open(share, "sealed.bin", SMB2CreateDisposition.FILE_OPEN)) {
                int got = 0;
                while (got < data.length) {
                    int n = f.read(back, got, got, Math.min(MIB, data.length - got));
                    assertThat(n).as("read at %d", got).isPositive();
                    got += n;
                }
            }
            assertThat(back).isEqualTo(data);
        }
        assertThat(overNfs("sealed.bin")).isEqualTo(data);
    }

    @Test
    void aChangeNotificationTellsOfAFileAnNfsClientCreated() throws Exception {
        Path source = dir.resolve("created.bin");
        Files.write(source, random(4096, 2));
        try (SMBClient client = client(false, SMB2Dialect.SMB_3_0_2);
                Session session = connect(client);
                DiskShare share = (DiskShare) session.connectShare("demo")) {
            try (Directory watched = share.openDirectory(
                    "",
                    EnumSet.of(AccessMask.FILE_LIST_DIRECTORY, AccessMask.FILE_READ_ATTRIBUTES),
                    null,
                    SMB2ShareAccess.ALL,
                    SMB2CreateDisposition.FILE_OPEN,
                    null)) {
                Future<SMB2ChangeNotifyResponse> change =
                        watched.watchAsync(EnumSet.of(SMB2CompletionFilter.FILE_NOTIFY_CHANGE_FILE_NAME), false);

                LibNfs.copy(source.toString(), nfs.file("created.bin"));

                SMB2ChangeNotifyResponse response = change.get(60, TimeUnit.SECONDS);
                assertThat(response.getHeader().getStatusCode()).isEqualTo(NtStatus.STATUS_SUCCESS.getValue());
                List<FileNotifyInformation> told = response.getFileNotifyInfoList();
                assertThat(told)
                        .extracting(FileNotifyInformation::getAction, FileNotifyInformation::getFileName)
                        .contains(tuple(FileNotifyAction.FILE_ACTION_ADDED, "created.bin"));
            }
        }
    }

    @Test
    void anExclusiveByteRangeLockHoldsOffAnotherSmbClientAndAnNfsReaderUntilUnlocked() throws Exception {
        byte[] data = random(64 * 1024, 4);
        try (SMBClient holderClient = client(false, SMB2Dialect.SMB_3_1_1);
                Session holder = connect(holderClient);
                DiskShare holderShare = (DiskShare) holder.connectShare("demo");
                SMBClient otherClient = client(false, SMB2Dialect.SMB_2_1);
                Session other = connect(otherClient);
                DiskShare otherShare = (DiskShare) other.connectShare("demo")) {
            try (File locked = open(holderShare, "locked.bin", SMB2CreateDisposition.FILE_OVERWRITE_IF)) {
                locked.write(data, 0);
                locked.requestLock().exclusiveLock(0, 4096, true).send();

                try (File second = open(otherShare, "locked.bin", SMB2CreateDisposition.FILE_OPEN)) {
                    assertThatThrownBy(() -> second.requestLock()
                                    .sharedLock(100, 10, true)
                                    .send())
                            .isInstanceOfSatisfying(
                                    SMBApiException.class,
                                    e -> assertThat(e.getStatus()).isEqualTo(NtStatus.STATUS_LOCK_NOT_GRANTED));
                    second.requestLock().sharedLock(4096, 10, true).send(); // past the locked bytes
                }
                assertThatThrownBy(() -> overNfs("locked.bin"))
                        .as("an NFS read of bytes an SMB client locked")
                        .isInstanceOf(AssertionError.class)
                        .hasMessageContaining("locked.bin")
                        .hasMessageContaining("Failed to read");

                locked.requestLock().unlock(0, 4096).send();
            }
            assertThat(overNfs("locked.bin")).isEqualTo(data);
        }
    }

    @Test
    void aServerSideCopyMakesTheSameBytesAnNfsClientReads() throws Exception {
        byte[] data = random(3 * MIB + 777, 5);
        try (SMBClient client = client(false, SMB2Dialect.SMB_3_1_1);
                Session session = connect(client);
                DiskShare share = (DiskShare) session.connectShare("demo")) {
            try (File source = open(share, "copy-source.bin", SMB2CreateDisposition.FILE_OVERWRITE_IF)) {
                source.write(data, 0);
                try (File target = open(share, "copy-target.bin", SMB2CreateDisposition.FILE_OVERWRITE_IF)) {
                    source.remoteCopyTo(target);
                }
            }
        }
        assertThat(overNfs("copy-target.bin")).isEqualTo(data);
    }

    @Test
    void aWrongPasswordIsRefused() {
        try (SMBClient client = client(false, SMB2Dialect.SMB_3_1_1)) {
            assertThatThrownBy(() -> client.connect("127.0.0.1", demo.port("SMB_PORT"))
                            .authenticate(new AuthenticationContext(
                                    demo.env("SMB_USER"), "not the password".toCharArray(), null)))
                    .isInstanceOfSatisfying(
                            SMBApiException.class,
                            e -> assertThat(e.getStatus()).isEqualTo(NtStatus.STATUS_LOGON_FAILURE));
        }
    }
}
