package dev.sgw.console;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sgw.core.manage.NtHash;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Create, read, update and delete of every entity over real HTTP, with the checks and the write-only secrets. */
class EntityApiTest extends ConsoleFixture {

    @BeforeEach
    void logIn() throws Exception {
        login();
    }

    @Test
    void resourcesKeepTheirSecretWriteOnly() throws Exception {
        String body = """
                {"name": "r2", "kind": "S3", "endpoint": "%s", "bucket": "console", "keyPrefix": "r2/",
                 "accessKeyId": "%s", "secretAccessKey": "%s", "pathStyle": true}
                """.formatted(s3.endpoint(), s3.accessKey(), s3.secretKey());
        HttpResponse<String> created = send("POST", "api/v1/resources", body);
        JsonNode r = json(created, 201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/resources/r2");
        assertThat(r.get("bucket").asText()).isEqualTo("console");
        assertThat(r.has("secretAccessKey")).isFalse();
        assertThat(created.body()).doesNotContain(s3.secretKey());

        HttpResponse<String> list = get("api/v1/resources");
        assertThat(json(list, 200)).hasSize(2);
        assertThat(list.body()).doesNotContain(s3.secretKey());

        JsonNode updated = json(send("PUT", "api/v1/resources/r2", """
                {"name": "r2", "kind": "S3", "endpoint": "%s", "region": "eu-west-1", "bucket": "console",
                 "keyPrefix": "r2/", "accessKeyId": "%s", "pathStyle": true}
                """.formatted(s3.endpoint(), s3.accessKey())), 200);
        assertThat(updated.get("region").asText()).isEqualTo("eu-west-1");
        assertThat(management.resource("r2").secretAccessKey().reveal())
                .as("an update without the secret keeps it")
                .isEqualTo(s3.secretKey());
        assertThat(management.resource("r2").region()).isEqualTo("eu-west-1");

        assertThat(send("DELETE", "api/v1/resources/r2", null).statusCode()).isEqualTo(204);
        assertThat(get("api/v1/resources/r2").statusCode()).isEqualTo(404);
        assertThat(management.resources()).hasSize(1);
    }

    @Test
    void cacheDisksAreCreatedPatchedAndDeleted() throws Exception {
        json(send("POST", "api/v1/cache-disks", """
                {"name": "d2", "directory": "%s", "capacityBytes": 268435456}
                """.formatted(dir.resolve("cache2"))), 201);
        assertThat(json(get("api/v1/cache-disks/d2"), 200).get("capacityBytes").asLong())
                .isEqualTo(268435456L);
        JsonNode patched = json(send("PATCH", "api/v1/cache-disks/d2", "{\"capacityBytes\": 536870912}"), 200);
        assertThat(patched.get("capacityBytes").asLong()).isEqualTo(536870912L);
        assertThat(management.cacheDisk("d2").capacityBytes()).isEqualTo(536870912L);
        assertThat(send("DELETE", "api/v1/cache-disks/d2", null).statusCode()).isEqualTo(204);
        assertThat(management.cacheDisks()).hasSize(1);
    }

    @Test
    void nfsSharesAreNamedByTheirPath() throws Exception {
        JsonNode created = json(send("POST", "api/v1/nfs-shares", """
                {"path": "/files", "resource": "bucket", "prefix": "files/", "cacheDisk": "disk",
                 "clients": [{"match": "127.0.0.1", "access": "rw"}]}
                """), 201);
        assertThat(created.get("id").asInt()).isPositive();
        assertThat(json(get("api/v1/nfs-shares/files"), 200).get("path").asText())
                .isEqualTo("/files");
        assertThat(json(get("api/v1/nfs-shares/%2Ffiles"), 200).get("prefix").asText())
                .isEqualTo("files/");
        JsonNode patched = json(send("PATCH", "api/v1/nfs-shares/files", "{\"uploadDelaySeconds\": 7}"), 200);
        assertThat(patched.get("uploadDelaySeconds").asInt()).isEqualTo(7);
        assertThat(patched.get("id").asInt()).isEqualTo(created.get("id").asInt());
        assertThat(management.nfsShare("/files").uploadDelaySeconds()).isEqualTo(7);
        assertThat(send("DELETE", "api/v1/nfs-shares/files", null).statusCode()).isEqualTo(204);
        assertThat(management.nfsShares()).isEmpty();
    }

    @Test
    void smbUsersAndSharesNeverShowThePassword() throws Exception {
        HttpResponse<String> user =
                send("POST", "api/v1/smb-users", "{\"name\": \"alice\", \"password\": \"alice-password-1\"}");
        JsonNode u = json(user, 201);
        assertThat(u.has("password")).isFalse();
        assertThat(u.has("ntHash")).isFalse();
        assertThat(user.body()).doesNotContain("alice-password-1");
        NtHash hash = management.smbUser("alice").ntHash();

        json(send("PATCH", "api/v1/smb-users/ALICE", "{\"enabled\": false}"), 200);
        assertThat(management.smbUser("alice").enabled()).isFalse();
        assertThat(management.smbUser("alice").ntHash())
                .as("kept without a password")
                .isEqualTo(hash);
        json(send("PUT", "api/v1/smb-users/alice", "{\"password\": \"another-password\"}"), 200);
        assertThat(management.smbUser("alice").ntHash()).isEqualTo(NtHash.ofPassword("another-password"));
        assertThat(management.smbUser("alice").enabled())
                .as("PUT replaces: enabled by default")
                .isTrue();

        JsonNode share = json(send("POST", "api/v1/smb-shares", """
                {"name": "docs", "resource": "bucket", "prefix": "docs/", "cacheDisk": "disk",
                 "allowedUsers": ["alice"]}
                """), 201);
        assertThat(share.get("browseable").asBoolean()).isTrue();
        json(send("PATCH", "api/v1/smb-shares/docs", "{\"browseable\": false}"), 200);
        assertThat(management.smbShare("docs").browseable()).isFalse();

        HttpResponse<String> inUse = send("DELETE", "api/v1/smb-users/alice", null);
        assertThat(json(inUse, 409).get("error").asText()).contains("SMB share 'docs'");
        assertThat(send("DELETE", "api/v1/smb-shares/docs", null).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "api/v1/smb-users/alice", null).statusCode()).isEqualTo(204);
        assertThat(management.smbUsers()).isEmpty();
    }

    @Test
    void iscsiVolumesKeepTheirChapSecret() throws Exception {
        HttpResponse<String> created = send("POST", "api/v1/iscsi-volumes", """
                {"name": "vol1", "capacityBytes": 67108864, "resource": "bucket", "cacheDisk": "disk",
                 "chap": {"user": "initiator", "secret": "twelve-chars"}}
                """);
        JsonNode v = json(created, 201);
        assertThat(v.get("chap").get("user").asText()).isEqualTo("initiator");
        assertThat(v.get("chap").has("secret")).isFalse();
        assertThat(created.body()).doesNotContain("twelve-chars");
        assertThat(get("api/v1/iscsi-volumes").body()).doesNotContain("twelve-chars");

        json(
                send(
                        "PATCH",
                        "api/v1/iscsi-volumes/vol1",
                        "{\"capacityBytes\": 134217728, \"chap\": {\"user\": \"init2\"}}"),
                200);
        assertThat(management.iscsiVolume("vol1").capacityBytes()).isEqualTo(134217728L);
        assertThat(management.iscsiVolume("vol1").chap().user()).isEqualTo("init2");
        assertThat(management.iscsiVolume("vol1").chap().secret().reveal()).isEqualTo("twelve-chars");

        HttpResponse<String> shrink = send("PATCH", "api/v1/iscsi-volumes/vol1", "{\"capacityBytes\": 67108864}");
        assertThat(json(shrink, 400).get("problems").get(0).get("path").asText())
                .isEqualTo("$.capacityBytes");
        assertThat(send("DELETE", "api/v1/iscsi-volumes/vol1", null).statusCode())
                .isEqualTo(204);
        assertThat(management.iscsiVolumes()).isEmpty();
    }

    @Test
    void aBodyThatBreaksRulesIsA400WithJsonPaths() throws Exception {
        JsonNode bad = json(send("POST", "api/v1/resources", """
                {"name": "bad", "kind": "S3", "bucket": "X", "bogus": 1}
                """), 400);
        assertThat(bad.get("problems").findValuesAsText("path")).contains("$.bucket", "$.bogus");
        assertThat(bad.toString()).contains("must be 3-63 characters", "is not a known field");

        JsonNode type = json(send("POST", "api/v1/cache-disks", "{\"name\": \"d\", \"capacityBytes\": \"big\"}"), 400);
        assertThat(type.get("problems").findValuesAsText("path")).contains("$.capacityBytes");

        JsonNode reference = json(send("POST", "api/v1/nfs-shares", """
                {"path": "/x", "resource": "nope", "prefix": "x/", "cacheDisk": "disk", "clients": [{"match": "*"}]}
                """), 400);
        assertThat(reference.get("problems").get(0).get("path").asText()).isEqualTo("$.resource");
        assertThat(reference.get("error").asText()).contains("nope");

        assertThat(json(send("POST", "api/v1/resources", "{not json"), 400)
                        .get("error")
                        .asText())
                .contains("not valid JSON");
        assertThat(management.resources()).hasSize(1);
        assertThat(management.nfsShares()).isEmpty();
    }

    @Test
    void unknownNamesAre404AndDuplicates409() throws Exception {
        assertThat(json(get("api/v1/smb-shares/nope"), 404).get("error").asText())
                .contains("nope");
        assertThat(json(send("DELETE", "api/v1/iscsi-volumes/nope", null), 404)
                        .get("error")
                        .asText())
                .contains("nope");
        assertThat(get("api/v1/no-such-thing").statusCode()).isEqualTo(404);
        assertThat(json(send("POST", "api/v1/cache-disks", """
                {"name": "disk", "directory": "%s", "capacityBytes": 268435456}
                """.formatted(dir.resolve("c3"))), 409)
                        .get("error")
                        .asText())
                .contains("already exists");
        json(send("POST", "api/v1/nfs-shares", """
                {"path": "/files", "resource": "bucket", "prefix": "files/", "cacheDisk": "disk", "clients": [{"match": "*"}]}
                """), 201);
        assertThat(json(send("DELETE", "api/v1/resources/bucket", null), 409)
                        .get("error")
                        .asText())
                .contains("in use by NFS share /files");
    }
}
