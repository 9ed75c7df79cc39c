package dev.sgw.iscsi.login;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.sgw.core.manage.ChapCredentials;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** CHAP with MD5: one-way and mutual, wrong secrets and names refused, a reflected challenge refused. */
class ChapAuthenticatorTest {
    private static final ChapCredentials ONE_WAY = ChapCredentials.of("alice", "alice-secret1");
    private static final ChapCredentials MUTUAL =
            ChapCredentials.mutual("alice", "alice-secret1", "target", "target-secret1");

    private static Map<String, String> map(List<KeyValue> kv) {
        Map<String, String> m = new HashMap<>();
        kv.forEach(k -> m.put(k.key(), k.value()));
        return m;
    }

    private static String response(Map<String, String> challenge, String secret) {
        return ChapValue.hex(ChapAuthenticator.md5(
                Integer.parseInt(challenge.get("CHAP_I")), secret, ChapValue.decode(challenge.get("CHAP_C"))));
    }

    @Test
    void oneWaySucceedsWithTheRightSecretInHexOrBase64() {
        ChapAuthenticator chap = new ChapAuthenticator(ONE_WAY, new SecureRandom());
        Map<String, String> c = map(chap.challenge("7,5"));
        assertThat(c.get("CHAP_A")).isEqualTo("5");
        assertThat(ChapValue.decode(c.get("CHAP_C"))).hasSizeGreaterThanOrEqualTo(16);
        ChapAuthenticator.Verdict v = chap.verify("alice", response(c, "alice-secret1"), null, null);
        assertThat(v.succeeded()).isTrue();
        assertThat(v.responseKeys()).isEmpty();
        assertThat(chap.state()).isEqualTo(ChapAuthenticator.State.SUCCEEDED);

        ChapAuthenticator again = new ChapAuthenticator(ONE_WAY, new SecureRandom());
        Map<String, String> c2 = map(again.challenge("5"));
        byte[] r = ChapAuthenticator.md5(
                Integer.parseInt(c2.get("CHAP_I")), "alice-secret1", ChapValue.decode(c2.get("CHAP_C")));
        assertThat(again.verify("alice", ChapValue.base64(r), null, null).succeeded())
                .isTrue();
        assertThat(c2.get("CHAP_C")).as("a fresh challenge per login").isNotEqualTo(c.get("CHAP_C"));
    }

    @Test
    void aWrongSecretOrNameFails() {
        ChapAuthenticator chap = new ChapAuthenticator(ONE_WAY, new SecureRandom());
        Map<String, String> c = map(chap.challenge("5"));
        assertThat(chap.verify("alice", response(c, "wrong-secret1"), null, null)
                        .succeeded())
                .isFalse();
        assertThat(chap.state()).isEqualTo(ChapAuthenticator.State.FAILED);

        ChapAuthenticator byName = new ChapAuthenticator(ONE_WAY, new SecureRandom());
        Map<String, String> c2 = map(byName.challenge("5"));
        assertThat(byName.verify("mallory", response(c2, "alice-secret1"), null, null)
                        .succeeded())
                .isFalse();

        ChapAuthenticator garbage = new ChapAuthenticator(ONE_WAY, new SecureRandom());
        garbage.challenge("5");
        assertThat(garbage.verify("alice", "not-hex", null, null).succeeded()).isFalse();
    }

    @Test
    void anAlgorithmOtherThanMd5IsRejected() {
        ChapAuthenticator chap = new ChapAuthenticator(ONE_WAY, new SecureRandom());
        assertThat(chap.challenge("6,7")).containsExactly(new KeyValue("CHAP_A", "Reject"));
        assertThat(chap.state()).isEqualTo(ChapAuthenticator.State.FAILED);
    }

    @Test
    void mutualChapAnswersTheInitiatorsChallengeWithTheTargetSecret() {
        ChapAuthenticator chap = new ChapAuthenticator(MUTUAL, new SecureRandom());
        Map<String, String> c = map(chap.challenge("5"));
        byte[] theirs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        ChapAuthenticator.Verdict v = chap.verify("alice", response(c, "alice-secret1"), "33", ChapValue.hex(theirs));
        assertThat(v.succeeded()).isTrue();
        Map<String, String> back = map(v.responseKeys());
        assertThat(back.get("CHAP_N")).isEqualTo("target");
        assertThat(ChapValue.decode(back.get("CHAP_R"))).isEqualTo(ChapAuthenticator.md5(33, "target-secret1", theirs));
    }

    @Test
    void mutualChapIsRefusedWithoutMutualCredentialsOrWithOurOwnChallenge() {
        ChapAuthenticator oneWay = new ChapAuthenticator(ONE_WAY, new SecureRandom());
        Map<String, String> c = map(oneWay.challenge("5"));
        assertThat(oneWay.verify("alice", response(c, "alice-secret1"), "1", "0x0102030405060708")
                        .succeeded())
                .isFalse();

        ChapAuthenticator mutual = new ChapAuthenticator(MUTUAL, new SecureRandom());
        Map<String, String> m = map(mutual.challenge("5"));
        ChapAuthenticator.Verdict reflected =
                mutual.verify("alice", response(m, "alice-secret1"), m.get("CHAP_I"), m.get("CHAP_C"));
        assertThat(reflected.succeeded()).isFalse();
        assertThat(reflected.reason()).contains("repeats");
        assertThat(reflected.responseKeys()).isEmpty();
    }
}
