package dev.sgw.core.manage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.sgw.core.manage.ConfigChange.Action;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayConfigFileTest {
    @TempDir
    Path dir;

    private static final String GOOD = """
            {
              "resources": [
                {"name": "minio", "kind": "S3", "endpoint": "http://127.0.0.1:9000", "region": "us-east-1",
                 "bucket": "bucket-a", "keyPrefix": "gw/", "accessKeyId": "AKIDEXAMPLE",
                 "secretAccessKey": "s3-SECRET-key-7f2e9a", "pathStyle": true}
              ],
              "cacheDisks": [{"name": "ssd", "directory": "/var/cache/sgw", "capacityBytes": 1073741824}],
              "nfsShares": [
                {"path": "/demo", "mode": "sync", "resource": "minio", "cacheDisk": "ssd",
                 "userMapping": "ALL_SQUASH", "clients": [{"match": "10.0.0.0/8", "access": "rw"}, {"match": "*", "access": "ro"}]}
              ],
              "smbShares": [{"name": "demo", "mode": "SYNC", "resource": "minio", "cacheDisk": "ssd", "allowedUsers": ["alice"]}],
              "smbUsers": [{"name": "alice", "password": "alice-PASSWORD-93"}],
              "iscsiVolumes": [
                {"name": "vol1", "capacityBytes": 1073741824, "blockSize": 4096, "resource": "minio", "cacheDisk": "ssd",
                 "chap": {"user": "init", "secret": "chapSECRET0123", "mutualUser": "tgt", "mutualSecret": "mutualSECRET99"}}
              ]
            }
            """;

    private Path write(String name, String json) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    @Test
    void takesCommentsAndAnEmptyConfiguration() throws Exception {
        GatewayConfigFile config = GatewayConfigFile.load(write("starter.json", """
                // nothing configured yet
                {
                  /* a bucket binding goes here */
                  "resources": [], "cacheDisks": [], "nfsShares": [], "smbShares": [], "smbUsers": [],
                  "iscsiVolumes": [] // none
                }
                """));
        ManagementService service = ManagementService.open(dir.resolve("state"));
        service.apply(config);
        assertThat(service.resources()).isEmpty();
        assertThat(service.nfsShares()).isEmpty();
    }

    @Test
    void loadsAndAppliesToAnEmptyState() throws Exception {
        GatewayConfigFile config = GatewayConfigFile.load(write("sgw.json", GOOD));
        ManagementService service = ManagementService.open(dir.resolve("state"));
        List<ConfigChange> changes = new ArrayList<>();
        service.addListener(changes::add);
        service.apply(config);

        assertThat(service.nfsShare("/demo").mode()).isEqualTo(VolumeMode.SYNC);
        assertThat(service.nfsShare("/demo").clients())
                .containsExactly(new ClientRule("10.0.0.0/8", true), new ClientRule("*", false));
        assertThat(service.nfsShare("/demo").uploadDelaySeconds()).isEqualTo(5);
        assertThat(service.smbShare("DEMO").id())
                .isEqualTo(service.nfsShare("/demo").id());
        assertThat(service.smbUser("alice").ntHash()).isEqualTo(NtHash.ofPassword("alice-PASSWORD-93"));
        assertThat(service.iscsiVolume("vol1").chap().secret().reveal()).isEqualTo("chapSECRET0123");
        assertThat(changes)
                .extracting(ConfigChange::kind)
                .containsExactly(
                        EntityKind.RESOURCE,
                        EntityKind.CACHE_DISK,
                        EntityKind.SMB_USER,
                        EntityKind.NFS_SHARE,
                        EntityKind.SMB_SHARE,
                        EntityKind.ISCSI_VOLUME);
        String state = Files.readString(service.stateFile());
        assertThat(state)
                .doesNotContain("alice-PASSWORD-93", "s3-SECRET-key-7f2e9a", "chapSECRET0123", "mutualSECRET99");
        assertThat(ManagementService.open(dir.resolve("state")).state()).isEqualTo(service.state());
    }

    @Test
    void theFileWinsOverAnExistingState() throws Exception {
        ManagementService service = ManagementService.open(dir.resolve("state"));
        service.apply(GatewayConfigFile.load(write("sgw.json", GOOD)));
        int nfsId = service.nfsShare("/demo").id();
        service.createNfsShare(Samples.nfs("/extra").build());

        String changed = GOOD.replace("\"iscsiVolumes\": [", "\"iscsiVolumes\": [], \"x\": [");
        List<ConfigChange> changes = new ArrayList<>();
        service.addListener(changes::add);
        // an unknown field is refused
        assertThatThrownBy(() -> GatewayConfigFile.load(write("bad.json", changed)))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("$.x: is not a known field");

        String withoutVolumes = GOOD.substring(0, GOOD.indexOf("\"iscsiVolumes\""))
                        .replace("\"mode\": \"sync\"", "\"mode\": \"sync\", \"uploadDelaySeconds\": 30")
                + "\"iscsiVolumes\": []\n}";
        service.apply(GatewayConfigFile.load(write("sgw2.json", withoutVolumes)));

        assertThat(service.nfsShare("/demo").uploadDelaySeconds()).isEqualTo(30);
        assertThat(service.nfsShare("/demo").id()).isEqualTo(nfsId);
        assertThat(service.nfsShares()).extracting(NfsShare::path).containsExactly("/demo");
        assertThat(service.iscsiVolumes()).isEmpty();
        assertThat(changes)
                .extracting(ConfigChange::action, ConfigChange::name)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Action.DELETED, "vol1"),
                        org.assertj.core.groups.Tuple.tuple(Action.DELETED, "/extra"),
                        org.assertj.core.groups.Tuple.tuple(Action.UPDATED, "/demo"));
    }

    @Test
    void everyProblemIsReportedWithItsPath() throws Exception {
        String bad = """
                {
                  "resources": [
                    {"name": "minio", "kind": "S4", "bucket": "b"},
                    {"name": "oss1", "kind": "OSS", "endpoint": "https://oss.example.com", "bucket": "bucket-b",
                     "accessKeyId": "k", "secretAccessKey": "s"}
                  ],
                  "cacheDisks": [{"name": "ssd", "directory": "relative/dir", "capacityBytes": 1073741824}],
                  "nfsShares": [
                    {"path": "/demo", "resource": "oss1", "cacheDisk": "ssd", "clients": [{"match": "*"}], "uploadDelaySeconds": 500},
                    {"path": "/ok", "resource": "oss1", "cacheDisk": "nope", "clients": [{"match": "bad host", "access": "rw"}]},
                    {"path": "/fine", "resource": "oss1", "cacheDisk": "nope", "clients": [{"match": "*", "access": "rwx"}]},
                    {"path": "/good", "resource": "oss1", "cacheDisk": "nope", "clients": [{"match": "*"}], "anonUid": "x"}
                  ],
                  "smbUsers": [{"name": "bob", "password": "pw", "passwd": "typo"}],
                  "iscsiVolumes": [{"name": "v", "capacityBytes": 1048576, "resource": "oss1", "mode": "WRITE_THROUGH",
                                    "chap": {"user": "u", "secret": "short"}}]
                }
                """;
        assertThatThrownBy(() -> GatewayConfigFile.load(write("bad.json", bad)))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.problems())
                            .extracting(Problem::path)
                            .contains(
                                    "$.resources[0].kind",
                                    "$.cacheDisks[0].directory",
                                    "$.nfsShares[0].uploadDelaySeconds",
                                    "$.nfsShares[1].clients[0].match",
                                    "$.nfsShares[2].clients[0].access",
                                    "$.nfsShares[3].anonUid",
                                    "$.smbUsers[0].passwd",
                                    "$.iscsiVolumes[0].chap.secret");
                    assertThat(e.getMessage())
                            .contains("$.resources[0].kind: must be one of OSS, S3, MEMORY, got 'S4'");
                    assertThat(e.getMessage())
                            .contains("$.iscsiVolumes[0].chap.secret: CHAP: secret must be 12-16 characters, got 5");
                    assertThat(e.getMessage()).doesNotContain("short\"", "typo");
                });
    }

    @Test
    void anSmbShareHasItsOwnCapacityAndOwnerOrTheNfsSharesOnItsLocation() throws Exception {
        String sized = GOOD.replace(
                        "\"userMapping\": \"ALL_SQUASH\",",
                        "\"userMapping\": \"ALL_SQUASH\", \"capacityBytes\": 1073741824, \"anonUid\": 1000, \"anonGid\": 1001,")
                .replace("\"allowedUsers\": [\"alice\"]}]", """
                        "allowedUsers": ["alice"]},
                        {"name": "solo", "resource": "minio", "cacheDisk": "ssd", "capacityBytes": 2147483648,
                         "ownerUid": 2000, "ownerGid": 2001}]""");
        GatewayState state = GatewayConfigFile.load(write("sgw.json", sized)).entities();
        SmbShare demo = state.smbShare("demo").orElseThrow();
        assertThat(List.of(demo.capacityBytes(), (long) demo.ownerUid(), (long) demo.ownerGid()))
                .as("not given: the NFS share's on the same location")
                .containsExactly(1L << 30, 1000L, 1001L);
        SmbShare solo = state.smbShare("solo").orElseThrow();
        assertThat(List.of(solo.capacityBytes(), (long) solo.ownerUid(), (long) solo.ownerGid()))
                .containsExactly(2L << 30, 2000L, 2001L);

        String contradicting = sized.replace(
                "\"mode\": \"SYNC\", \"resource\": \"minio\", \"cacheDisk\": \"ssd\", \"allowedUsers\"",
                "\"mode\": \"SYNC\", \"resource\": \"minio\", \"cacheDisk\": \"ssd\", \"ownerUid\": 0, \"allowedUsers\"");
        assertThat(contradicting).isNotEqualTo(sized);
        assertThatThrownBy(() -> GatewayConfigFile.load(write("bad.json", contradicting)))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.problems()).extracting(Problem::path).containsExactly("$.smbShares[0].prefix");
                    assertThat(e.getMessage())
                            .contains("SMB share 'demo' and NFS share /demo cover the same prefix 'gw/demo/'")
                            .contains(
                                    "must then have the same owner (ownerUid:ownerGid 0:1001 and anonUid:anonGid 1000:1001)");
                });
    }

    @Test
    void theSmbAccessFieldsAreReadWithTheirRules() throws Exception {
        String access = GOOD.replace("\"allowedUsers\": [\"alice\"]}]", """
                        "allowedUsers": ["alice", "bob"], "readOnlyUsers": ["BOB"], "browseable": false,
                         "encryptData": true, "caseSensitive": true}]""")
                .replace("\"smbUsers\": [{\"name\": \"alice\", \"password\": \"alice-PASSWORD-93\"}]", """
                        "smbUsers": [{"name": "alice", "password": "alice-PASSWORD-93", "uid": 2001, "gid": 100},
                                     {"name": "bob", "password": "bob-PASSWORD-7", "enabled": false}]""");
        assertThat(access).contains("readOnlyUsers", "\"uid\": 2001");
        GatewayState state = GatewayConfigFile.load(write("sgw.json", access)).entities();
        SmbShare demo = state.smbShare("demo").orElseThrow();
        assertThat(demo.readOnlyFor("bob")).isTrue();
        assertThat(List.of(demo.browseable(), demo.encryptData(), demo.caseSensitive()))
                .containsExactly(false, true, true);
        SmbUser alice = state.smbUser("alice").orElseThrow();
        assertThat(List.of(alice.uid(), alice.gid())).containsExactly(2001, 100);
        assertThat(alice.enabled()).isTrue();
        assertThat(state.smbUser("bob").orElseThrow().enabled()).isFalse();

        String bad = access.replace("\"readOnlyUsers\": [\"BOB\"]", "\"readOnlyUsers\": [\"carol\"]")
                .replace("\"uid\": 2001", "\"uid\": -3")
                .replace("\"enabled\": false", "\"enabled\": \"no\"")
                .replace("bob-PASSWORD-7", "short");
        assertThatThrownBy(() -> GatewayConfigFile.load(write("bad.json", bad)))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.problems())
                            .extracting(Problem::path)
                            .contains("$.smbShares[0].readOnlyUsers", "$.smbUsers[0].uid", "$.smbUsers[1].enabled");
                    assertThat(e.getMessage())
                            .contains("readOnlyUsers must name allowed users only; 'carol' is not in allowedUsers")
                            .contains("uid must not be negative, got -3")
                            .doesNotContain("short");
                });
        String weak = access.replace("bob-PASSWORD-7", "short");
        assertThatThrownBy(() -> GatewayConfigFile.load(write("weak.json", weak)))
                .isInstanceOfSatisfying(
                        ConfigFileException.class,
                        e -> assertThat(e.getMessage())
                                .contains(
                                        "$.smbUsers[1].password: SMB user 'bob': password must be 8-256 characters, got 5")
                                .doesNotContain("short"));
    }

    @Test
    void crossEntityProblemsPointAtTheRightElement() throws Exception {
        String bad = GOOD.replace("\"nfsShares\": [", """
                "nfsShares": [
                    {"path": "/broken", "resource": "minio", "cacheDisk": "ssd", "clients": []},
                    {"path": "/orphan", "resource": "nope", "cacheDisk": "ssd", "clients": [{"match": "*"}]},
                """);
        assertThatThrownBy(() -> GatewayConfigFile.load(write("bad.json", bad)))
                .isInstanceOfSatisfying(
                        ConfigFileException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::path)
                                .containsExactly("$.nfsShares[0].clients", "$.nfsShares[1].resource"));
    }

    @Test
    void invalidJsonIsReportedWithItsPosition() throws Exception {
        assertThatThrownBy(() -> GatewayConfigFile.load(write("bad.json", "{\n  \"resources\": [,]\n}")))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("not valid JSON at line 2");
    }

    @Test
    void sealedValuesAreNotAcceptedAsClearSecrets() throws Exception {
        String bad = GOOD.replace("\"password\": \"alice-PASSWORD-93\"", "\"password\": \"sealed:v1:AAAA\"");
        assertThatThrownBy(() -> GatewayConfigFile.load(write("bad.json", bad)))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("$.smbUsers[0].password: is an encrypted value from a state file");
    }
}
