package dev.sgw.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sgw.core.manage.PrivateFile;

/**
 * API tokens for scripts ({@code Authorization: Bearer sgw_...}), each with a name, created by the admin.
 * A token is shown once, when it is created; only its SHA-256 is kept, in {@code console-tokens.json} in
 * the state directory (owner-only). A token is a 256-bit random value, so a plain hash (no salt, no slow
 * KDF) is enough to keep it from being read back.
 */
final class ApiTokens {
    static final String FILE = "console-tokens.json";
    static final String PREFIX = "sgw_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** A stored token: its name, when it was made, and the hex SHA-256 of its value. */
    record Token(String name, Instant created, String sha256) {}

    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile List<Token> tokens;

    private ApiTokens(Path file, List<Token> tokens) {
        this.file = file;
        this.tokens = tokens;
    }

    static ApiTokens open(Path stateDirectory) throws IOException {
        Path file = stateDirectory.resolve(FILE);
        List<Token> tokens = new ArrayList<>();
        if (Files.exists(file)) {
            for (JsonNode t : ApiExchange.JSON.readTree(file.toFile()).path("tokens")) {
                tokens.add(new Token(
                        t.path("name").asText(),
                        Instant.parse(t.path("created").asText()),
                        t.path("sha256").asText()));
            }
        }
        return new ApiTokens(file, List.copyOf(tokens));
    }

    List<Token> list() {
        return tokens;
    }

    /** Makes a token called {@code name} and returns its value (the only time it is shown). */
    String create(String name, Instant now) throws IOException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.invalid(
                    "$.name", "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        lock.lock();
        try {
            if (tokens.stream().anyMatch(t -> t.name().equals(name))) {
                throw new ApiException(409, "API token '" + name + "' already exists");
            }
            String value = PREFIX + Sessions.randomToken();
            List<Token> next = new ArrayList<>(tokens);
            next.add(new Token(name, now, sha256(value)));
            save(next);
            return value;
        } finally {
            lock.unlock();
        }
    }

    void delete(String name) throws IOException {
        lock.lock();
        try {
            List<Token> next =
                    tokens.stream().filter(t -> !t.name().equals(name)).toList();
            if (next.size() == tokens.size()) {
                throw ApiException.notFound("API token '" + name + "'");
            }
            save(next);
        } finally {
            lock.unlock();
        }
    }

    /** The token whose value is {@code value}. */
    Optional<Token> find(String value) {
        byte[] hash = sha256(value).getBytes(StandardCharsets.US_ASCII);
        Token found = null;
        for (Token t : tokens) {
            if (MessageDigest.isEqual(hash, t.sha256().getBytes(StandardCharsets.US_ASCII))) {
                found = t;
            }
        }
        return Optional.ofNullable(found);
    }

    private void save(List<Token> next) throws IOException {
        var root = ApiExchange.JSON.createObjectNode();
        ArrayNode list = root.putArray("tokens");
        next.forEach(t -> list.addObject()
                .put("name", t.name())
                .put("created", t.created().toString())
                .put("sha256", t.sha256()));
        PrivateFile.write(file, ApiExchange.JSON.writeValueAsBytes(root));
        tokens = List.copyOf(next);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
