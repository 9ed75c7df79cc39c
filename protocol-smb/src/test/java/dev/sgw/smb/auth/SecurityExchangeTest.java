package dev.sgw.smb.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import dev.sgw.core.manage.NtHash;
import dev.sgw.smb.auth.SecurityExchange.Identity;
import dev.sgw.smb.auth.SecurityExchange.Reason;
import dev.sgw.smb.auth.SecurityExchange.Step;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole exchanges against {@link TestNtlmClient}: success, each refusal, and broken tokens. */
class SecurityExchangeTest {
    private static final NtHash ALICE = NtHash.ofPassword("s3cret-Pa55");

    private static SecurityExchange server() {
        return new SecurityExchange(
                user -> user.equalsIgnoreCase("alice") ? Optional.of(ALICE) : Optional.empty(), "gw.example.com");
    }

    private static TestNtlmClient alice() {
        return new TestNtlmClient("alice", "WORKGROUP", "s3cret-Pa55");
    }

    private static byte[] more(Step step) {
        assertThat(step).isInstanceOf(Step.More.class);
        return ((Step.More) step).token();
    }

    private static Step spnegoExchange(SecurityExchange server, TestNtlmClient client) throws Exception {
        byte[] challengeResp = more(server.step(client.spnegoInit()));
        return server.step(client.spnegoAuthenticate(challengeResp));
    }

    @Test
    void spnegoWithKeyExchangeMicAndMechListMicLogsOn() throws Exception {
        SecurityExchange server = server();
        TestNtlmClient client = alice();

        byte[] challengeResp = more(server.step(client.spnegoInit()));
        Spnego.NegTokenResp first = Spnego.parseResp(challengeResp);
        assertThat(first.negState()).isEqualTo(Spnego.ACCEPT_INCOMPLETE);
        assertThat(first.supportedMech()).isEqualTo(Spnego.NTLMSSP_OID);
        Step last = server.step(client.spnegoAuthenticate(challengeResp));

        assertThat(last).isInstanceOf(Step.Done.class);
        Step.Done done = (Step.Done) last;
        assertThat(done.identity()).isEqualTo(new Identity("alice", "WORKGROUP", "WS1", false));
        assertThat(done.sessionKey()).hasSize(16).isEqualTo(client.exportedSessionKey);
        Spnego.NegTokenResp completed = Spnego.parseResp(done.token());
        assertThat(completed.negState()).isEqualTo(Spnego.ACCEPT_COMPLETED);
        assertThat(completed.mechListMic())
                .isEqualTo(NtlmCrypto.mechListMic(
                        client.exportedSessionKey, client.authenticateFlags, false, TestNtlmClient.MECH_TYPES_NTLM));
        assertThat(completed.mechListMic())
                .isNotEqualTo(NtlmCrypto.mechListMic(
                        client.exportedSessionKey, client.authenticateFlags, true, TestNtlmClient.MECH_TYPES_NTLM));
    }

    @Test
    void theChallengeAnswersTheClientsFlagsAndNamesTheServer() throws Exception {
        byte[] challenge =
                Spnego.parseResp(more(server().step(alice().spnegoInit()))).responseToken();

        int flags = NtlmMessages.le(challenge).getInt(20);
        assertThat(flags & TestNtlmClient.WINDOWS_FLAGS & ~NtlmFlags.NEGOTIATE_OEM)
                .isEqualTo(TestNtlmClient.WINDOWS_FLAGS & ~NtlmFlags.NEGOTIATE_OEM);
        assertThat(flags & (NtlmFlags.NEGOTIATE_OEM | NtlmFlags.NEGOTIATE_SEAL)).isZero();
        assertThat(flags & NtlmFlags.NEGOTIATE_TARGET_INFO).isNotZero();
        ByteBuffer b = NtlmMessages.le(challenge);
        int nameLength = b.getShort(12);
        assertThat(new String(challenge, b.getInt(16), nameLength, StandardCharsets.UTF_16LE))
                .isEqualTo("GW");
        Map<Integer, byte[]> pairs = new HashMap<>();
        for (int pos = b.getInt(44); b.getShort(pos) != AvPairs.EOL; pos += 4 + b.getShort(pos + 2)) {
            pairs.put((int) b.getShort(pos), Arrays.copyOfRange(challenge, pos + 4, pos + 4 + b.getShort(pos + 2)));
        }
        assertThat(pairs.get(AvPairs.NB_COMPUTER_NAME)).isEqualTo(NtlmCrypto.utf16("GW"));
        assertThat(pairs.get(AvPairs.NB_DOMAIN_NAME)).isEqualTo(NtlmCrypto.utf16("GW"));
        assertThat(pairs.get(AvPairs.DNS_COMPUTER_NAME)).isEqualTo(NtlmCrypto.utf16("gw.example.com"));
        assertThat(pairs.get(AvPairs.DNS_DOMAIN_NAME)).isEqualTo(NtlmCrypto.utf16("gw.example.com"));
        long fileTime = NtlmMessages.le(pairs.get(AvPairs.TIMESTAMP)).getLong(0);
        long unixMillis = fileTime / 10_000 - 11_644_473_600_000L;
        assertThat(unixMillis).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis() + 1);
    }

    @Test
    void rawNtlmsspWithoutKeyExchangeGivesTheSessionBaseKey() {
        SecurityExchange server = server();
        TestNtlmClient client = alice();
        client.negotiateFlags &= ~NtlmFlags.NEGOTIATE_KEY_EXCH;

        byte[] challenge = more(server.step(client.negotiate()));
        Step last = server.step(client.authenticate(challenge));

        assertThat(last).isInstanceOf(Step.Done.class);
        assertThat(((Step.Done) last).token()).isEmpty();
        assertThat(((Step.Done) last).sessionKey()).isEqualTo(client.exportedSessionKey);
    }

    @Test
    void aUserNameInAnotherCaseLogsOn() throws Exception {
        TestNtlmClient client = new TestNtlmClient("ALICE", "wg", "s3cret-Pa55");
        assertThat(spnegoExchange(server(), client)).isInstanceOf(Step.Done.class);
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        TestNtlmClient client = alice();
        client.password = "s3cret-Pa56";
        assertThat(reason(spnegoExchange(server(), client))).isEqualTo(Reason.WRONG_PASSWORD);
    }

    @Test
    void unknownUserIsRefused() throws Exception {
        TestNtlmClient client = new TestNtlmClient("mallory", "WORKGROUP", "s3cret-Pa55");
        assertThat(reason(spnegoExchange(server(), client))).isEqualTo(Reason.UNKNOWN_USER);
    }

    @Test
    void aDisabledUserIsRefusedOnlyOnceThePasswordIsProven() throws Exception {
        SecurityExchange disabled = new SecurityExchange(
                user -> user.equalsIgnoreCase("alice") ? Optional.of(ALICE) : Optional.empty(),
                user -> !user.equalsIgnoreCase("alice"),
                "gw.example.com");
        Step right = spnegoExchange(disabled, alice());
        assertThat(reason(right)).isEqualTo(Reason.ACCOUNT_DISABLED);
        assertThat(((Step.Failed) right).reason().status())
                .as("STATUS_ACCOUNT_DISABLED")
                .isEqualTo(0xC0000072);

        TestNtlmClient guesser = alice();
        guesser.password = "s3cret-Pa56";
        SecurityExchange again = new SecurityExchange(
                user -> user.equalsIgnoreCase("alice") ? Optional.of(ALICE) : Optional.empty(),
                user -> false,
                "gw.example.com");
        assertThat(reason(spnegoExchange(again, guesser)))
                .as("a wrong password is a plain logon failure, disabled or not")
                .isEqualTo(Reason.WRONG_PASSWORD);

        SecurityExchange anonymous = new SecurityExchange(user -> Optional.empty(), user -> false, "gw.example.com");
        byte[] challengeResp = more(anonymous.step(alice().spnegoInit()));
        byte[] auth = TestNtlmClient.authenticateMessage(
                NtlmFlags.NEGOTIATE_UNICODE | NtlmFlags.NEGOTIATE_ANONYMOUS,
                new byte[][] {new byte[0], new byte[0], new byte[0], new byte[0], NtlmCrypto.utf16("WS1"), new byte[0]
                });
        assertThat(anonymous.step(Spnego.negTokenResp(Spnego.ACCEPT_INCOMPLETE, false, auth, null)))
                .as("an anonymous logon is no user's")
                .isInstanceOf(Step.Done.class);
    }

    @Test
    void ntlmV1AndLmOnlyResponsesAreRefused() throws Exception {
        TestNtlmClient v1 = alice();
        v1.ntResponseOverride = new byte[24];
        Arrays.fill(v1.ntResponseOverride, (byte) 7);
        assertThat(reason(spnegoExchange(server(), v1))).isEqualTo(Reason.NTLMV1_REFUSED);

        TestNtlmClient lmOnly = alice();
        lmOnly.ntResponseOverride = new byte[0];
        assertThat(reason(spnegoExchange(server(), lmOnly))).isEqualTo(Reason.NTLMV1_REFUSED);
    }

    @Test
    void aTamperedMicIsRefused() throws Exception {
        SecurityExchange server = server();
        TestNtlmClient client = alice();
        byte[] challenge = more(server.step(client.negotiate()));
        byte[] auth = client.authenticate(challenge);
        auth[NtlmMessages.MIC_OFFSET] ^= 1;

        assertThat(reason(server.step(auth))).isEqualTo(Reason.MIC_MISMATCH);
    }

    @Test
    void aWrongMechListMicIsRefused() throws Exception {
        SecurityExchange server = server();
        TestNtlmClient client = alice();
        byte[] challengeResp = more(server.step(client.spnegoInit()));
        client.mechTypeList = Der.tlv(Der.SEQUENCE, Spnego.NTLMSSP_OID, Spnego.NTLMSSP_OID); // MIC over another list

        assertThat(reason(server.step(client.spnegoAuthenticate(challengeResp))))
                .isEqualTo(Reason.MIC_MISMATCH);
    }

    @Test
    void withoutAClientMechListMicTheServerSendsNone() throws Exception {
        TestNtlmClient client = alice();
        client.sendMechListMic = false;

        Step last = spnegoExchange(server(), client);

        assertThat(last).isInstanceOf(Step.Done.class);
        assertThat(Spnego.parseResp(((Step.Done) last).token()).mechListMic()).isNull();
    }

    @Test
    void ntlmsspAsSecondChoiceIsSelectedAndThenNeedsTheMechListMic() throws Exception {
        byte[] krb5 = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x12, 0x01, 0x02, 0x02};
        for (boolean sendMic : new boolean[] {true, false}) {
            SecurityExchange server = server();
            TestNtlmClient client = alice();
            client.mechTypeList = Der.tlv(Der.SEQUENCE, krb5, Spnego.NTLMSSP_OID);
            client.sendMechListMic = sendMic;

            Spnego.NegTokenResp select = Spnego.parseResp(more(server.step(client.spnegoInit())));
            assertThat(select.negState()).isEqualTo(Spnego.REQUEST_MIC);
            assertThat(select.supportedMech()).isEqualTo(Spnego.NTLMSSP_OID);
            assertThat(select.responseToken()).isNull();
            byte[] negotiate = Spnego.negTokenResp(Spnego.ACCEPT_INCOMPLETE, false, client.negotiate(), null);
            byte[] challengeResp = more(server.step(negotiate));
            Step last = server.step(client.spnegoAuthenticate(challengeResp));

            if (sendMic) {
                assertThat(last).isInstanceOf(Step.Done.class);
            } else {
                assertThat(reason(last)).isEqualTo(Reason.MIC_MISMATCH);
            }
        }
    }

    @Test
    void anAnonymousLogonGivesTheAnonymousIdentityAndAZeroKey() throws Exception {
        for (byte[] lm : new byte[][] {new byte[0], new byte[1]}) {
            SecurityExchange server = server();
            byte[] challengeResp = more(server.step(alice().spnegoInit()));
            assertThat(challengeResp).isNotEmpty();
            byte[] auth = TestNtlmClient.authenticateMessage(
                    NtlmFlags.NEGOTIATE_UNICODE | NtlmFlags.NEGOTIATE_ANONYMOUS,
                    new byte[][] {lm, new byte[0], new byte[0], new byte[0], NtlmCrypto.utf16("WS1"), new byte[0]});

            Step last = server.step(Spnego.negTokenResp(Spnego.ACCEPT_INCOMPLETE, false, auth, null));

            assertThat(last).isInstanceOf(Step.Done.class);
            Step.Done done = (Step.Done) last;
            assertThat(done.identity()).isEqualTo(new Identity("", "", "WS1", true));
            assertThat(done.sessionKey()).isEqualTo(new byte[16]);
            assertThat(Spnego.parseResp(done.token()).negState()).isEqualTo(Spnego.ACCEPT_COMPLETED);
        }
    }

    @Test
    void anyStepAfterTheEndFails() throws Exception {
        SecurityExchange server = server();
        TestNtlmClient client = alice();
        assertThat(spnegoExchange(server, client)).isInstanceOf(Step.Done.class);
        assertThat(reason(server.step(client.spnegoInit()))).isEqualTo(Reason.MALFORMED);

        SecurityExchange failed = server();
        assertThat(reason(failed.step(new byte[] {1, 2, 3}))).isEqualTo(Reason.MALFORMED);
        assertThat(reason(failed.step(alice().spnegoInit()))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void aSpnegoInitWithoutNtlmsspIsRefused() {
        byte[] krb5 = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x12, 0x01, 0x02, 0x02};
        TestNtlmClient client = alice();
        client.mechTypeList = Der.tlv(Der.SEQUENCE, krb5);
        assertThat(reason(server().step(client.spnegoInit()))).isEqualTo(Reason.MALFORMED);
        assertThat(reason(server().step(null))).isEqualTo(Reason.MALFORMED);
        assertThat(reason(server().step(new byte[0]))).isEqualTo(Reason.MALFORMED);
    }

    /** Every truncation and many random corruptions of each client token: never a throw, never a logon. */
    @Test
    void truncatedAndGarbledTokensFailWithoutThrowing() throws Exception {
        TestNtlmClient client = alice();
        byte[] init = client.spnegoInit();
        SecurityExchange reference = server();
        byte[] challengeResp = more(reference.step(init));
        byte[] auth = client.spnegoAuthenticate(challengeResp);
        Random random = new Random(42);

        for (int cut = 0; cut < init.length; cut++) {
            assertThat(server().step(Arrays.copyOf(init, cut))).isInstanceOf(Step.Failed.class);
        }
        for (int cut = 0; cut < auth.length; cut++) {
            SecurityExchange server = server();
            more(server.step(init));
            assertThat(server.step(Arrays.copyOf(auth, cut))).isInstanceOf(Step.Failed.class);
        }
        for (int round = 0; round < 2000; round++) {
            SecurityExchange server = server();
            byte[] first = garble(init, random);
            Step step = server.step(first);
            if (step instanceof Step.More) {
                assertThat(server.step(garble(auth, random))).isInstanceOf(Step.Failed.class);
            } else {
                assertThat(step).isInstanceOf(Step.Failed.class);
            }
        }
    }

    private static byte[] garble(byte[] token, Random random) {
        byte[] copy = token.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private static Reason reason(Step step) {
        assertThat(step).isInstanceOf(Step.Failed.class);
        return ((Step.Failed) step).reason();
    }
}
