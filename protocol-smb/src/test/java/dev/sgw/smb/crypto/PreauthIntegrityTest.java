package dev.sgw.smb.crypto;

import dev.sgw.smb.crypto.MicrosoftVectors.Smb311Gcm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PreauthIntegrityTest {
    @Test
    void startsFromSixtyFourZeros() {
        assertThat(PreauthIntegrity.initial().value()).hasSize(64).containsOnly(0);
    }

    /** The whole exchange of "SMB 3.1.1 Encryption in Windows 10", Appendix A.1, step by step. */
    @Test
    void chainsOverNegotiateAndSessionSetupLikeWindows() {
        PreauthIntegrity connection = PreauthIntegrity.initial().update(Hex.bytes(Smb311Gcm.NEGOTIATE_REQUEST));
        assertThat(Hex.of(connection.value())).isEqualTo(Hex.norm(Smb311Gcm.HASH_AFTER_NEGOTIATE_REQUEST));
        connection = connection.update(Hex.bytes(Smb311Gcm.NEGOTIATE_RESPONSE));
        assertThat(Hex.of(connection.value())).isEqualTo(Hex.norm(Smb311Gcm.HASH_AFTER_NEGOTIATE));

        PreauthIntegrity session = connection.update(Hex.bytes(Smb311Gcm.SESSION_SETUP_REQUEST_1));
        assertThat(Hex.of(session.value())).isEqualTo(Hex.norm(Smb311Gcm.HASH_AFTER_SESSION_SETUP_REQUEST_1));
        session = session.update(Hex.bytes(Smb311Gcm.SESSION_SETUP_RESPONSE_1));
        assertThat(Hex.of(session.value())).isEqualTo(Hex.norm(Smb311Gcm.HASH_AFTER_SESSION_SETUP_RESPONSE_1));
        session = session.update(Hex.bytes(Smb311Gcm.SESSION_SETUP_REQUEST_2));
        assertThat(Hex.of(session.value())).isEqualTo(Hex.norm(Smb311Gcm.PREAUTH_HASH));

        // the hash the exchange ends with derives the session's published signing key
        SessionKeys keys =
                SessionKeys.derive(0x0311, Hex.bytes(Smb311Gcm.SESSION_KEY), session.value(), CipherSuite.AES_128_GCM);
        assertThat(Hex.of(keys.signingKey())).isEqualTo(Smb311Gcm.SIGNING_KEY);
    }

    @Test
    void updateLeavesTheEarlierValueAlone() {
        PreauthIntegrity start = PreauthIntegrity.initial();
        PreauthIntegrity next = start.update(new byte[] {1, 2, 3});
        assertThat(start.value()).containsOnly(0);
        assertThat(next.value()).hasSize(64).isNotEqualTo(start.value());
    }
}
