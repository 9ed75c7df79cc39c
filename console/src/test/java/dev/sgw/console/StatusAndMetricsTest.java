package dev.sgw.console;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/status}, {@code /api/v1/drain} and {@code /metrics} over a real runtime. */
class StatusAndMetricsTest extends ConsoleFixture {

    @Test
    void statusShowsEachShareAndVolumeWithItsBacklogAndTheCache() throws Exception {
        login();
        json(send("POST", "api/v1/nfs-shares", """
                {"path": "/files", "resource": "bucket", "prefix": "files/", "cacheDisk": "disk", "clients": [{"match": "*"}]}
                """), 201);
        json(send("POST", "api/v1/smb-shares", """
                {"name": "files", "resource": "bucket", "prefix": "files/", "cacheDisk": "disk"}
                """), 201);
        json(send("POST", "api/v1/iscsi-volumes", """
                {"name": "vol1", "capacityBytes": 67108864, "resource": "bucket", "cacheDisk": "disk"}
                """), 201);
        json(send("POST", "api/v1/iscsi-volumes", """
                {"name": "off", "capacityBytes": 67108864, "resource": "bucket", "cacheDisk": "disk", "enabled": false}
                """), 201);

        JsonNode status = json(get("api/v1/status"), 200);
        JsonNode shares = status.get("shares");
        assertThat(shares.findValuesAsText("protocol")).containsExactly("nfs", "smb");
        for (JsonNode s : shares) {
            assertThat(s.get("state").asText()).isEqualTo("online");
            assertThat(s.get("mode").asText()).isEqualTo("CACHE");
            assertThat(s.get("backlog").get("items").asLong()).isNotNegative();
            assertThat(s.get("backlog").has("bytes")).isTrue();
        }
        JsonNode volumes = status.get("volumes");
        assertThat(volumes.get(0).get("name").asText()).isEqualTo("vol1");
        assertThat(volumes.get(0).get("state").asText()).isEqualTo("online");
        assertThat(volumes.get(1).get("state").asText()).isEqualTo("disabled");
        JsonNode disk = status.get("cacheDisks").get(0);
        assertThat(disk.get("name").asText()).isEqualTo("disk");
        assertThat(disk.get("capacityBytes").asLong()).isEqualTo(256L << 20);

        JsonNode drain = json(send("POST", "api/v1/drain", null), 202);
        assertThat(drain.get("started").asBoolean()).isTrue();
        assertThat(drain.get("volumes").asInt()).isEqualTo(2);
        assertThat(send("POST", "api/v1/drain", null, false).statusCode())
                .as("CSRF")
                .isEqualTo(403);
        assertThat(get("api/v1/drain").statusCode()).isEqualTo(405);
    }

    @Test
    void metricsExportTheRuntimeMetersAndTheJvmsInPrometheusText() throws Exception {
        login();
        json(send("POST", "api/v1/nfs-shares", """
                {"path": "/files", "resource": "bucket", "prefix": "files/", "cacheDisk": "disk", "clients": [{"match": "*"}]}
                """), 201);
        HttpResponse<String> metrics = get("metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body())
                .contains("# TYPE sgw_writeback_pending_items gauge")
                .contains("sgw_objectstore_")
                .contains("jvm_memory_used_bytes", "process_cpu_usage", "process_uptime_seconds");
    }

    @Test
    void metricsNeedNoLoginOnLoopback() throws Exception {
        assertThat(get("metrics").statusCode()).isEqualTo(200);
        assertThat(get("").body()).contains("/api/v1/", "/metrics");
        assertThat(get("nothing-here").statusCode()).isEqualTo(404);
    }
}
