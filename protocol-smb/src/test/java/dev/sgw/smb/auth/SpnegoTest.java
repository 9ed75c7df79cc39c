package dev.sgw.smb.auth;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static dev.sgw.smb.auth.NlmpSpecVectorsTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpnegoTest {

    /** The negTokenInit2 byte for byte as a Windows server puts it in its NEGOTIATE response. */
    @Test
    void negotiateTokenIsWindowsNegTokenInit2() {
        assertThat(SecurityExchange.negotiateToken()).isEqualTo(hex("""
                        60 48 06 06 2b 06 01 05 05 02 a0 3e 30 3c a0 0e
                        30 0c 06 0a 2b 06 01 04 01 82 37 02 02 0a a3 2a
                        30 28 a0 26 1b 24 6e 6f 74 5f 64 65 66 69 6e 65
                        64 5f 69 6e 5f 52 46 43 34 31 37 38 40 70 6c 65
                        61 73 65 5f 69 67 6e 6f 72 65
                        """));
    }

    @Test
    void theNegTokenInit2ReadsBackAsAnInitOfferingNtlmssp() throws Exception {
        Spnego.NegTokenInit init = Spnego.parseInit(SecurityExchange.negotiateToken());

        assertThat(init.mechTypes()).containsExactly(Spnego.NTLMSSP_OID);
        assertThat(init.ntlmsspIndex()).isZero();
        assertThat(init.mechToken()).isNull();
        assertThat(init.mechListMic()).isNull(); // [3] holds negHints there, not a MIC
    }

    @Test
    void negTokenRespRoundTripsWithLongLengths() throws Exception {
        byte[] token = new byte[70_000];
        Arrays.fill(token, (byte) 0x5A);
        byte[] mic = hex("01000000aabbccddeeff001100000000");

        Spnego.NegTokenResp resp = Spnego.parseResp(Spnego.negTokenResp(Spnego.ACCEPT_INCOMPLETE, true, token, mic));

        assertThat(resp.negState()).isEqualTo(Spnego.ACCEPT_INCOMPLETE);
        assertThat(resp.supportedMech()).isEqualTo(Spnego.NTLMSSP_OID);
        assertThat(resp.responseToken()).isEqualTo(token);
        assertThat(resp.mechListMic()).isEqualTo(mic);
    }

    @Test
    void lengthsPastTheirContainerAndIndefiniteLengthsAreMalformed() {
        assertThatThrownBy(() -> Spnego.parseResp(hex("a1 05 30 03 a0 01")))
                .isInstanceOf(MalformedTokenException.class);
        assertThatThrownBy(() -> Spnego.parseResp(hex("a1 80 30 00 00 00")))
                .isInstanceOf(MalformedTokenException.class);
        assertThatThrownBy(() -> Spnego.parseResp(hex("a1 85 01 00 00 00 00")))
                .isInstanceOf(MalformedTokenException.class);
        assertThatThrownBy(() -> Spnego.parseInit(hex("60 0a 06 06 2b 06 01 05 05 03 a0 00")))
                .isInstanceOf(MalformedTokenException.class); // not the SPNEGO OID
    }
}
