package dev.sgw.it;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A logged-in session on a demo gateway's console (REST API), as an administrator's script has one. */
final class ConsoleSession {
    private static final Pattern CSRF = Pattern.compile("\"csrfToken\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http;
    private final URI console;
    private final String csrf;

    private ConsoleSession(HttpClient http, URI console, String csrf) {
        this.http = http;
        this.console = console;
        this.csrf = csrf;
    }

    /** Logs in with the password the demo printed; fails unless the console lets it in. */
    static ConsoleSession login(DemoGateway demo) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        URI console = URI.create(demo.env("CONSOLE_URL"));
        HttpResponse<String> login = http.send(
                HttpRequest.newBuilder(console.resolve("api/v1/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"password\": \"" + demo.env("CONSOLE_PASSWORD") + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher token = CSRF.matcher(login.body());
        if (login.statusCode() != 200 || !token.find()) {
            throw new IOException("console login: " + login.statusCode() + " " + login.body());
        }
        return new ConsoleSession(http, console, token.group(1));
    }

    /** GET of {@code path} (e.g. {@code api/v1/status} or {@code metrics}). */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(console.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST of {@code json} to {@code path}, with the session's CSRF token. */
    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(console.resolve(path))
                        .header("Content-Type", "application/json")
                        .header("X-CSRF-Token", csrf)
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
