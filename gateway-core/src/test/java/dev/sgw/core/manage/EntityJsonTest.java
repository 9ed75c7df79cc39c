package dev.sgw.core.manage;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API's JSON of single entities: secrets never written, bodies read like the config file. */
class EntityJsonTest {

    @Test
    void writesEveryEntityWithoutItsSecrets() {
        List<Object> entities = List.of(
                Samples.s3(),
                Samples.oss(),
                Samples.disk("ssd"),
                Samples.nfs("/files").build().withId(3),
                Samples.smb("docs").build(),
                Samples.alice(),
                Samples.volume("vol1").chap(Samples.mutualChap()).build());
        for (Object e : entities) {
            String json = EntityJson.write(e).toString();
            for (String secret : Samples.SECRETS) {
                assertThat(json).as(e.getClass().getSimpleName()).doesNotContain(secret);
            }
            assertThat(json).doesNotContain("sealed:", "secretAccessKey", "ntHash", "\"secret\"", "mutualSecret");
        }
        ObjectNode volume = EntityJson.write(
                Samples.volume("vol1").chap(Samples.mutualChap()).build());
        assertThat(volume.get("chap").get("user").asText()).isEqualTo("iqn.1993-08.org.debian:01:host");
        assertThat(volume.get("chap").get("mutualUser").asText()).isEqualTo("target-user");
        assertThat(EntityJson.write(Samples.nfs("/files").build().withId(3))
                        .get("id")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void readsWhatItWritesPlusTheSecretsIgnoringTheId() {
        ObjectNode body = EntityJson.write(Samples.s3()).put("secretAccessKey", Samples.S3_SECRET);
        List<Problem> problems = new ArrayList<>();
        assertThat(EntityJson.read(EntityKind.RESOURCE, body, GatewayState.EMPTY, problems))
                .isEqualTo(Samples.s3());
        assertThat(problems).isEmpty();

        ObjectNode share = EntityJson.write(Samples.nfs("/files").build().withId(9));
        Object read = EntityJson.read(EntityKind.NFS_SHARE, share, GatewayState.EMPTY, problems);
        assertThat(problems).isEmpty();
        assertThat(read).isEqualTo(Samples.nfs("/files").build().withId(9));
    }

    @Test
    void reportsEveryProblemAtItsPathInTheBody() {
        JsonNode body = EntityJson.write(Samples.s3())
                .put("bucket", "X")
                .put("pathStyle", "yes")
                .put("typo", 1);
        List<Problem> problems = new ArrayList<>();
        assertThat(EntityJson.read(EntityKind.RESOURCE, body, GatewayState.EMPTY, problems))
                .isNull();
        assertThat(problems).extracting(Problem::path).contains("$.pathStyle", "$.typo");

        problems.clear();
        ObjectNode good = EntityJson.write(Samples.s3()).put("bucket", "X").put("secretAccessKey", "k");
        assertThat(EntityJson.read(EntityKind.RESOURCE, good, GatewayState.EMPTY, problems))
                .isNull();
        assertThat(problems).extracting(Problem::path).containsExactly("$.bucket");
    }
}
