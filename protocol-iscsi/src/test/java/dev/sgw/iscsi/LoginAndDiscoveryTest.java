package dev.sgw.iscsi;

import java.nio.file.Path;
import java.util.List;

import dev.sgw.core.manage.ChapCredentials;
import dev.sgw.iscsi.login.KeyValue;
import dev.sgw.iscsi.pdu.LoginResponse;
import dev.sgw.iscsi.session.TargetSettings;
import dev.sgw.iscsi.testing.TargetFixture;
import dev.sgw.iscsi.testing.TestInitiator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logins and discovery over a real socket: targets follow the management service (created, disabled), CHAP
 * is enforced per volume, one initiator per volume with multipath from the same initiator, reinstatement.
 */
class LoginAndDiscoveryTest {
    @TempDir
    Path dir;

    TargetFixture target;

    @BeforeEach
    void start() throws Exception {
        target = TargetFixture.start(dir, TargetSettings.defaults());
        target.addVolume("alpha", 1 << 20, null);
        target.addVolume("beta", 1 << 20, null);
        target.addVolume("locked", 1 << 20, ChapCredentials.of("alice", "alice-secret1"));
        target.addVolume("mutual", 1 << 20, ChapCredentials.mutual("alice", "alice-secret1", "tgt", "target-secret1"));
        target.addVolume("off", 1 << 20, null);
        target.setEnabled("off", false);
    }

    @AfterEach
    void stop() {
        target.close();
    }

    @Test
    void discoveryListsEveryEnabledVolumeWithTheAddressTheInitiatorReached() throws Exception {
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            assertThat(i.login(null).status()).isZero();
            List<KeyValue> answer = i.text(List.of(new KeyValue("SendTargets", "All")));
            assertThat(answer.stream().filter(k -> k.key().equals("TargetName")).map(KeyValue::value))
                    .containsExactly(
                            target.target("alpha"),
                            target.target("beta"),
                            target.target("locked"),
                            target.target("mutual"));
            assertThat(answer.stream()
                            .filter(k -> k.key().equals("TargetAddress"))
                            .map(KeyValue::value))
                    .containsOnly("127.0.0.1:" + target.port() + ",1");
            assertThat(i.logout().response()).isZero();
        }
    }

    @Test
    void aLongSendTargetsAnswerIsSentInParts() throws Exception {
        for (int v = 0; v < 20; v++) {
            target.addVolume("volume-with-a-long-name-" + v, 1 << 20, null);
        }
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            i.offer.put("MaxRecvDataSegmentLength", "512");
            assertThat(i.login(null).status()).isZero();
            List<KeyValue> answer = i.text(List.of(new KeyValue("SendTargets", "All")));
            assertThat(answer.stream().filter(k -> k.key().equals("TargetName")))
                    .hasSize(24);
            long parts = i.received.stream()
                    .filter(p -> p instanceof dev.sgw.iscsi.pdu.TextResponse)
                    .count();
            assertThat(parts).isGreaterThan(3);
            assertThat(i.received.stream()
                            .filter(p -> p instanceof dev.sgw.iscsi.pdu.TextResponse)
                            .mapToInt(p -> ((dev.sgw.iscsi.pdu.TextResponse) p).data().length)
                            .max()
                            .orElseThrow())
                    .isLessThanOrEqualTo(512);
        }
    }

    @Test
    void aNormalSessionSeesOnlyItsOwnTarget() throws Exception {
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            assertThat(i.login(target.target("alpha")).status()).isZero();
            assertThat(i.targetKeys).containsEntry("TargetAlias", "alpha").containsEntry("TargetPortalGroupTag", "1");
            assertThat(i.text(List.of(new KeyValue("SendTargets", ""))))
                    .extracting(KeyValue::value)
                    .containsExactly(target.target("alpha"), "127.0.0.1:" + target.port() + ",1");
            assertThat(i.text(List.of(new KeyValue("SendTargets", "All"))))
                    .containsExactly(new KeyValue("SendTargets", "Reject"));
        }
    }

    @Test
    void unknownAndDisabledTargetsAreNotFoundAndNewVolumesAreServedAtOnce() throws Exception {
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            assertThat(i.login(target.target("nope")).status()).isEqualTo(0x0203);
            assertThat(i.closedByTarget()).isTrue();
        }
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            assertThat(i.login(target.target("off")).status()).isEqualTo(0x0203);
        }
        target.addVolume("gamma", 1 << 20, null);
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            assertThat(i.login(target.target("gamma")).status()).isZero();
        }
        target.setEnabled("off", true);
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            assertThat(i.login(target.target("off")).status()).isZero();
        }
    }

    @Test
    void chapIsRequiredWhereConfiguredAndChecked() throws Exception {
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            assertThat(i.login(target.target("locked")).status())
                    .as("no security stage")
                    .isEqualTo(0x0201);
        }
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            assertThat(i.loginChap(target.target("locked"), "alice", "wrong-secret1", null, null)
                            .status())
                    .isEqualTo(0x0201);
            assertThat(i.closedByTarget()).isTrue();
        }
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            LoginResponse r = i.loginChap(target.target("locked"), "alice", "alice-secret1", null, null);
            assertThat(r.status()).isZero();
            assertThat(r.nsg()).isEqualTo(3);
            assertThat(i.nop(new byte[] {1}).itt()).isNotZero();
        }
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            assertThat(i.loginChap(target.target("mutual"), "alice", "alice-secret1", "tgt", "target-secret1")
                            .status())
                    .isZero();
        }
        try (TestInitiator i = TestInitiator.connect(target.port())) {
            assertThat(i.loginChap(target.target("alpha"), "alice", "alice-secret1", null, null)
                            .status())
                    .as("an open volume accepts AuthMethod=None from a CHAP-capable initiator")
                    .isZero();
            assertThat(i.targetKeys).containsEntry("AuthMethod", "None");
        }
    }

    @Test
    void oneInitiatorPerVolumeButSeveralSessionsFromIt() throws Exception {
        try (TestInitiator a1 = TestInitiator.connect(target.port());
                TestInitiator a2 = TestInitiator.connect(target.port());
                TestInitiator b = TestInitiator.connect(target.port())) {
            assertThat(a1.login(target.target("alpha")).status()).isZero();
            a2.isid = a1.isid + 1;
            assertThat(a2.login(target.target("alpha")).status())
                    .as("multipath from the same initiator")
                    .isZero();
            b.initiatorName = "iqn.2026-01.test:other";
            assertThat(b.login(target.target("alpha")).status()).isEqualTo(0x0202);
            assertThat(target.server.sessions()).hasSize(2);
            assertThat(a1.logout().response()).isZero();
            assertThat(a2.logout().response()).isZero();
        }
        try (TestInitiator b = TestInitiator.connect(target.port())) {
            b.initiatorName = "iqn.2026-01.test:other";
            assertThat(b.login(target.target("alpha")).status())
                    .as("free again")
                    .isZero();
        }
    }

    @Test
    void aVolumeThatAllowsMultipleInitiatorsAdmitsASecondOne() throws Exception {
        target.allowMultipleInitiators("alpha");
        try (TestInitiator a = TestInitiator.connect(target.port());
                TestInitiator b = TestInitiator.connect(target.port())) {
            assertThat(a.login(target.target("alpha")).status()).isZero();
            b.initiatorName = "iqn.2026-01.test:other";
            assertThat(b.login(target.target("alpha")).status()).isZero();
            assertThat(target.server.sessions()).hasSize(2);
        }
    }

    @Test
    void aNewLoginWithTheSameIsidReinstatesTheSession() throws Exception {
        try (TestInitiator old = TestInitiator.connect(target.port());
                TestInitiator again = TestInitiator.connect(target.port())) {
            assertThat(old.login(target.target("beta")).status()).isZero();
            assertThat(again.login(target.target("beta")).status()).isZero();
            assertThat(old.closedByTarget()).isTrue();
            assertThat(again.nop(new byte[0])).isNotNull();
            assertThat(target.server.sessions()).hasSize(1);
        }
    }
}
