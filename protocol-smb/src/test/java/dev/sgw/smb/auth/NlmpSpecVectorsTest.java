package dev.sgw.smb.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import dev.sgw.core.manage.NtHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NTLMv2 examples of MS-NLMP 4.2.4: user "User", domain "Domain", password "Password", server challenge
 * 0123456789abcdef, client challenge aaaaaaaaaaaaaaaa, time 0, RandomSessionKey 55 x 16, and the spec's
 * AUTHENTICATE_MESSAGE (4.2.4.3) fed to the server whole.
 */
class NlmpSpecVectorsTest {
    static final HexFormat HEX = HexFormat.of();
    static final byte[] SERVER_CHALLENGE = hex("0123456789abcdef");
    static final byte[] RANDOM_SESSION_KEY = hex("55555555555555555555555555555555");

    /** 4.2.4.1.3 temp: the NTLMv2 blob with the spec's target info (NetBIOS domain and server names). */
    static final byte[] TEMP = hex("0101000000000000" + "0000000000000000" + "aaaaaaaaaaaaaaaa" + "00000000"
            + "02000c0044006f006d00610069006e00" + "01000c00530065007200760065007200" + "00000000" + "00000000");

    /** 4.2.4.3 AUTHENTICATE_MESSAGE. */
    static final byte[] SPEC_AUTHENTICATE = hex("""
            4e 54 4c 4d 53 53 50 00 03 00 00 00 18 00 18 00
            6c 00 00 00 54 00 54 00 84 00 00 00 0c 00 0c 00
            48 00 00 00 08 00 08 00 54 00 00 00 10 00 10 00
            5c 00 00 00 10 00 10 00 d8 00 00 00 35 82 88 e2
            05 01 28 0a 00 00 00 0f 44 00 6f 00 6d 00 61 00
            69 00 6e 00 55 00 73 00 65 00 72 00 43 00 4f 00
            4d 00 50 00 55 00 54 00 45 00 52 00 86 c3 50 97
            ac 9c ec 10 25 54 76 4a 57 cc cc 19 aa aa aa aa
            aa aa aa aa 68 cd 0a b8 51 e5 1c 96 aa bc 92 7b
            eb ef 6a 1c 01 01 00 00 00 00 00 00 00 00 00 00
            00 00 00 00 aa aa aa aa aa aa aa aa 00 00 00 00
            02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00
            01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00
            00 00 00 00 00 00 00 00 c5 da d2 54 4f c9 79 90
            94 ce 1c e9 0b c9 d0 3e
            """);

    private static final byte[] NT_HASH = NtHash.ofPassword("Password").bytes();

    @Test
    void ntowfV2_4_2_4_1_1() {
        assertThat(NtlmCrypto.ntowfV2(NT_HASH, "User", "Domain")).isEqualTo(hex("0c868a403bfd7a93a3001ef22ef02e3f"));
    }

    @Test
    void ntProofStrSessionBaseKeyAndEncryptedSessionKey_4_2_4_1_3_and_4_2_4_2() {
        byte[] ntowf = NtlmCrypto.ntowfV2(NT_HASH, "User", "Domain");
        byte[] proof = NtlmCrypto.ntProof(ntowf, SERVER_CHALLENGE, TEMP);
        assertThat(proof).isEqualTo(hex("68cd0ab851e51c96aabc927bebef6a1c"));
        byte[] sessionBaseKey = NtlmCrypto.sessionBaseKey(ntowf, proof);
        assertThat(sessionBaseKey).isEqualTo(hex("8de40ccadbc14a82f15cb0ad0de95ca3"));
        // 4.2.4.2.3: RC4(KeyExchangeKey = SessionBaseKey, RandomSessionKey); the server decrypts it back
        assertThat(NtlmCrypto.rc4(sessionBaseKey, RANDOM_SESSION_KEY))
                .isEqualTo(hex("c5dad2544fc9799094ce1ce90bc9d03e"));
        assertThat(NtlmCrypto.decryptSessionKey(sessionBaseKey, hex("c5dad2544fc9799094ce1ce90bc9d03e")))
                .isEqualTo(RANDOM_SESSION_KEY);
    }

    @Test
    void signAndSealKeysAndSignature_4_2_4_4() {
        int flags = 0xe2888235; // the examples' negotiated flags: KEY_EXCH, 128, 56, SIGN, SEAL ...
        assertThat(NtlmCrypto.signKey(RANDOM_SESSION_KEY, true)).isEqualTo(hex("4788dc861b4782f35d43fd98fe1a2d39"));
        byte[] sealKey = NtlmCrypto.sealKey(RANDOM_SESSION_KEY, flags, true);
        assertThat(sealKey).isEqualTo(hex("59f600973cc4960a25480a7c196e4c58"));
        // the sealing handle seals the message first, then the signature's checksum
        byte[] plaintext = "Plaintext".getBytes(StandardCharsets.UTF_16LE);
        NtlmCrypto.Rc4Stream handle = NtlmCrypto.rc4Stream(sealKey);
        assertThat(handle.apply(plaintext)).isEqualTo(hex("54e50165bf1936dc996020c1811b0f06fb5f"));
        byte[] signature = NtlmCrypto.signature(NtlmCrypto.signKey(RANDOM_SESSION_KEY, true), handle, 0, plaintext);
        assertThat(signature).isEqualTo(hex("010000007fb38ec5c55d497600000000"));
    }

    @Test
    void theSpecAuthenticateMessageLogsOnWithTheRandomSessionKey_4_2_4_3() {
        SecurityExchange exchange = new SecurityExchange(
                user -> user.equalsIgnoreCase("user") ? Optional.of(NtHash.ofPassword("Password")) : Optional.empty(),
                "Server",
                SERVER_CHALLENGE::clone);
        SecurityExchange.Step first = exchange.step(TestNtlmClient.negotiateMessage(0xe2888235));
        assertThat(first).isInstanceOf(SecurityExchange.Step.More.class);
        byte[] challenge = ((SecurityExchange.Step.More) first).token();
        assertThat(challenge).startsWith(NtlmMessages.SIGNATURE);
        assertThat(Arrays.copyOfRange(challenge, 24, 32)).isEqualTo(SERVER_CHALLENGE);

        SecurityExchange.Step last = exchange.step(SPEC_AUTHENTICATE);

        assertThat(last).isInstanceOf(SecurityExchange.Step.Done.class);
        SecurityExchange.Step.Done done = (SecurityExchange.Step.Done) last;
        assertThat(done.identity()).isEqualTo(new SecurityExchange.Identity("User", "Domain", "COMPUTER", false));
        assertThat(done.sessionKey()).isEqualTo(RANDOM_SESSION_KEY);
        assertThat(done.token()).isEmpty();
    }

    @Test
    void theSpecAuthenticateMessageFailsUnderAnotherServerChallenge() {
        SecurityExchange exchange = new SecurityExchange(
                user -> Optional.of(NtHash.ofPassword("Password")), "Server", () -> hex("0123456789abcdee"));
        exchange.step(TestNtlmClient.negotiateMessage(0xe2888235));

        SecurityExchange.Step last = exchange.step(SPEC_AUTHENTICATE);

        assertThat(last)
                .isEqualTo(new SecurityExchange.Step.Failed(
                        SecurityExchange.Reason.WRONG_PASSWORD, "wrong NTLMv2 proof from Domain\\User at COMPUTER"));
    }

    static byte[] hex(String s) {
        return HEX.parseHex(s.replaceAll("\\s", ""));
    }
}
