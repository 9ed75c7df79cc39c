package dev.sgw.iscsi.login;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each operational key is answered by its rule, and the result fills in the RFC 7143 defaults. */
class KeyNegotiatorTest {
    private final NegotiationLimits limits = NegotiationLimits.defaults();

    @Test
    void digestsPickTheFirstOfferedValueTheTargetSupports() {
        KeyNegotiator k = new KeyNegotiator(limits, false);
        assertThat(k.answer("HeaderDigest", "CRC32C,None")).isEqualTo("CRC32C");
        assertThat(k.answer("DataDigest", "None,CRC32C")).isEqualTo("None");
        SessionParameters p = k.result();
        assertThat(p.headerDigest()).isTrue();
        assertThat(p.dataDigest()).isFalse();
        assertThat(new KeyNegotiator(limits, false).answer("HeaderDigest", "MD5"))
                .isEqualTo("Reject");
        KeyNegotiator strict = new KeyNegotiator(limits.withDigestsRequired(true), false);
        assertThat(strict.answer("HeaderDigest", "None,CRC32C")).isEqualTo("CRC32C");
        assertThat(strict.answer("DataDigest", "None")).isEqualTo("Reject");
        assertThat(strict.result().headerDigest()).isTrue();
        assertThat(strict.result().dataDigest()).isFalse();
    }

    @Test
    void numbersTakeTheMinimumOrMaximumAndDeclarationsNeedNoAnswer() {
        KeyNegotiator k = new KeyNegotiator(limits, false);
        assertThat(k.answer("MaxBurstLength", "16776192")).isEqualTo(Integer.toString(limits.maxBurstLength()));
        assertThat(k.answer("FirstBurstLength", "65536")).isEqualTo("65536");
        assertThat(k.answer("MaxOutstandingR2T", "1")).isEqualTo("1");
        assertThat(k.answer("DefaultTime2Wait", "0")).isEqualTo("2");
        assertThat(k.answer("DefaultTime2Retain", "0")).isEqualTo("0");
        assertThat(k.answer("ErrorRecoveryLevel", "2")).isEqualTo("0");
        assertThat(k.answer("MaxConnections", "8")).isEqualTo("1");
        assertThat(k.answer("MaxRecvDataSegmentLength", "4096")).isNull();
        SessionParameters p = k.result();
        assertThat(p.maxBurstLength()).isEqualTo(limits.maxBurstLength());
        assertThat(p.firstBurstLength()).isEqualTo(65536);
        assertThat(p.initiatorMaxRecvDataSegmentLength()).isEqualTo(4096);
        assertThat(p.targetMaxRecvDataSegmentLength()).isEqualTo(limits.maxRecvDataSegmentLength());
        assertThat(p.errorRecoveryLevel()).isZero();
    }

    @Test
    void booleansCombineWithAndOrOr() {
        KeyNegotiator k = new KeyNegotiator(limits, false);
        assertThat(k.answer("InitialR2T", "No")).isEqualTo("No"); // OR with the target's No
        assertThat(k.answer("ImmediateData", "No")).isEqualTo("No"); // AND with the target's Yes
        assertThat(k.answer("DataPDUInOrder", "No")).isEqualTo("Yes");
        assertThat(k.answer("IFMarker", "Yes")).isEqualTo("No");
        assertThat(k.answer("OFMarkInt", "2048~8192")).isEqualTo("Irrelevant");
        SessionParameters p = k.result();
        assertThat(p.initialR2T()).isFalse();
        assertThat(p.immediateData()).isFalse();
    }

    @Test
    void badValuesAreRejectedAndUnknownKeysNotUnderstood() {
        KeyNegotiator k = new KeyNegotiator(limits, false);
        assertThat(k.answer("MaxBurstLength", "100")).isEqualTo("Reject");
        assertThat(k.answer("MaxBurstLength", "lots")).isEqualTo("Reject");
        assertThat(k.answer("ImmediateData", "Maybe")).isEqualTo("Reject");
        assertThat(k.answer("X-com.example.Thing", "1")).isEqualTo("NotUnderstood");
        assertThat(k.answer("Frobnicate", "1")).isEqualTo("NotUnderstood");
        assertThat(k.result().maxBurstLength()).isEqualTo(262144);
    }

    @Test
    void defaultsWhenNothingIsOfferedAndFirstBurstNeverExceedsMaxBurst() {
        SessionParameters p = new KeyNegotiator(limits, false).result();
        assertThat(p.initiatorMaxRecvDataSegmentLength()).isEqualTo(8192);
        assertThat(p.maxBurstLength()).isEqualTo(262144);
        assertThat(p.firstBurstLength()).isEqualTo(65536);
        assertThat(p.initialR2T()).isTrue();
        assertThat(p.immediateData()).isTrue();
        assertThat(p.maxOutstandingR2T()).isEqualTo(1);
        KeyNegotiator k = new KeyNegotiator(limits, false);
        k.answer("MaxBurstLength", "4096");
        k.answer("FirstBurstLength", "65536");
        assertThat(k.result().firstBurstLength()).isEqualTo(4096);
    }
}
