package dev.sgw.console;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who may call the API: sessions, CSRF, API tokens, the login throttle and the password at rest. */
class AuthTest extends ConsoleFixture {

    private static final String DISK = "{\"name\": \"d2\", \"directory\": \"/tmp/d2\", \"capacityBytes\": 268435456}";

    @Test
    void everyCallButLoginNeedsASessionOrToken() throws Exception {
        for (String path : new String[] {"api/v1/resources", "api/v1/status", "api/v1/tokens", "api/v1/nfs-shares/x"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
        }
        assertThat(send("POST", "api/v1/cache-disks", DISK, false).statusCode()).isEqualTo(401);
        assertThat(send("POST", "api/v1/drain", null, false).statusCode()).isEqualTo(401);
        assertThat(bearer("sgw_not-a-token", "GET", "api/v1/resources", null).statusCode())
                .isEqualTo(401);
        assertThat(management.cacheDisks()).hasSize(1);
    }

    @Test
    void aSessionCookieIsHttpOnlyStrictAndChangesNeedTheCsrfHeader() throws Exception {
        HttpResponse<String> r = send("POST", "api/v1/login", "{\"password\": \"" + PASSWORD + "\"}", false);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith("sgw_session=")
                .contains("HttpOnly", "SameSite=Strict");
        csrf = JSON.readTree(r.body()).get("csrfToken").asText();

        assertThat(get("api/v1/resources").statusCode())
                .as("a read needs no CSRF header")
                .isEqualTo(200);
        HttpResponse<String> noCsrf = send("POST", "api/v1/cache-disks", DISK, false);
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(noCsrf.body()).contains("X-CSRF-Token");
        assertThat(send("DELETE", "api/v1/cache-disks/disk", null, false).statusCode())
                .isEqualTo(403);
        assertThat(management.cacheDisks()).hasSize(1);

        String saved = csrf;
        csrf = "wrong";
        assertThat(send("POST", "api/v1/cache-disks", DISK, true).statusCode()).isEqualTo(403);
        csrf = saved;
        assertThat(send("POST", "api/v1/cache-disks", DISK, true).statusCode()).isEqualTo(201);

        assertThat(send("POST", "api/v1/logout", null, true).statusCode()).isEqualTo(204);
        assertThat(get("api/v1/resources").statusCode()).as("logged out").isEqualTo(401);
    }

    @Test
    void apiTokensWorkWithoutCsrfAndAreShownOnce() throws Exception {
        login();
        HttpResponse<String> created = send("POST", "api/v1/tokens", "{\"name\": \"ci\"}");
        String token = json(created, 201).get("token").asText();
        assertThat(token).startsWith("sgw_");
        HttpResponse<String> list = get("api/v1/tokens");
        assertThat(json(list, 200).findValuesAsText("name")).containsExactly("ci");
        assertThat(list.body()).doesNotContain(token);
        assertThat(Files.readString(dir.resolve("state").resolve(ApiTokens.FILE)))
                .doesNotContain(token);

        assertThat(bearer(token, "GET", "api/v1/resources", null).statusCode()).isEqualTo(200);
        assertThat(bearer(token, "POST", "api/v1/cache-disks", DISK).statusCode())
                .isEqualTo(201);
        assertThat(bearer(token, "GET", "metrics", null).statusCode()).isEqualTo(200);

        assertThat(send("DELETE", "api/v1/tokens/ci", null).statusCode()).isEqualTo(204);
        assertThat(bearer(token, "GET", "api/v1/resources", null).statusCode()).isEqualTo(401);
    }

    @Test
    void loginsAreThrottledPerClient() throws Exception {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            HttpResponse<String> wrong = send("POST", "api/v1/login", "{\"password\": \"wrong password!\"}", false);
            assertThat(wrong.statusCode()).as("attempt %d", i + 1).isEqualTo(401);
        }
        HttpResponse<String> throttled = send("POST", "api/v1/login", "{\"password\": \"" + PASSWORD + "\"}", false);
        assertThat(throttled.statusCode()).as("even the right password waits").isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(throttled.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void theWrongUserOrAMissingPasswordDoesNotLogIn() throws Exception {
        assertThat(send("POST", "api/v1/login", "{\"user\": \"root\", \"password\": \"" + PASSWORD + "\"}", false)
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<String> missing = send("POST", "api/v1/login", "{}", false);
        assertThat(json(missing, 400).get("problems").get(0).get("path").asText())
                .isEqualTo("$.password");
        assertThat(get("api/v1/login").statusCode()).isEqualTo(405);
    }

    @Test
    void thePasswordIsKeptHashedForTheOwnerOnly() throws Exception {
        var file = dir.resolve("state").resolve(AdminPassword.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("PBKDF2WithHmacSHA256").doesNotContain(PASSWORD);
    }

    @Test
    void aConsoleOffLoopbackRefusesToStartWithoutAPassword() {
        assertThatThrownBy(() -> ConsoleServer.start(
                        new InetSocketAddress("0.0.0.0", 0), runtime, dir.resolve("elsewhere"), null))
                .isInstanceOf(ConsoleServer.NoPasswordException.class)
                .hasMessageContaining("--console-password");
        assertThatThrownBy(() -> ConsoleServer.start(
                        new InetSocketAddress("127.0.0.1", 0), runtime, dir.resolve("elsewhere"), "short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 12 characters");
    }

    private HttpResponse<String> bearer(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try (HttpClient plain = HttpClient.newHttpClient()) {
            return plain.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
