package dev.sgw.smb.crypto;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import dev.sgw.smb.crypto.MicrosoftVectors.Smb30;
import dev.sgw.smb.crypto.MicrosoftVectors.Smb311Ccm;
import dev.sgw.smb.crypto.MicrosoftVectors.Smb311Gcm;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageSealerTest {
    private static final byte[] OTHER_KEY_16 = new byte[16];
    private static final byte[] OTHER_KEY_32 = new byte[32];

    /**
     * One published encrypted message: its sender's key and nonce, the plaintext and the transform message. The
     * server's messages are sealed with its encryption key, the client's unsealed with its decryption key.
     */
    record Vector(
            String name,
            CipherSuite cipher,
            int dialect,
            String key,
            String nonce,
            long sessionId,
            String plain,
            String sealed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Vector> microsoftVectors() {
        return Stream.of(
                new Vector(
                        "3.0 CCM WRITE request",
                        CipherSuite.AES_128_CCM,
                        0x0300,
                        Smb30.CLIENT_ENCRYPTION_KEY,
                        Smb30.WRITE_REQUEST_NONCE,
                        Smb30.SESSION_ID,
                        Smb30.WRITE_REQUEST,
                        Smb30.WRITE_REQUEST_SEALED),
                new Vector(
                        "3.0 CCM READ response",
                        CipherSuite.AES_128_CCM,
                        0x0300,
                        Smb30.CLIENT_DECRYPTION_KEY,
                        Smb30.READ_RESPONSE_NONCE,
                        Smb30.SESSION_ID,
                        Smb30.READ_RESPONSE,
                        Smb30.READ_RESPONSE_SEALED),
                new Vector(
                        "3.1.1 GCM WRITE request",
                        CipherSuite.AES_128_GCM,
                        0x0311,
                        Smb311Gcm.CLIENT_ENCRYPTION_KEY,
                        Smb311Gcm.WRITE_REQUEST_NONCE,
                        Smb311Gcm.SESSION_ID,
                        Smb311Gcm.WRITE_REQUEST,
                        Smb311Gcm.WRITE_REQUEST_SEALED),
                new Vector(
                        "3.1.1 GCM READ response",
                        CipherSuite.AES_128_GCM,
                        0x0311,
                        Smb311Gcm.CLIENT_DECRYPTION_KEY,
                        Smb311Gcm.READ_RESPONSE_NONCE,
                        Smb311Gcm.SESSION_ID,
                        Smb311Gcm.READ_RESPONSE,
                        Smb311Gcm.READ_RESPONSE_SEALED),
                new Vector(
                        "3.1.1 CCM WRITE request",
                        CipherSuite.AES_128_CCM,
                        0x0311,
                        Smb311Ccm.CLIENT_ENCRYPTION_KEY,
                        Smb311Ccm.WRITE_REQUEST_NONCE,
                        Smb311Ccm.SESSION_ID,
                        Smb311Ccm.WRITE_REQUEST,
                        Smb311Ccm.WRITE_REQUEST_SEALED),
                new Vector(
                        "3.1.1 CCM READ response",
                        CipherSuite.AES_128_CCM,
                        0x0311,
                        Smb311Ccm.CLIENT_DECRYPTION_KEY,
                        Smb311Ccm.READ_RESPONSE_NONCE,
                        Smb311Ccm.SESSION_ID,
                        Smb311Ccm.READ_RESPONSE,
                        Smb311Ccm.READ_RESPONSE_SEALED));
    }

    @ParameterizedTest
    @MethodSource("microsoftVectors")
    void sealsLikeWindows(Vector v) {
        MessageSealer sender = new MessageSealer(v.cipher(), v.dialect(), Hex.bytes(v.key()), otherKey(v.cipher()));

        ByteBuf sealed = sender.seal(Hex.buf(v.plain()), v.sessionId(), Hex.bytes(v.nonce()));

        assertThat(Hex.of(sealed)).isEqualTo(Hex.norm(v.sealed()));
    }

    @ParameterizedTest
    @MethodSource("microsoftVectors")
    void unsealsWhatWindowsSealed(Vector v) {
        MessageSealer receiver = new MessageSealer(v.cipher(), v.dialect(), otherKey(v.cipher()), Hex.bytes(v.key()));
        ByteBuf sealed = Hex.buf(v.sealed());

        assertThat(MessageSealer.sessionIdOf(sealed)).isEqualTo(v.sessionId());
        assertThat(Hex.of(receiver.unseal(sealed))).isEqualTo(Hex.norm(v.plain()));
    }

    /** The server's own keys, derived from the published session key, unseal the client's WRITE. */
    @Test
    void derivedKeysUnsealTheClientsRequest() {
        SessionKeys keys = SessionKeys.derive(
                0x0311, Hex.bytes(Smb311Gcm.SESSION_KEY), Hex.bytes(Smb311Gcm.PREAUTH_HASH), CipherSuite.AES_128_GCM);
        MessageSealer server =
                new MessageSealer(CipherSuite.AES_128_GCM, 0x0311, keys.encryptionKey(), keys.decryptionKey());

        assertThat(Hex.of(server.unseal(Hex.buf(Smb311Gcm.WRITE_REQUEST_SEALED))))
                .isEqualTo(Hex.norm(Smb311Gcm.WRITE_REQUEST));
    }

    static Stream<Arguments> everyCipherAndDialect() {
        return Stream.of(
                Arguments.of(CipherSuite.AES_128_CCM, 0x0300),
                Arguments.of(CipherSuite.AES_128_CCM, 0x0302),
                Arguments.of(CipherSuite.AES_128_CCM, 0x0311),
                Arguments.of(CipherSuite.AES_128_GCM, 0x0311),
                Arguments.of(CipherSuite.AES_256_CCM, 0x0311),
                Arguments.of(CipherSuite.AES_256_GCM, 0x0311));
    }

    @ParameterizedTest
    @MethodSource("everyCipherAndDialect")
    void roundTripsBetweenServerAndClient(CipherSuite cipher, int dialect) {
        byte[] serverOut = key(cipher, 1);
        byte[] serverIn = key(cipher, 2);
        MessageSealer server = new MessageSealer(cipher, dialect, serverOut, serverIn);
        MessageSealer client = new MessageSealer(cipher, dialect, serverIn, serverOut);

        for (int length : new int[] {0, 1, 64, 65, 4096, 1 << 17}) {
            ByteBuf plain = random(length);
            ByteBuf toClient = server.seal(plain, 0x1234_5678_9ABCL);
            ByteBuf toServer = client.seal(plain, 0x1234_5678_9ABCL);

            assertThat(toClient.readableBytes()).isEqualTo(MessageSealer.HEADER_BYTES + length);
            assertThat(toClient.getIntLE(36)).isEqualTo(length);
            assertThat(toClient.getShortLE(42)).isEqualTo((short) 1);
            assertThat(MessageSealer.sessionIdOf(toClient)).isEqualTo(0x1234_5678_9ABCL);
            assertThat(ByteBufUtil.getBytes(toClient, 20 + cipher.nonceBytes(), 16 - cipher.nonceBytes()))
                    .containsOnly(0);
            if (length >= 16) {
                assertThat(ByteBufUtil.getBytes(toClient, 52, 16)).isNotEqualTo(ByteBufUtil.getBytes(plain, 0, 16));
            }
            assertThat(client.unseal(toClient)).isEqualTo(plain);
            assertThat(server.unseal(toServer)).isEqualTo(plain);
            // each side's own messages do not open with its own decryption key
            assertThatThrownBy(() -> server.unseal(toClient)).isInstanceOf(SecurityException.class);
        }
    }

    /** As the transport hands them over: a message made of heap and direct pieces, split at odd places. */
    private static ByteBuf inPieces(ByteBuf whole, int piece) {
        CompositeByteBuf pieces = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        for (int at = 0, k = 0; at < whole.readableBytes(); at += piece, k++) {
            int n = Math.min(piece, whole.readableBytes() - at);
            ByteBuf part = k % 3 == 0 ? Unpooled.buffer(n) : Unpooled.directBuffer(n);
            pieces.addComponent(true, part.writeBytes(whole, whole.readerIndex() + at, n));
        }
        return pieces;
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void messagesInPiecesSealAndUnsealAsWholeOnes(CipherSuite cipher) {
        MessageSealer server = new MessageSealer(cipher, 0x0311, key(cipher, 1), key(cipher, 2));
        MessageSealer client = new MessageSealer(cipher, 0x0311, key(cipher, 2), key(cipher, 1));
        byte[] nonce = Hex.bytes("000102030405060708090a0b0c0d0e0f");
        ByteBuf plain = random((3 << 20) + 5);

        ByteBuf whole = server.seal(plain, 9, nonce);
        ByteBuf pieces = server.seal(inPieces(plain, 65_533), 9, nonce);

        assertThat(ByteBufUtil.equals(pieces, whole)).isTrue();
        assertThat(client.unseal(inPieces(whole, 40_000))).isEqualTo(plain);
        ByteBuf tampered = inPieces(whole, 40_000);
        tampered.setByte(
                MessageSealer.HEADER_BYTES + (2 << 20), tampered.getByte(MessageSealer.HEADER_BYTES + (2 << 20)) ^ 4);
        assertThatThrownBy(() -> client.unseal(tampered)).isInstanceOf(SecurityException.class);
    }

    @Test
    void sealLeavesItsInputAlone() {
        MessageSealer server = new MessageSealer(
                CipherSuite.AES_128_GCM, 0x0311, key(CipherSuite.AES_128_GCM, 1), key(CipherSuite.AES_128_GCM, 2));
        ByteBuf plain = Unpooled.buffer().writeZero(3).writeBytes(random(100));
        plain.readerIndex(3);
        byte[] before = ByteBufUtil.getBytes(plain);

        server.seal(plain, 1);

        assertThat(plain.readerIndex()).isEqualTo(3);
        assertThat(ByteBufUtil.getBytes(plain)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void anyChangedByteIsRejected(CipherSuite cipher) {
        MessageSealer server = new MessageSealer(cipher, 0x0311, key(cipher, 1), key(cipher, 2));
        MessageSealer client = new MessageSealer(cipher, 0x0311, key(cipher, 2), key(cipher, 1));
        ByteBuf sealed = client.seal(random(200), 42);

        for (int i = 0; i < sealed.readableBytes(); i++) {
            ByteBuf tampered = sealed.copy();
            tampered.setByte(i, tampered.getByte(i) ^ 0x01);
            assertThatThrownBy(() -> server.unseal(tampered))
                    .as("byte %d flipped", i)
                    .isInstanceOf(SecurityException.class);
        }
        assertThat(server.unseal(sealed).readableBytes()).isEqualTo(200);
    }

    @Test
    void aBadTagSaysSo() {
        MessageSealer receiver = new MessageSealer(
                CipherSuite.AES_128_GCM,
                0x0311,
                Hex.bytes(Smb311Gcm.CLIENT_DECRYPTION_KEY),
                Hex.bytes(Smb311Gcm.CLIENT_ENCRYPTION_KEY));
        ByteBuf sealed = Hex.buf(Smb311Gcm.WRITE_REQUEST_SEALED);
        sealed.setByte(4, sealed.getByte(4) ^ 0x80);

        assertThatThrownBy(() -> receiver.unseal(sealed))
                .isInstanceOf(SecurityException.class)
                .hasMessageContaining("bad signature");
    }

    @Test
    void everyTruncationIsRejected() {
        MessageSealer server = new MessageSealer(
                CipherSuite.AES_128_CCM, 0x0302, key(CipherSuite.AES_128_CCM, 1), key(CipherSuite.AES_128_CCM, 2));
        MessageSealer client = new MessageSealer(
                CipherSuite.AES_128_CCM, 0x0302, key(CipherSuite.AES_128_CCM, 2), key(CipherSuite.AES_128_CCM, 1));
        ByteBuf sealed = client.seal(random(100), 7);

        for (int length = 0; length < sealed.readableBytes(); length++) {
            ByteBuf truncated = sealed.slice(0, length);
            assertThatThrownBy(() -> server.unseal(truncated))
                    .as("%d bytes", length)
                    .isInstanceOf(SecurityException.class);
        }
        assertThatThrownBy(() -> server.unseal(sealed.slice(0, 10)))
                .hasMessageContaining("shorter than its 52-byte header");
        assertThatThrownBy(() -> MessageSealer.sessionIdOf(sealed.slice(0, 51))).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> server.unseal(sealed.slice(0, 60))).hasMessageContaining("8 bytes follow");
        ByteBuf longer = Unpooled.buffer().writeBytes(sealed.duplicate()).writeByte(0);
        assertThatThrownBy(() -> server.unseal(longer)).isInstanceOf(SecurityException.class);
    }

    @Test
    void headerFieldsAreCheckedBeforeDecrypting() {
        MessageSealer server = new MessageSealer(
                CipherSuite.AES_128_GCM, 0x0311, key(CipherSuite.AES_128_GCM, 1), key(CipherSuite.AES_128_GCM, 2));
        ByteBuf smb2 = Hex.buf(Smb311Gcm.WRITE_REQUEST);
        ByteBuf badFlags = Hex.buf(Smb311Gcm.WRITE_REQUEST_SEALED).setShortLE(42, 2);
        ByteBuf hugeSize = Hex.buf(Smb311Gcm.WRITE_REQUEST_SEALED).setIntLE(36, -1);

        assertThatThrownBy(() -> server.unseal(smb2)).hasMessageContaining("not a transform header");
        assertThatThrownBy(() -> server.unseal(badFlags)).hasMessageContaining("expected 1");
        assertThatThrownBy(() -> server.unseal(hugeSize)).hasMessageContaining("4294967295 bytes");
    }

    @Test
    void honoursTheReaderIndex() {
        MessageSealer server = new MessageSealer(
                CipherSuite.AES_128_GCM,
                0x0311,
                Hex.bytes(Smb311Gcm.CLIENT_DECRYPTION_KEY),
                Hex.bytes(Smb311Gcm.CLIENT_ENCRYPTION_KEY));
        ByteBuf framed = Unpooled.buffer().writeInt(0x87 + 52).writeBytes(Hex.bytes(Smb311Gcm.WRITE_REQUEST_SEALED));
        framed.readerIndex(4);

        assertThat(MessageSealer.sessionIdOf(framed)).isEqualTo(Smb311Gcm.SESSION_ID);
        assertThat(Hex.of(server.unseal(framed))).isEqualTo(Hex.norm(Smb311Gcm.WRITE_REQUEST));
        assertThat(framed.readerIndex()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void noncesDoNotRepeat(CipherSuite cipher) {
        MessageSealer server = new MessageSealer(cipher, 0x0311, key(cipher, 1), key(cipher, 2));
        ByteBuf plain = random(1);
        Set<String> nonces = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            nonces.add(Hex.of(ByteBufUtil.getBytes(server.seal(plain, 1), 20, 16)));
        }
        assertThat(nonces).hasSize(5_000);
        // another sealer of the same key starts elsewhere
        assertThat(nonces)
                .doesNotContain(Hex.of(ByteBufUtil.getBytes(
                        new MessageSealer(cipher, 0x0311, key(cipher, 1), key(cipher, 2)).seal(plain, 1), 20, 16)));
    }

    @Test
    void refusesWhatTheDialectDoesNotAllow() {
        byte[] k16 = key(CipherSuite.AES_128_GCM, 1);
        assertThatThrownBy(() -> new MessageSealer(CipherSuite.AES_128_GCM, 0x0300, k16, k16))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageSealer(CipherSuite.AES_128_CCM, 0x0210, k16, k16))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageSealer(CipherSuite.AES_256_GCM, 0x0311, k16, k16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32-byte");
    }

    private static byte[] otherKey(CipherSuite cipher) {
        return cipher.keyBytes() == 16 ? OTHER_KEY_16 : OTHER_KEY_32;
    }

    private static byte[] key(CipherSuite cipher, int seed) {
        byte[] key = new byte[cipher.keyBytes()];
        new Random(seed).nextBytes(key);
        return key;
    }

    private static ByteBuf random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return Unpooled.wrappedBuffer(bytes);
    }
}
