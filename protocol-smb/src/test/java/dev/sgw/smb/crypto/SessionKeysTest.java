package dev.sgw.smb.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.sgw.smb.crypto.MicrosoftVectors.Smb30;
import dev.sgw.smb.crypto.MicrosoftVectors.Smb311Ccm;
import dev.sgw.smb.crypto.MicrosoftVectors.Smb311Gcm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionKeysTest {
    @ParameterizedTest
    @ValueSource(ints = {0x0300, 0x0302})
    void smb30KeysMatchMicrosoftsVector(int dialect) {
        SessionKeys keys = SessionKeys.derive(dialect, Hex.bytes(Smb30.SESSION_KEY), null, null);

        assertThat(Hex.of(keys.signingKey())).isEqualTo(Smb30.SIGNING_KEY);
        // the server decrypts what the client encrypts, and the other way round
        assertThat(Hex.of(keys.decryptionKey())).isEqualTo(Smb30.CLIENT_ENCRYPTION_KEY);
        assertThat(Hex.of(keys.encryptionKey())).isEqualTo(Smb30.CLIENT_DECRYPTION_KEY);
        assertThat(Hex.of(keys.applicationKey())).isEqualTo(Smb30.APPLICATION_KEY);
    }

    @Test
    void smb311KeysMatchMicrosoftsGcmVector() {
        SessionKeys keys = SessionKeys.derive(
                0x0311, Hex.bytes(Smb311Gcm.SESSION_KEY), Hex.bytes(Smb311Gcm.PREAUTH_HASH), CipherSuite.AES_128_GCM);

        assertThat(Hex.of(keys.signingKey())).isEqualTo(Smb311Gcm.SIGNING_KEY);
        assertThat(Hex.of(keys.decryptionKey())).isEqualTo(Smb311Gcm.CLIENT_ENCRYPTION_KEY);
        assertThat(Hex.of(keys.encryptionKey())).isEqualTo(Smb311Gcm.CLIENT_DECRYPTION_KEY);
        assertThat(Hex.of(keys.applicationKey())).isEqualTo(Smb311Gcm.APPLICATION_KEY);
    }

    @Test
    void smb311KeysMatchMicrosoftsCcmVector() {
        SessionKeys keys = SessionKeys.derive(
                0x0311, Hex.bytes(Smb311Ccm.SESSION_KEY), Hex.bytes(Smb311Ccm.PREAUTH_HASH), CipherSuite.AES_128_CCM);

        assertThat(Hex.of(keys.signingKey())).isEqualTo(Smb311Ccm.SIGNING_KEY);
        assertThat(Hex.of(keys.decryptionKey())).isEqualTo(Smb311Ccm.CLIENT_ENCRYPTION_KEY);
        assertThat(Hex.of(keys.encryptionKey())).isEqualTo(Smb311Ccm.CLIENT_DECRYPTION_KEY);
        assertThat(Hex.of(keys.applicationKey())).isEqualTo(Smb311Ccm.APPLICATION_KEY);
    }

    @Test
    void smb311WithoutACipherDerivesAes128Keys() {
        byte[] sessionKey = Hex.bytes(Smb311Gcm.SESSION_KEY);
        byte[] hash = Hex.bytes(Smb311Gcm.PREAUTH_HASH);

        SessionKeys keys = SessionKeys.derive(0x0311, sessionKey, hash, null);

        assertThat(Hex.of(keys.encryptionKey())).isEqualTo(Smb311Gcm.CLIENT_DECRYPTION_KEY);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0202, 0x0210})
    void smb2SignsWithTheSessionKeyItselfAndHasNoCipherKeys(int dialect) {
        byte[] sessionKey = Hex.bytes(Smb30.SESSION_KEY);

        SessionKeys keys = SessionKeys.derive(dialect, sessionKey, null, null);

        assertThat(keys.signingKey()).isEqualTo(sessionKey);
        assertThat(keys.encryptionKey()).isNull();
        assertThat(keys.decryptionKey()).isNull();
    }

    /**
     * No published vector covers AES-256, so the 256-bit keys are checked against SP800-108 written out here
     * with javax.crypto: one HMAC-SHA256 block with L = 256, from the whole (here 32-byte Kerberos-like) key.
     */
    @Test
    void aes256CipherKeysAre256BitsFromTheFullSessionKey() throws Exception {
        byte[] fullKey = new byte[32];
        for (int i = 0; i < fullKey.length; i++) {
            fullKey[i] = (byte) (0xA0 + i);
        }
        byte[] hash = Hex.bytes(Smb311Gcm.PREAUTH_HASH);

        for (CipherSuite cipher : new CipherSuite[] {CipherSuite.AES_256_CCM, CipherSuite.AES_256_GCM}) {
            SessionKeys keys = SessionKeys.derive(0x0311, fullKey, hash, cipher);

            assertThat(keys.encryptionKey()).isEqualTo(spKdfOneBlock(fullKey, "SMBS2CCipherKey", hash, 256));
            assertThat(keys.decryptionKey()).isEqualTo(spKdfOneBlock(fullKey, "SMBC2SCipherKey", hash, 256));
            // signing stays AES-128, keyed with the first 16 bytes of the session key
            byte[] key16 = Arrays.copyOf(fullKey, 16);
            assertThat(keys.signingKey())
                    .isEqualTo(Arrays.copyOf(spKdfOneBlock(key16, "SMBSigningKey", hash, 128), 16));
        }
    }

    @Test
    void aes256WithAnNtlmSessionKeyUsesIts16Bytes() throws Exception {
        byte[] sessionKey = Hex.bytes(Smb311Gcm.SESSION_KEY);
        byte[] hash = Hex.bytes(Smb311Gcm.PREAUTH_HASH);

        SessionKeys keys = SessionKeys.derive(0x0311, sessionKey, hash, CipherSuite.AES_256_GCM);

        assertThat(keys.encryptionKey()).hasSize(32).isEqualTo(spKdfOneBlock(sessionKey, "SMBS2CCipherKey", hash, 256));
        assertThat(Hex.of(keys.signingKey())).isEqualTo(Smb311Gcm.SIGNING_KEY);
    }

    @Test
    void rejectsWhatItCannotDeriveFrom() {
        byte[] sessionKey = Hex.bytes(Smb30.SESSION_KEY);
        assertThatThrownBy(() -> SessionKeys.derive(0x0311, sessionKey, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pre-authentication hash");
        assertThatThrownBy(() -> SessionKeys.derive(0x0311, sessionKey, new byte[32], null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionKeys.derive(0x0400, sessionKey, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x0400");
        assertThatThrownBy(() -> SessionKeys.derive(0x0300, new byte[0], null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** K(1) = HMAC-SHA256(key, [1]32 || label || 0x00 || 0x00 || context || [L]32), its first L bits. */
    private static byte[] spKdfOneBlock(byte[] key, String label, byte[] context, int bits) throws Exception {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.write(new byte[] {0, 0, 0, 1});
        input.write(label.getBytes(StandardCharsets.US_ASCII));
        input.write(0); // the label's own NUL
        input.write(0); // SP800-108's separator
        input.write(context);
        input.write(new byte[] {0, 0, (byte) (bits >> 8), (byte) bits});
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Arrays.copyOf(hmac.doFinal(input.toByteArray()), bits / 8);
    }
}
