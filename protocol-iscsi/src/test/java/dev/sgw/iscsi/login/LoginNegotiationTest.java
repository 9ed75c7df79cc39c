package dev.sgw.iscsi.login;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sgw.core.manage.ChapCredentials;
import dev.sgw.iscsi.pdu.LoginRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The login state machine: stages, identity keys, authentication rules and the outcome of negotiation. */
class LoginNegotiationTest {
    static final String OPEN = "iqn.2026-11.dev.sgw:open";
    static final String LOCKED = "iqn.2026-11.dev.sgw:locked";
    static final String MUTUAL = "iqn.2026-11.dev.sgw:mutual";

    private final Targets targets = new Targets() {
        final List<Target> all = List.of(
                new Target(OPEN, "open", null),
                new Target(LOCKED, "locked", ChapCredentials.of("alice", "alice-secret1")),
                new Target(
                        MUTUAL, "mutual", ChapCredentials.mutual("alice", "alice-secret1", "tgt", "target-secret1")));

        @Override
        public Optional<Target> find(String name) {
            return all.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
        }

        @Override
        public List<Target> all() {
            return all;
        }
    };

    private final LoginNegotiation login =
            new LoginNegotiation(targets, NegotiationLimits.defaults(), new SecureRandom());

    private static LoginRequest request(int csg, int nsg, boolean transit, String... pairs) {
        List<KeyValue> keys = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            keys.add(new KeyValue(pairs[i], pairs[i + 1]));
        }
        return new LoginRequest(
                transit, false, csg, nsg, 0, 0, 0x400000000001L, 0, 1, 0, 10, 0, KeyValueText.encode(keys));
    }

    private static Map<String, String> keys(LoginStep step) {
        Map<String, String> m = new HashMap<>();
        step.reply().keys().forEach(k -> m.put(k.key(), k.value()));
        return m;
    }

    private static String response(Map<String, String> challenge, String secret) {
        return ChapValue.hex(ChapAuthenticator.md5(
                Integer.parseInt(challenge.get("CHAP_I")), secret, ChapValue.decode(challenge.get("CHAP_C"))));
    }

    @Test
    void anOpenTargetLogsInStraightFromOperationalNegotiation() {
        LoginStep step = login.process(request(
                1,
                3,
                true,
                "InitiatorName",
                "iqn.2026-01.test:Host",
                "SessionType",
                "Normal",
                "TargetName",
                OPEN,
                "HeaderDigest",
                "CRC32C,None",
                "MaxRecvDataSegmentLength",
                "65536",
                "InitialR2T",
                "No"));
        assertThat(step).isInstanceOf(LoginStep.Completed.class);
        LoginStep.Completed done = (LoginStep.Completed) step;
        assertThat(done.reply().transit()).isTrue();
        assertThat(done.reply().nsg()).isEqualTo(3);
        assertThat(done.reply().status()).isEqualTo(LoginStatus.SUCCESS);
        assertThat(done.identity().initiatorName())
                .as("names are compared in lower case")
                .isEqualTo("iqn.2026-01.test:host");
        assertThat(done.identity().target().name()).isEqualTo(OPEN);
        assertThat(done.parameters().headerDigest()).isTrue();
        assertThat(done.parameters().initiatorMaxRecvDataSegmentLength()).isEqualTo(65536);
        assertThat(done.parameters().initialR2T()).isFalse();
        Map<String, String> k = keys(step);
        assertThat(k)
                .containsEntry("HeaderDigest", "CRC32C")
                .containsEntry("TargetPortalGroupTag", "1")
                .containsEntry("MaxRecvDataSegmentLength", "262144")
                .containsEntry("TargetAlias", "open");
        assertThat(login.state()).isEqualTo(LoginNegotiation.State.COMPLETE);
    }

    @Test
    void securityWithAuthMethodNoneThenOperational() {
        LoginStep s1 = login.process(
                request(0, 1, true, "InitiatorName", "iqn.x:y", "TargetName", OPEN, "AuthMethod", "None"));
        assertThat(s1).isInstanceOf(LoginStep.Negotiating.class);
        assertThat(s1.reply().transit()).isTrue();
        assertThat(keys(s1)).containsEntry("AuthMethod", "None");
        LoginStep s2 = login.process(request(1, 3, true, "MaxBurstLength", "65536"));
        assertThat(s2).isInstanceOf(LoginStep.Completed.class);
        assertThat(((LoginStep.Completed) s2).parameters().maxBurstLength()).isEqualTo(65536);
    }

    @Test
    void unknownTargetIsNotFoundAndMissingKeysAreReported() {
        assertThat(login.process(request(
                                1, 3, true, "InitiatorName", "iqn.x:y", "TargetName", "iqn.2026-11.dev.sgw:nope"))
                        .reply()
                        .status())
                .isEqualTo(LoginStatus.NOT_FOUND);
        LoginNegotiation other = new LoginNegotiation(targets, NegotiationLimits.defaults(), new SecureRandom());
        assertThat(other.process(request(1, 3, true, "TargetName", OPEN))
                        .reply()
                        .status())
                .isEqualTo(LoginStatus.MISSING_PARAMETER);
        LoginNegotiation third = new LoginNegotiation(targets, NegotiationLimits.defaults(), new SecureRandom());
        assertThat(third.process(request(1, 3, true, "InitiatorName", "iqn.x:y"))
                        .reply()
                        .status())
                .isEqualTo(LoginStatus.MISSING_PARAMETER);
        LoginNegotiation fourth = new LoginNegotiation(targets, NegotiationLimits.defaults(), new SecureRandom());
        assertThat(fourth.process(request(1, 3, true, "InitiatorName", "iqn.x:y", "SessionType", "Weird"))
                        .reply()
                        .status())
                .isEqualTo(LoginStatus.SESSION_TYPE_NOT_SUPPORTED);
    }

    @Test
    void aChapTargetRefusesAuthMethodNoneAndASkippedSecurityStage() {
        LoginStep none = login.process(
                request(0, 1, true, "InitiatorName", "iqn.x:y", "TargetName", LOCKED, "AuthMethod", "None"));
        assertThat(none).isInstanceOf(LoginStep.Failed.class);
        assertThat(none.reply().status()).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
        assertThat(keys(none)).containsEntry("AuthMethod", "Reject");

        LoginNegotiation skip = new LoginNegotiation(targets, NegotiationLimits.defaults(), new SecureRandom());
        assertThat(skip.process(request(1, 3, true, "InitiatorName", "iqn.x:y", "TargetName", LOCKED))
                        .reply()
                        .status())
                .isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);

        LoginNegotiation noMethod = new LoginNegotiation(targets, NegotiationLimits.defaults(), new SecureRandom());
        assertThat(noMethod.process(request(0, 1, true, "InitiatorName", "iqn.x:y", "TargetName", LOCKED))
                        .reply()
                        .status())
                .isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void oneWayChapSucceedsAndTheTargetHoldsTheTransitUntilAuthenticated() {
        LoginStep s1 = login.process(
                request(0, 1, true, "InitiatorName", "iqn.x:y", "TargetName", LOCKED, "AuthMethod", "CHAP,None"));
        assertThat(keys(s1)).containsEntry("AuthMethod", "CHAP");
        assertThat(s1.reply().transit()).as("not before authentication").isFalse();
        LoginStep s2 = login.process(request(0, 1, false, "CHAP_A", "5"));
        Map<String, String> challenge = keys(s2);
        assertThat(challenge).containsKeys("CHAP_I", "CHAP_C").containsEntry("CHAP_A", "5");
        LoginStep s3 =
                login.process(request(0, 1, true, "CHAP_N", "alice", "CHAP_R", response(challenge, "alice-secret1")));
        assertThat(s3).isInstanceOf(LoginStep.Negotiating.class);
        assertThat(s3.reply().transit()).isTrue();
        assertThat(s3.reply().nsg()).isEqualTo(1);
        assertThat(login.process(request(1, 3, true, "ImmediateData", "Yes"))).isInstanceOf(LoginStep.Completed.class);
    }

    @Test
    void aWrongChapSecretIsAnAuthenticationFailure() {
        login.process(request(0, 1, true, "InitiatorName", "iqn.x:y", "TargetName", LOCKED, "AuthMethod", "CHAP"));
        Map<String, String> challenge = keys(login.process(request(0, 1, false, "CHAP_A", "5")));
        LoginStep s3 =
                login.process(request(0, 1, true, "CHAP_N", "alice", "CHAP_R", response(challenge, "guessed-secret")));
        assertThat(s3).isInstanceOf(LoginStep.Failed.class);
        assertThat(s3.reply().status().code()).isEqualTo(0x0201);
        assertThat(login.state()).isEqualTo(LoginNegotiation.State.FAILED);
    }

    @Test
    void mutualChapProvesTheTargetAndRefusesAReplayedChallenge() {
        login.process(request(0, 1, true, "InitiatorName", "iqn.x:y", "TargetName", MUTUAL, "AuthMethod", "CHAP"));
        Map<String, String> challenge = keys(login.process(request(0, 1, false, "CHAP_A", "5")));
        LoginStep s3 = login.process(request(
                0,
                1,
                true,
                "CHAP_N",
                "alice",
                "CHAP_R",
                response(challenge, "alice-secret1"),
                "CHAP_I",
                "9",
                "CHAP_C",
                "0x00112233445566778899aabbccddeeff"));
        Map<String, String> back = keys(s3);
        assertThat(back).containsEntry("CHAP_N", "tgt");
        assertThat(ChapValue.decode(back.get("CHAP_R")))
                .isEqualTo(ChapAuthenticator.md5(
                        9, "target-secret1", ChapValue.decode("0x00112233445566778899aabbccddeeff")));

        LoginNegotiation replay = new LoginNegotiation(targets, NegotiationLimits.defaults(), new SecureRandom());
        replay.process(request(0, 1, true, "InitiatorName", "iqn.x:y", "TargetName", MUTUAL, "AuthMethod", "CHAP"));
        Map<String, String> c = keys(replay.process(request(0, 1, false, "CHAP_A", "5")));
        LoginStep refused = replay.process(request(
                0,
                1,
                true,
                "CHAP_N",
                "alice",
                "CHAP_R",
                response(c, "alice-secret1"),
                "CHAP_I",
                c.get("CHAP_I"),
                "CHAP_C",
                c.get("CHAP_C")));
        assertThat(refused.reply().status()).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
        assertThat(keys(refused)).doesNotContainKey("CHAP_R");
    }

    @Test
    void discoverySessionsNeedNoTargetAndNoAuthentication() {
        LoginStep step = login.process(
                request(0, 3, true, "InitiatorName", "iqn.x:y", "SessionType", "Discovery", "AuthMethod", "CHAP,None"));
        assertThat(step).isInstanceOf(LoginStep.Completed.class);
        assertThat(((LoginStep.Completed) step).identity().discovery()).isTrue();
        assertThat(keys(step)).containsEntry("AuthMethod", "None").doesNotContainKey("TargetPortalGroupTag");
    }

    @Test
    void textContinuedOverSeveralRequestsIsGatheredFirst() {
        byte[] all = KeyValueText.encode(
                List.of(new KeyValue("InitiatorName", "iqn.x:y"), new KeyValue("TargetName", OPEN)));
        byte[] first = java.util.Arrays.copyOf(all, 10);
        byte[] rest = java.util.Arrays.copyOfRange(all, 10, all.length);
        LoginStep s1 = login.process(new LoginRequest(false, true, 1, 3, 0, 0, 5, 0, 1, 0, 10, 0, first));
        assertThat(s1).isInstanceOf(LoginStep.Negotiating.class);
        assertThat(s1.reply().keys()).isEmpty();
        LoginStep s2 = login.process(new LoginRequest(true, false, 1, 3, 0, 0, 5, 0, 1, 0, 10, 0, rest));
        assertThat(s2).isInstanceOf(LoginStep.Completed.class);
    }

    @Test
    void protocolViolationsFailTheLogin() {
        assertThat(login.process(new LoginRequest(
                                true,
                                false,
                                1,
                                3,
                                0,
                                1,
                                5,
                                0,
                                1,
                                0,
                                10,
                                0,
                                KeyValueText.encode(
                                        List.of(new KeyValue("InitiatorName", "i"), new KeyValue("TargetName", OPEN)))))
                        .reply()
                        .status())
                .isEqualTo(LoginStatus.UNSUPPORTED_VERSION);
        LoginNegotiation backwards = new LoginNegotiation(targets, NegotiationLimits.defaults(), new SecureRandom());
        assertThat(backwards
                        .process(request(1, 0, true, "InitiatorName", "i", "TargetName", OPEN))
                        .reply()
                        .status())
                .isEqualTo(LoginStatus.INITIATOR_ERROR);
        LoginNegotiation chapLate = new LoginNegotiation(targets, NegotiationLimits.defaults(), new SecureRandom());
        chapLate.process(request(1, 3, false, "InitiatorName", "i", "TargetName", OPEN));
        assertThat(chapLate.process(request(1, 3, true, "CHAP_A", "5")).reply().status())
                .isEqualTo(LoginStatus.INITIATOR_ERROR);
        LoginNegotiation garbage = new LoginNegotiation(targets, NegotiationLimits.defaults(), new SecureRandom());
        assertThat(garbage.process(new LoginRequest(true, false, 1, 3, 0, 0, 5, 0, 1, 0, 10, 0, "no-nul".getBytes()))
                        .reply()
                        .status())
                .isEqualTo(LoginStatus.INITIATOR_ERROR);
    }
}
