package dev.sgw.smb.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.engines.RC4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The NTLMv2 functions of MS-NLMP 3.3.2 and 3.4.5 the server needs: NTOWFv2, the NT proof and session base
 * key, the key exchange, and the signing and sealing keys. HMAC-MD5 and MD5 come from the JDK, RC4 from
 * BouncyCastle.
 */
final class NtlmCrypto {
    private NtlmCrypto() {}

    /** NTOWFv2 (MS-NLMP 3.3.2): HMAC-MD5 keyed by the NT hash over UPPER(user) + domain in UTF-16LE. */
    static byte[] ntowfV2(byte[] ntHash, String user, String domain) {
        return hmacMd5(ntHash, utf16(user.toUpperCase(Locale.ROOT) + domain));
    }

    /** NTProofStr: HMAC-MD5 keyed by NTOWFv2 over the server challenge and the client's blob ("temp"). */
    static byte[] ntProof(byte[] ntowfV2, byte[] serverChallenge, byte[] blob) {
        return hmacMd5(ntowfV2, serverChallenge, blob);
    }

    /** SessionBaseKey of NTLMv2: HMAC-MD5 keyed by NTOWFv2 over NTProofStr (also the KeyExchangeKey). */
    static byte[] sessionBaseKey(byte[] ntowfV2, byte[] ntProof) {
        return hmacMd5(ntowfV2, ntProof);
    }

    /** The exported session key the client chose, decrypted with the key exchange key (KEY_EXCH). */
    static byte[] decryptSessionKey(byte[] keyExchangeKey, byte[] encryptedRandomSessionKey) {
        return rc4(keyExchangeKey, encryptedRandomSessionKey);
    }

    /** SIGNKEY (MS-NLMP 3.4.5.2) with extended session security. */
    static byte[] signKey(byte[] exportedSessionKey, boolean clientToServer) {
        String magic = clientToServer
                ? "session key to client-to-server signing key magic constant\0"
                : "session key to server-to-client signing key magic constant\0";
        return md5(exportedSessionKey, magic.getBytes(StandardCharsets.US_ASCII));
    }

    /** SEALKEY (MS-NLMP 3.4.5.3) with extended session security: 128, 56 or 40 bits of the key. */
    static byte[] sealKey(byte[] exportedSessionKey, int flags, boolean clientToServer) {
        int keyBytes = (flags & NtlmFlags.NEGOTIATE_128) != 0 ? 16 : (flags & NtlmFlags.NEGOTIATE_56) != 0 ? 7 : 5;
        String magic = clientToServer
                ? "session key to client-to-server sealing key magic constant\0"
                : "session key to server-to-client sealing key magic constant\0";
        return md5(Arrays.copyOf(exportedSessionKey, keyBytes), magic.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The NTLMSSP_MESSAGE_SIGNATURE of {@code message} with extended session security (MS-NLMP 3.4.4.2):
     * version 1, the first 8 bytes of HMAC-MD5(signKey, seqNum + message) (sealed with {@code sealing} when
     * KEY_EXCH was negotiated, else null), and seqNum.
     */
    static byte[] signature(byte[] signKey, Rc4Stream sealing, int seqNum, byte[] message) {
        byte[] seq = new byte[4];
        NtlmMessages.le(seq).putInt(0, seqNum);
        byte[] checksum = Arrays.copyOf(hmacMd5(signKey, seq, message), 8);
        if (sealing != null) {
            checksum = sealing.apply(checksum);
        }
        byte[] signature = new byte[16];
        NtlmMessages.le(signature).putInt(1).put(checksum).put(seq);
        return signature;
    }

    /**
     * SPNEGO's mechListMIC over the DER MechTypeList (MS-SPNG 3.3.5.1): the NTLMSSP signature with sequence
     * number 0 under the client's or the server's signing key, each direction's sealing handle used once.
     */
    static byte[] mechListMic(byte[] exportedSessionKey, int flags, boolean clientToServer, byte[] mechTypeList) {
        Rc4Stream sealing = (flags & NtlmFlags.NEGOTIATE_KEY_EXCH) != 0
                ? rc4Stream(sealKey(exportedSessionKey, flags, clientToServer))
                : null;
        return signature(signKey(exportedSessionKey, clientToServer), sealing, 0, mechTypeList);
    }

    static byte[] hmacMd5(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 is part of every JDK", e);
        }
    }

    static byte[] md5(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    /** One-shot RC4 with a fresh key schedule. */
    static byte[] rc4(byte[] key, byte[] data) {
        return rc4Stream(key).apply(data);
    }

    /** An RC4 key stream that continues across calls, like an NTLM sealing handle. */
    static Rc4Stream rc4Stream(byte[] key) {
        RC4Engine engine = new RC4Engine();
        engine.init(true, new KeyParameter(key));
        return data -> {
            byte[] out = new byte[data.length];
            engine.processBytes(data, 0, data.length, out, 0);
            return out;
        };
    }

    /** A continuing RC4 key stream. */
    @FunctionalInterface
    interface Rc4Stream {
        byte[] apply(byte[] data);
    }

    static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }
}
