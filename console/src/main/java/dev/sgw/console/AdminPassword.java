package dev.sgw.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sgw.core.manage.PrivateFile;

/**
 * The console's admin password, kept only as a PBKDF2-HMAC-SHA256 hash (random 16-byte salt, the
 * iteration count stored with it) in {@code console-admin.json} in the state directory, readable by the
 * owner alone:
 *
 * <pre>
 * {"algorithm": "PBKDF2WithHmacSHA256", "iterations": 310000, "salt": "base64", "hash": "base64"}
 * </pre>
 *
 * A check costs a few hundred milliseconds by design; login attempts are throttled before it
 * ({@link LoginThrottle}).
 */
final class AdminPassword {
    static final String FILE = "console-admin.json";
    static final int MIN_LENGTH = 12;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int ITERATIONS = 310_000;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private volatile Stored stored;

    /** The stored hash; salt and hash in base64 (a record holds no arrays). */
    private record Stored(int iterations, String salt, String hash) {}

    private AdminPassword(Path file, Stored stored) {
        this.file = file;
        this.stored = stored;
    }

    /** The password kept in {@code stateDirectory}, or none yet. */
    static AdminPassword open(Path stateDirectory) throws IOException {
        Path file = stateDirectory.resolve(FILE);
        if (!Files.exists(file)) {
            return new AdminPassword(file, null);
        }
        JsonNode node = ApiExchange.JSON.readTree(file.toFile());
        if (!ALGORITHM.equals(node.path("algorithm").asText())) {
            throw new IOException(file + ": unknown password algorithm " + node.path("algorithm"));
        }
        return new AdminPassword(
                file,
                new Stored(
                        node.path("iterations").asInt(),
                        node.path("salt").asText(),
                        node.path("hash").asText()));
    }

    boolean isSet() {
        return stored != null;
    }

    /** Sets the password (kept when it is already this one, so that a restart does not rewrite the file). */
    void set(String password) throws IOException {
        if (password.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the console password must have at least " + MIN_LENGTH + " characters");
        }
        if (matches(password)) {
            return;
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        Stored next =
                new Stored(ITERATIONS, b64.encodeToString(salt), b64.encodeToString(hash(password, salt, ITERATIONS)));
        ObjectNode node = ApiExchange.JSON
                .createObjectNode()
                .put("algorithm", ALGORITHM)
                .put("iterations", next.iterations())
                .put("salt", next.salt())
                .put("hash", next.hash());
        PrivateFile.write(file, ApiExchange.JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8));
        stored = next;
    }

    /** Whether {@code password} is the admin password (false when none is set). */
    boolean matches(String password) {
        Stored s = stored;
        if (s == null) {
            return false;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        return MessageDigest.isEqual(b64.decode(s.hash()), hash(password, b64.decode(s.salt()), s.iterations()));
    }

    private static byte[] hash(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
