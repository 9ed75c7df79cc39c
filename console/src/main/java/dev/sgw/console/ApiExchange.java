package dev.sgw.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * One HTTP request of the API as the handlers see it: its method, the path segments after
 * {@code /api/v1/}, the JSON body, headers and cookies, and the ways to answer (JSON, or an error).
 */
final class ApiExchange {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Bodies larger than this are refused: no entity comes near it. */
    private static final int MAX_BODY = 1 << 20;

    private final HttpExchange exchange;
    private final List<String> segments;

    ApiExchange(HttpExchange exchange, String prefix) {
        this.exchange = exchange;
        String path = exchange.getRequestURI().getRawPath();
        String rest = path.length() > prefix.length() ? path.substring(prefix.length()) : "";
        List<String> parts = new ArrayList<>();
        for (String p : rest.split("/", -1)) {
            if (!p.isEmpty()) {
                parts.add(URLDecoder.decode(p, StandardCharsets.UTF_8));
            }
        }
        this.segments = List.copyOf(parts);
    }

    String method() {
        return exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    }

    /** Whether the method changes state (everything but GET, HEAD and OPTIONS). */
    boolean changesState() {
        return switch (method()) {
            case "GET", "HEAD", "OPTIONS" -> false;
            default -> true;
        };
    }

    /** The path segments after the API's prefix, decoded: {@code ["nfs-shares", "/demo"]}. */
    List<String> segments() {
        return segments;
    }

    InetAddress client() {
        return exchange.getRemoteAddress().getAddress();
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    /** The value of cookie {@code name}, if the request carries it. */
    Optional<String> cookie(String name) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String pair : header.split("[;,]", -1)) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
                    String value = pair.substring(eq + 1).strip();
                    // an RFC 2965 client (java.net.CookieManager) quotes the value
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    void setHeader(String name, String value) {
        exchange.getResponseHeaders().add(name, value);
    }

    /** The body as JSON; 400 when it is missing, too large or not JSON. */
    JsonNode body() throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiException(413, "the request body is larger than " + MAX_BODY + " bytes");
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest("the request needs a JSON body");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the request needs a JSON body");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    void send(int status, JsonNode body) throws IOException {
        send(status, "application/json", JSON.writeValueAsBytes(body));
    }

    void sendEmpty(int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = method().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /** Answers with the error's status and {@code {"error": ..., "problems": [{"path", "message"}]}}. */
    void sendError(ApiException e) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("error", e.getMessage());
        if (!e.problems().isEmpty()) {
            var list = body.putArray("problems");
            e.problems().forEach(p -> list.addObject().put("path", p.path()).put("message", p.message()));
        }
        send(e.status(), body);
    }
}
