package dev.sgw.core.manage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts the secrets of the state file with AES-256-GCM under the key in {@code state-key} (32 random
 * bytes, created with permissions 0600 on first start). A sealed value is
 * {@code sealed:v1:<base64(12-byte nonce | ciphertext | 16-byte tag)>}; its associated data is a label
 * naming the entity and field ({@code resources/r1/secretAccessKey}), so a sealed value moved to another
 * field does not open.
 */
final class StateSealer {
    static final String PREFIX = "sealed:v1:";
    static final String KEY_FILE = "state-key";
    private static final Logger LOG = LoggerFactory.getLogger(StateSealer.class);
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private StateSealer(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Reads the key of {@code directory}. */
    static StateSealer open(Path directory) throws IOException {
        Path file = directory.resolve(KEY_FILE);
        byte[] key;
        try {
            key = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StateFileException("cannot read the state key " + file + ": " + e.getMessage(), e);
        }
        if (key.length != KEY_BYTES) {
            throw new StateFileException("the state key " + file + " has " + key.length + " bytes instead of "
                    + KEY_BYTES + "; restore the key file that belongs to this state");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream()
                    .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                LOG.warn(
                        "the state key {} is readable by others ({}); it should be 0600",
                        file,
                        PosixFilePermissions.toString(perms));
            }
        } catch (UnsupportedOperationException notPosix) {
            // nothing to check
        }
        return new StateSealer(key);
    }

    /** Creates a new random key in {@code directory} (0600), written atomically; fails if one exists. */
    static StateSealer create(Path directory) throws IOException {
        Path file = directory.resolve(KEY_FILE);
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path tmp = directory.resolve(KEY_FILE + ".tmp");
        PrivateFile.writeNew(tmp, key);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        StateFile.syncDirectory(directory);
        LOG.info("created a new state key {}", file);
        return new StateSealer(key);
    }

    String seal(byte[] plain, String label) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plain bytes of {@code text}; a message (never the value) when it cannot be opened. */
    byte[] open(String text, String label) throws SealException {
        if (!text.startsWith(PREFIX)) {
            throw new SealException("is not an encrypted value (" + PREFIX + "...)");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new SealException("is not valid base64");
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealException("is too short to be an encrypted value");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            c.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SealException(
                    "does not decrypt with " + KEY_FILE + " (a different key file, or the value was altered or moved)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Why a sealed value did not open. */
    static final class SealException extends Exception {
        private static final long serialVersionUID = 1L;

        SealException(String message) {
            super(message);
        }
    }
}
