package dev.sgw.core.manage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** No record's toString, no log line and no error message holds a secret, in clear or as its NT hash. */
class SecretMaskingTest {
    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void release() {
        root.detachAppender(logs);
    }

    private static List<String> forbidden() {
        List<String> all = new ArrayList<>(Samples.SECRETS);
        all.add(NtHash.ofPassword(Samples.ALICE_PASSWORD).toHex());
        all.add(NtHash.ofPassword(Samples.ALICE_PASSWORD).toHex().toLowerCase());
        return all;
    }

    @Test
    void everyRecordAndLogLineIsFreeOfSecrets() throws Exception {
        List<ConfigChange> changes = new ArrayList<>();
        ManagementService service = ManagementService.open(dir);
        service.addListener(changes::add);
        Samples.populate(service);
        service.updateSmbUser(SmbUser.withPassword("alice", Samples.ALICE_PASSWORD + "2"));
        service.deleteIscsiVolume("vol1");
        ManagementService.open(dir);

        List<String> printed = new ArrayList<>();
        GatewayState s = service.state();
        printed.add(s.toString());
        List.of(s.resources(), s.cacheDisks(), s.nfsShares(), s.smbShares(), s.smbUsers(), s.iscsiVolumes())
                .forEach(list -> list.forEach(r -> printed.add(r.toString())));
        printed.add(Samples.mutualChap().toString());
        printed.add(Samples.s3().toString());
        changes.forEach(c -> printed.add(c.toString()));
        logs.list.forEach(e -> printed.add(e.getFormattedMessage()));

        assertThat(printed).hasSizeGreaterThan(20);
        assertThat(changes).isNotEmpty();
        assertThat(logs.list).isNotEmpty();
        for (String line : printed) {
            for (String secret : forbidden()) {
                assertThat(line).as("printed text").doesNotContain(secret);
            }
        }
        assertThat(Samples.s3().toString()).contains("secretAccessKey=****");
        assertThat(Samples.alice().toString()).contains("NtHash[****]");
    }

    @Test
    void aWrongKeyMessageHoldsNoSecret() throws Exception {
        Samples.populate(ManagementService.open(dir));
        Files.write(dir.resolve(StateSealer.KEY_FILE), new byte[32]);
        try {
            ManagementService.open(dir);
        } catch (StateFileException e) {
            for (String secret : forbidden()) {
                assertThat(e.getMessage()).doesNotContain(secret);
            }
            return;
        }
        throw new AssertionError("a wrong key must fail");
    }
}
