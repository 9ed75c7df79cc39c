package dev.sgw.core.manage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatePersistenceTest {
    @TempDir
    Path dir;

    private Path stateFile() {
        return dir.resolve(StateFile.NAME);
    }

    @Test
    void aRestartRestoresEverythingExactly() throws Exception {
        ManagementService first = ManagementService.open(dir);
        Samples.populate(first);
        GatewayState saved = first.state();

        ManagementService second = ManagementService.open(dir);
        assertThat(second.state()).isEqualTo(saved);
        assertThat(second.smbUser("alice").ntHash()).isEqualTo(NtHash.ofPassword(Samples.ALICE_PASSWORD));
        assertThat(second.iscsiVolume("vol1").chap().mutualSecret().reveal()).isEqualTo(Samples.MUTUAL_SECRET);
        assertThat(second.resource("minio").secretAccessKey().reveal()).isEqualTo(Samples.S3_SECRET);
        assertThat(second.nfsShare("/demo").clients())
                .isEqualTo(saved.nfsShare("/demo").orElseThrow().clients());

        // ids keep counting after a restart
        second.createIscsiVolume(Samples.volume("vol3").build());
        assertThat(second.iscsiVolume("vol3").id()).isEqualTo(saved.nextId());
    }

    @Test
    void theSmbAccessFieldsSurviveARestart() throws Exception {
        ManagementService first = ManagementService.open(dir);
        first.createResource(Samples.s3());
        first.createCacheDisk(Samples.disk("ssd"));
        first.createSmbUser(Samples.alice().withIds(2001, 2002));
        first.createSmbUser(SmbUser.withPassword("bob", "bob-PASSWORD-7").withEnabled(false));
        first.createSmbShare(Samples.smb("docs")
                .allowedUsers(List.of("alice", "bob"))
                .readOnlyUsers(List.of("bob"))
                .browseable(false)
                .encryptData(true)
                .caseSensitive(true)
                .build());
        GatewayState saved = first.state();
        JsonNode file = StateFile.MAPPER.readTree(stateFile().toFile());
        assertThat(file.at("/smbShares/0/readOnlyUsers/0").asText()).isEqualTo("bob");
        assertThat(file.at("/smbShares/0/browseable").asBoolean()).isFalse();
        assertThat(file.at("/smbUsers/0/uid").asInt()).isEqualTo(2001);
        assertThat(file.at("/smbUsers/1/enabled").asBoolean()).isFalse();
        assertThat(file.at("/smbUsers/1").has("uid"))
                .as("an unset uid is not written")
                .isFalse();

        ManagementService second = ManagementService.open(dir);
        assertThat(second.state()).isEqualTo(saved);
        SmbShare docs = second.smbShare("docs");
        assertThat(List.of(docs.browseable(), docs.encryptData(), docs.caseSensitive()))
                .containsExactly(false, true, true);
        assertThat(docs.readOnlyUsers()).containsExactly("bob");
        assertThat(second.smbUser("alice").uid()).isEqualTo(2001);
        assertThat(second.smbUser("alice").gid()).isEqualTo(2002);
        assertThat(second.smbUser("bob").enabled()).isFalse();
        assertThat(second.smbUser("bob").uid()).isNull();
    }

    @Test
    void aStateFileFromBeforeTheSmbAccessFieldsLoadsWithTheirDefaults() throws Exception {
        ManagementService first = ManagementService.open(dir);
        Samples.populate(first);
        GatewayState saved = first.state();
        ObjectNode root = (ObjectNode) StateFile.MAPPER.readTree(stateFile().toFile());
        for (JsonNode smb : root.get("smbShares")) {
            ((ObjectNode) smb).remove(List.of("readOnlyUsers", "browseable", "encryptData", "caseSensitive"));
        }
        for (JsonNode user : root.get("smbUsers")) {
            ((ObjectNode) user).remove("enabled");
        }
        Files.write(stateFile(), StateFile.MAPPER.writeValueAsBytes(root));
        assertThat(Files.readString(stateFile())).doesNotContain("browseable", "readOnlyUsers");

        ManagementService second = ManagementService.open(dir);
        assertThat(second.state()).isEqualTo(saved);
        assertThat(second.smbShare("demo").browseable()).isTrue();
        assertThat(second.smbUser("alice").enabled()).isTrue();
    }

    @Test
    void aStateFileFromBeforeSmbSharesHadCapacityAndOwnerStillLoads() throws Exception {
        ManagementService first = ManagementService.open(dir);
        Samples.populate(first); // SMB share 'demo' is on NFS share /demo's location, owned by 1000:1001
        first.createSmbShare(Samples.smb("solo").build());
        GatewayState saved = first.state();
        ObjectNode root = (ObjectNode) StateFile.MAPPER.readTree(stateFile().toFile());
        for (JsonNode smb : root.get("smbShares")) {
            ((ObjectNode) smb).remove(List.of("capacityBytes", "ownerUid", "ownerGid"));
        }
        Files.write(stateFile(), StateFile.MAPPER.writeValueAsBytes(root));
        assertThat(Files.readString(stateFile())).doesNotContain("ownerUid");

        ManagementService second = ManagementService.open(dir);
        assertThat(second.state())
                .as("the SMB share on an NFS share's location takes its capacity and owner, as the volume had")
                .isEqualTo(saved);
        SmbShare solo = second.smbShare("solo");
        assertThat(solo.capacityBytes()).isEqualTo(NfsShare.DEFAULT_CAPACITY);
        assertThat(solo.ownerUid()).isEqualTo(NfsShare.NOBODY);
        assertThat(solo.ownerGid()).isEqualTo(NfsShare.NOBODY);
        SmbShare demo = second.smbShare("demo");
        assertThat(List.of(demo.ownerUid(), demo.ownerGid())).containsExactly(1000, 1001);
    }

    @Test
    void secretsAreNotInTheFileInClear() throws Exception {
        Samples.populate(ManagementService.open(dir));
        String json = Files.readString(stateFile());
        for (String secret : Samples.SECRETS) {
            assertThat(json).doesNotContain(secret);
        }
        assertThat(json)
                .doesNotContainIgnoringCase(
                        NtHash.ofPassword(Samples.ALICE_PASSWORD).toHex());
        assertThat(json).contains(StateSealer.PREFIX);
        // the clear parts are there: the file is the state, not a blob
        assertThat(json).contains("\"path\" : \"/demo\"", "\"accessKeyId\" : \"AKIDEXAMPLE\"");
    }

    @Test
    void theKeyIsCreatedPrivate() throws Exception {
        ManagementService.open(dir);
        Path key = dir.resolve(StateSealer.KEY_FILE);
        assertThat(Files.size(key)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
    }

    @Test
    void anotherKeyFailsClearlyAndChangesNothing() throws Exception {
        Samples.populate(ManagementService.open(dir));
        byte[] state = Files.readAllBytes(stateFile());
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        Files.write(dir.resolve(StateSealer.KEY_FILE), other);

        assertThatThrownBy(() -> ManagementService.open(dir))
                .isInstanceOf(StateFileException.class)
                .hasMessageContaining("$.resources[0].secretAccessKey: secretAccessKey does not decrypt with state-key")
                .hasMessageContaining("$.smbUsers[0].ntHash")
                .hasMessageContaining("the file is kept as it is");
        assertThat(Files.readAllBytes(stateFile())).isEqualTo(state);
    }

    @Test
    void aMissingKeyFailsClearly() throws Exception {
        Samples.populate(ManagementService.open(dir));
        Files.delete(dir.resolve(StateSealer.KEY_FILE));
        assertThatThrownBy(() -> ManagementService.open(dir))
                .isInstanceOf(StateFileException.class)
                .hasMessageContaining("exists but its key")
                .hasMessageContaining("state-key is missing");
        assertThat(dir.resolve(StateSealer.KEY_FILE)).doesNotExist();
    }

    @Test
    void aSealedValueMovedToAnotherEntityDoesNotOpen() throws Exception {
        ManagementService service = ManagementService.open(dir);
        service.createResource(Samples.s3());
        service.createResource(Samples.oss());
        String json = Files.readString(stateFile());
        String s3Sealed = sealedAfter(json, "\"name\" : \"minio\"");
        String ossSealed = sealedAfter(json, "\"name\" : \"oss1\"");
        Files.writeString(stateFile(), json.replace(ossSealed, s3Sealed));
        assertThatThrownBy(() -> ManagementService.open(dir))
                .isInstanceOf(StateFileException.class)
                .hasMessageContaining("$.resources[1].secretAccessKey")
                .hasMessageContaining("value was altered or moved");
    }

    private static String sealedAfter(String json, String marker) {
        int from = json.indexOf(StateSealer.PREFIX, json.indexOf(marker));
        return json.substring(from, json.indexOf('"', from));
    }

    @Test
    void aCorruptFileRefusesToStartAndIsKept() throws Exception {
        Samples.populate(ManagementService.open(dir));
        byte[] good = Files.readAllBytes(stateFile());
        byte[] corrupt = new String(good, StandardCharsets.UTF_8)
                .substring(0, good.length / 2)
                .getBytes(StandardCharsets.UTF_8);
        Files.write(stateFile(), corrupt);

        assertThatThrownBy(() -> ManagementService.open(dir))
                .isInstanceOf(StateFileException.class)
                .hasMessageContaining(stateFile().toString())
                .hasMessageContaining("is not valid JSON at line")
                .hasMessageContaining("the file is kept as it is");
        assertThat(Files.readAllBytes(stateFile())).isEqualTo(corrupt);
    }

    @Test
    void aFileBreakingRulesRefusesToStart() throws Exception {
        Samples.populate(ManagementService.open(dir));
        String json = Files.readString(stateFile());
        Files.writeString(
                stateFile(),
                json.replace("\"uploadDelaySeconds\" : 10", "\"uploadDelaySeconds\" : 999")
                        .replace("\"format\" : 1", "\"format\" : 7"));
        assertThatThrownBy(() -> ManagementService.open(dir))
                .isInstanceOf(StateFileException.class)
                .hasMessageContaining("$.format: must be 1")
                .hasMessageContaining(
                        "$.nfsShares[0].uploadDelaySeconds: NFS share /demo: uploadDelaySeconds must be 0..120 seconds, got 999");
    }

    @Test
    void anEmptyFileRefusesToStart() throws Exception {
        Samples.populate(ManagementService.open(dir));
        Files.write(stateFile(), new byte[0]);
        assertThatThrownBy(() -> ManagementService.open(dir))
                .isInstanceOf(StateFileException.class)
                .hasMessageContaining("is empty");
        assertThat(Files.size(stateFile())).isZero();
    }

    @Test
    void aFailedSaveLeavesTheOldStateOnDiskAndInMemory() throws Exception {
        AtomicBoolean fail = new AtomicBoolean();
        ManagementService service = ManagementService.open(dir, tmp -> {
            if (fail.get()) {
                throw new IOException("disk pulled between write and rename");
            }
        });
        Samples.populate(service);
        GatewayState before = service.state();
        String onDisk = Files.readString(stateFile());

        fail.set(true);
        assertThatThrownBy(() -> service.deleteNfsShare("/other"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("disk pulled");
        assertThat(service.state()).isEqualTo(before);
        assertThat(Files.readString(stateFile())).isEqualTo(onDisk);
        assertThat(ManagementService.open(dir).state()).isEqualTo(before);

        // the leftover temporary file does not stop the next save
        fail.set(false);
        service.deleteNfsShare("/other");
        assertThat(ManagementService.open(dir).state().nfsShare("/other")).isEmpty();
    }
}
