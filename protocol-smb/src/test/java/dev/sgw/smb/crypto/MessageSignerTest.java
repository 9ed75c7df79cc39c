package dev.sgw.smb.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.sgw.smb.crypto.MicrosoftVectors.Smb311Ccm;
import dev.sgw.smb.crypto.MicrosoftVectors.Smb311Gcm;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageSignerTest {
    private static final byte[] KEY = Hex.bytes("000102030405060708090A0B0C0D0E0F");
    private static final int SIGNATURE = 48;
    private static final int FLAGS_SIGNED = 0x08;
    private static final int SMB2_READ = 0x08;

    /** RFC 4493 section 4, examples 1 to 4 (key 2b7e1516..., the message's first 0, 16, 40 and 64 bytes). */
    @ParameterizedTest
    @CsvSource({
        "0, BB1D6929E95937287FA37D129B756746",
        "16, 070A16B46B4D4144F79BDD9DD04A287C",
        "40, DFA66747DE9AE63030CA32611497C827",
        "64, 51F0BEBF7E3B9D92FC49741779363CFE"
    })
    void aesCmacMatchesRfc4493(int length, String mac) {
        byte[] key = Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] message = Hex.bytes("6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51"
                + "30C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710");

        assertThat(Hex.of(MessageSigner.aesCmac(key, Arrays.copyOf(message, length))))
                .isEqualTo(mac);
    }

    /** The final SESSION_SETUP responses of "SMB 3.1.1 Encryption in Windows 10", A.1 and A.2 (AES-128-CMAC). */
    @ParameterizedTest
    @CsvSource({"gcm", "ccm"})
    void verifiesAndReproducesWindowsSignatures(String appendix) {
        boolean gcm = appendix.equals("gcm");
        String signed = gcm ? Smb311Gcm.SESSION_SETUP_RESPONSE_SIGNED : Smb311Ccm.SESSION_SETUP_RESPONSE_SIGNED;
        String signature =
                gcm ? Smb311Gcm.SESSION_SETUP_RESPONSE_SIGNATURE : Smb311Ccm.SESSION_SETUP_RESPONSE_SIGNATURE;
        MessageSigner signer = new MessageSigner(
                SigningAlgorithm.AES_CMAC, Hex.bytes(gcm ? Smb311Gcm.SIGNING_KEY : Smb311Ccm.SIGNING_KEY));
        ByteBuf message = Hex.buf(signed);

        assertThat(signer.verify(message, 0, message.readableBytes())).isTrue();

        message.setZero(SIGNATURE, 16);
        signer.sign(message, 0, message.readableBytes());
        assertThat(Hex.of(message)).isEqualTo(Hex.norm(signed));
        assertThat(Hex.of(ByteBufUtil.getBytes(message, SIGNATURE, 16))).isEqualTo(signature);
    }

    @Test
    void windowsSignatureFailsOnceAnyByteChanges() {
        MessageSigner signer = new MessageSigner(SigningAlgorithm.AES_CMAC, Hex.bytes(Smb311Gcm.SIGNING_KEY));
        ByteBuf message = Hex.buf(Smb311Gcm.SESSION_SETUP_RESPONSE_SIGNED);
        for (int i = 0; i < message.readableBytes(); i++) {
            message.setByte(i, message.getByte(i) ^ 0x01);
            assertThat(signer.verify(message, 0, message.readableBytes()))
                    .as("byte %d flipped", i)
                    .isFalse();
            message.setByte(i, message.getByte(i) ^ 0x01);
        }
        assertThat(signer.verify(message, 0, message.readableBytes())).isTrue();
    }

    /** HMAC-SHA256 (2.0.2, 2.1) against javax.crypto run on a copy whose signature field is zeroed. */
    @Test
    void hmacSha256IsTheFirst16BytesOfTheHmacOfTheZeroedMessage() throws Exception {
        ByteBuf message = message(SMB2_READ, FLAGS_SIGNED, 7, 200);
        byte[] zeroed = ByteBufUtil.getBytes(message);
        MessageSigner signer = new MessageSigner(SigningAlgorithm.HMAC_SHA256, KEY);

        signer.sign(message, 0, message.readableBytes());

        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        byte[] expected = Arrays.copyOf(hmac.doFinal(zeroed), 16);
        assertThat(ByteBufUtil.getBytes(message, SIGNATURE, 16)).isEqualTo(expected);
        assertThat(signer.verify(message, 0, message.readableBytes())).isTrue();
    }

    /** AES-GMAC against the JDK's AES-GCM, with the nonce built here from MessageId, role and CANCEL. */
    @ParameterizedTest
    @CsvSource({
        "8, 8, 0", // READ request: role 0
        "8, 9, 1", // READ response (SERVER_TO_REDIR): role 1
        "12, 8, 2", // CANCEL request: cancel bit
        "12, 11, 3" // CANCEL with SERVER_TO_REDIR and ASYNC set: both bits
    })
    void aesGmacMatchesAnIndependentGmac(int command, int flags, int nonceBits) {
        long messageId = 0x0102030405060708L;
        ByteBuf message = message(command, flags, messageId, 100);
        byte[] zeroed = ByteBufUtil.getBytes(message);
        MessageSigner signer = new MessageSigner(SigningAlgorithm.AES_GMAC, KEY);

        signer.sign(message, 0, message.readableBytes());

        byte[] nonce = new byte[12];
        Unpooled.wrappedBuffer(nonce).setLongLE(0, messageId).setIntLE(8, nonceBits);
        assertThat(ByteBufUtil.getBytes(message, SIGNATURE, 16)).isEqualTo(gmac(KEY, nonce, zeroed));
        // and the nonce matters: another role bit gives another tag
        nonce[8] ^= 1;
        assertThat(ByteBufUtil.getBytes(message, SIGNATURE, 16)).isNotEqualTo(gmac(KEY, nonce, zeroed));
        assertThat(signer.verify(message, 0, message.readableBytes())).isTrue();
    }

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void signsEachMessageOfACompoundOnItsOwn(SigningAlgorithm algorithm) {
        MessageSigner signer = new MessageSigner(algorithm, KEY);
        ByteBuf first = message(SMB2_READ, FLAGS_SIGNED | 1, 5, 104); // 8-byte aligned, NextCommand = 104
        first.setIntLE(20, 104);
        ByteBuf second = message(SMB2_READ, FLAGS_SIGNED | 1, 6, 90);
        ByteBuf compound = Unpooled.buffer().writeBytes(first).writeBytes(second);

        signer.sign(compound, 0, 104);
        signer.sign(compound, 104, 90);

        assertThat(signer.verify(compound, 0, 104)).isTrue();
        assertThat(signer.verify(compound, 104, 90)).isTrue();
        compound.setByte(104 + 80, compound.getByte(104 + 80) ^ 0x40);
        assertThat(signer.verify(compound, 0, 104)).isTrue();
        assertThat(signer.verify(compound, 104, 90)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void directAndLargeBuffersSignLikeHeapOnes(SigningAlgorithm algorithm) {
        MessageSigner signer = new MessageSigner(algorithm, KEY);
        ByteBuf heap = message(SMB2_READ, FLAGS_SIGNED | 1, 9, 100_000); // past the 16 KiB feeding chunks
        ByteBuf direct = Unpooled.directBuffer(100_000).writeBytes(heap, 0, 100_000);

        signer.sign(heap, 0, 100_000);
        signer.sign(direct, 0, 100_000);

        assertThat(ByteBufUtil.getBytes(direct, SIGNATURE, 16)).isEqualTo(ByteBufUtil.getBytes(heap, SIGNATURE, 16));
        assertThat(signer.verify(direct, 0, 100_000)).isTrue();
        direct.release();
    }

    @Test
    void verifyLeavesTheBufferAsItWas() {
        MessageSigner signer = new MessageSigner(SigningAlgorithm.AES_CMAC, Hex.bytes(Smb311Gcm.SIGNING_KEY));
        ByteBuf message = Hex.buf(Smb311Gcm.SESSION_SETUP_RESPONSE_SIGNED);
        message.readerIndex(3);

        signer.verify(message, 0, message.writerIndex());

        assertThat(message.readerIndex()).isEqualTo(3);
        assertThat(Hex.of(message.readerIndex(0))).isEqualTo(Hex.norm(Smb311Gcm.SESSION_SETUP_RESPONSE_SIGNED));
    }

    @Test
    void hostileLengthsFailVerificationWithoutThrowing() {
        MessageSigner signer = new MessageSigner(SigningAlgorithm.AES_GMAC, KEY);
        ByteBuf message = message(SMB2_READ, FLAGS_SIGNED, 1, 80);
        signer.sign(message, 0, 80);

        assertThat(signer.verify(message, 0, 81)).isFalse();
        assertThat(signer.verify(message, 0, 63)).isFalse();
        assertThat(signer.verify(message, 20, 80)).isFalse();
        assertThat(signer.verify(message, -1, 80)).isFalse();
        assertThat(signer.verify(message, 1, Integer.MAX_VALUE)).isFalse();
        assertThat(signer.verify(Unpooled.EMPTY_BUFFER, 0, 64)).isFalse();
        assertThatThrownBy(() -> signer.sign(message, 0, 81)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aesKeysMustBe16Bytes() {
        assertThatThrownBy(() -> new MessageSigner(SigningAlgorithm.AES_CMAC, new byte[32]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageSigner(SigningAlgorithm.AES_GMAC, new byte[15]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageSigner(SigningAlgorithm.HMAC_SHA256, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A message of {@code length} bytes: an SMB2 header with these fields, a zero signature, random body. */
    private static ByteBuf message(int command, int flags, long messageId, int length) {
        byte[] bytes = new byte[length];
        new Random(length + command).nextBytes(bytes);
        ByteBuf message = Unpooled.wrappedBuffer(bytes);
        message.setIntLE(0, 0x424D53FE)
                .setShortLE(4, 64)
                .setShortLE(12, command)
                .setIntLE(16, flags)
                .setIntLE(20, 0)
                .setLongLE(24, messageId)
                .setZero(SIGNATURE, 16);
        return message;
    }

    /** GMAC by the JDK's AES-GCM (the signer uses BouncyCastle's): the tag over no plaintext with the data as AAD. */
    private static byte[] gmac(byte[] key, byte[] nonce, byte[] data) {
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(data);
            return gcm.doFinal();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
