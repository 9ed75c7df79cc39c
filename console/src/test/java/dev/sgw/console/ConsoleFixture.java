package dev.sgw.console;

import java.io.IOException;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sgw.core.gateway.GatewayRuntime;
import dev.sgw.core.manage.BackendKind;
import dev.sgw.core.manage.CacheDiskConfig;
import dev.sgw.core.manage.CloudResource;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.Secret;
import dev.sgw.core.store.S3ProxyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A console over real parts, for its tests: an S3Proxy bucket, a management state on a temporary directory
 * (the resource "bucket" and the cache disk "disk"), a gateway runtime publishing into the console's
 * registry, and the console on a free loopback port with the admin password {@link #PASSWORD}; plus an
 * HTTP client that keeps cookies.
 */
abstract class ConsoleFixture {
    static final String PASSWORD = "correct horse battery";
    static final String BUCKET = "console";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    S3ProxyFixture s3;
    ManagementService management;
    GatewayRuntime runtime;
    ConsoleServer console;
    HttpClient http;
    URI base;
    /** The CSRF token of the last {@link #login()}. */
    String csrf;

    @BeforeEach
    void startConsole() throws Exception {
        s3 = S3ProxyFixture.start(dir.resolve("s3"));
        s3.createBucket(BUCKET);
        management = ManagementService.open(dir.resolve("state"));
        management.createResource(new CloudResource(
                "bucket",
                BackendKind.S3,
                s3.endpoint(),
                null,
                BUCKET,
                "",
                s3.accessKey(),
                Secret.of(s3.secretKey()),
                true));
        management.createCacheDisk(CacheDiskConfig.of("disk", dir.resolve("cache"), 256L << 20));
        runtime = GatewayRuntime.start(dir.resolve("data"), management, ConsoleMetrics.registry());
        console = ConsoleServer.start(new InetSocketAddress("127.0.0.1", 0), runtime, dir.resolve("state"), PASSWORD);
        http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        base = URI.create("http://127.0.0.1:" + console.port() + "/");
    }

    @AfterEach
    void stopConsole() throws Exception {
        console.close();
        runtime.close();
        s3.close();
    }

    /** Logs in as the admin; keeps the session cookie (in the client) and the CSRF token. */
    void login() throws Exception {
        HttpResponse<String> r = send("POST", "api/v1/login", "{\"password\": \"" + PASSWORD + "\"}", false);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        csrf = JSON.readTree(r.body()).get("csrfToken").asText();
    }

    /** A request with the session (and its CSRF token when {@code withCsrf}). */
    HttpResponse<String> send(String method, String path, String body, boolean withCsrf)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (withCsrf && csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, body, true);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, false);
    }

    /** The JSON body of a response that must have {@code status}. */
    static JsonNode json(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as("%s %s", r.request().method(), r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }
}
