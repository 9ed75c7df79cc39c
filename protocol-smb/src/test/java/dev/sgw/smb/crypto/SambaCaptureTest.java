package dev.sgw.smb.crypto;

import java.nio.charset.StandardCharsets;

import dev.sgw.smb.crypto.SambaCapture.Aes256Ccm;
import dev.sgw.smb.crypto.SambaCapture.Aes256GcmGmac;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Our keys, signatures and transform messages against what Samba's client and server exchanged. */
class SambaCaptureTest {
    @Test
    void derivesSambasAes256KeysFromTheCapturedHandshake() {
        PreauthIntegrity hash = PreauthIntegrity.initial()
                .update(Hex.bytes(Aes256GcmGmac.NEGOTIATE_REQUEST))
                .update(Hex.bytes(Aes256GcmGmac.NEGOTIATE_RESPONSE))
                .update(Hex.bytes(Aes256GcmGmac.SESSION_SETUP_REQUEST_1))
                .update(Hex.bytes(Aes256GcmGmac.SESSION_SETUP_RESPONSE_1))
                .update(Hex.bytes(Aes256GcmGmac.SESSION_SETUP_REQUEST_2));

        SessionKeys keys =
                SessionKeys.derive(0x0311, Hex.bytes(Aes256GcmGmac.SESSION_KEY), hash.value(), CipherSuite.AES_256_GCM);

        assertThat(Hex.of(keys.signingKey())).isEqualTo(Aes256GcmGmac.SIGNING_KEY);
        assertThat(Hex.of(keys.applicationKey())).isEqualTo(Aes256GcmGmac.APPLICATION_KEY);
        assertThat(Hex.of(keys.decryptionKey())).isEqualTo(Aes256GcmGmac.SERVER_IN_KEY);
        assertThat(Hex.of(keys.encryptionKey())).isEqualTo(Aes256GcmGmac.SERVER_OUT_KEY);
    }

    @Test
    void verifiesSambasGmacSignature() {
        MessageSigner signer = new MessageSigner(SigningAlgorithm.AES_GMAC, Hex.bytes(Aes256GcmGmac.SIGNING_KEY));
        ByteBuf response = Hex.buf(Aes256GcmGmac.SESSION_SETUP_RESPONSE_SIGNED);
        byte[] signature = new byte[16];
        response.getBytes(48, signature);

        assertThat(signer.verify(response, 0, response.readableBytes())).isTrue();

        response.setZero(48, 16);
        signer.sign(response, 0, response.readableBytes());
        assertThat(Hex.of(response)).isEqualTo(Hex.norm(Aes256GcmGmac.SESSION_SETUP_RESPONSE_SIGNED));
        assertThat(signature).isNotEqualTo(new byte[16]);
    }

    @Test
    void opensSambasAes256GcmMessages() {
        MessageSealer server = new MessageSealer(
                CipherSuite.AES_256_GCM,
                0x0311,
                Hex.bytes(Aes256GcmGmac.SERVER_OUT_KEY),
                Hex.bytes(Aes256GcmGmac.SERVER_IN_KEY));
        MessageSealer client = new MessageSealer(
                CipherSuite.AES_256_GCM,
                0x0311,
                Hex.bytes(Aes256GcmGmac.SERVER_IN_KEY),
                Hex.bytes(Aes256GcmGmac.SERVER_OUT_KEY));

        assertThat(Hex.of(server.unseal(Hex.buf(Aes256GcmGmac.READ_REQUEST_SEALED))))
                .isEqualTo(Hex.norm(Aes256GcmGmac.READ_REQUEST));
        ByteBuf response = client.unseal(Hex.buf(Aes256GcmGmac.READ_RESPONSE_SEALED));
        assertThat(Hex.of(response)).isEqualTo(Hex.norm(Aes256GcmGmac.READ_RESPONSE));
        assertThat(response.toString(StandardCharsets.US_ASCII)).contains("hello-sgw");
        // and sealing Samba's READ response again with its nonce gives Samba's bytes
        ByteBuf sealed = Hex.buf(Aes256GcmGmac.READ_RESPONSE_SEALED);
        byte[] nonce = new byte[16];
        sealed.getBytes(20, nonce);
        assertThat(Hex.of(server.seal(response, MessageSealer.sessionIdOf(sealed), nonce)))
                .isEqualTo(Hex.norm(Aes256GcmGmac.READ_RESPONSE_SEALED));
    }

    @Test
    void opensSambasAes256CcmMessages() {
        MessageSealer server = new MessageSealer(
                CipherSuite.AES_256_CCM,
                0x0311,
                Hex.bytes(Aes256Ccm.SERVER_OUT_KEY),
                Hex.bytes(Aes256Ccm.SERVER_IN_KEY));
        MessageSealer client = new MessageSealer(
                CipherSuite.AES_256_CCM,
                0x0311,
                Hex.bytes(Aes256Ccm.SERVER_IN_KEY),
                Hex.bytes(Aes256Ccm.SERVER_OUT_KEY));

        assertThat(Hex.of(server.unseal(Hex.buf(Aes256Ccm.READ_REQUEST_SEALED))))
                .isEqualTo(Hex.norm(Aes256Ccm.READ_REQUEST));
        assertThat(Hex.of(client.unseal(Hex.buf(Aes256Ccm.READ_RESPONSE_SEALED))))
                .isEqualTo(Hex.norm(Aes256Ccm.READ_RESPONSE));
    }
}
