package dev.sgw.smb.server;

import dev.sgw.smb.crypto.CipherSuite;
import dev.sgw.smb.crypto.PreauthIntegrity;
import dev.sgw.smb.crypto.SigningAlgorithm;

/**
 * What NEGOTIATE settled for a connection (MS-SMB2 3.3.1.7 Connection fields). Immutable; the connection
 * replaces it once, when NEGOTIATE succeeds.
 *
 * @param dialect            0x0202, 0x0210, 0x0300, 0x0302 or 0x0311; 0x02FF after an SMB1 upgrade asking
 *                           for the SMB2 NEGOTIATE that follows; 0 before NEGOTIATE
 * @param clientGuid         16 bytes (zeros for 2.0.2 and before NEGOTIATE)
 * @param clientSecurityMode the client's SecurityMode (signing enabled 1, required 2)
 * @param clientCapabilities the client's Capabilities
 * @param serverSecurityMode what the server answered
 * @param serverCapabilities what the server answered
 * @param cipher             the 3.x encryption cipher, or null when the connection cannot encrypt
 * @param signing            the signing algorithm of this connection's sessions
 * @param preauth            the connection's pre-authentication hash (3.1.1), else null
 * @param maxIo              MaxReadSize = MaxWriteSize = MaxTransactSize advertised
 */
@SuppressWarnings("ArrayRecordComponent")
record Negotiated(
        int dialect,
        byte[] clientGuid,
        int clientSecurityMode,
        int clientCapabilities,
        int serverSecurityMode,
        int serverCapabilities,
        CipherSuite cipher,
        SigningAlgorithm signing,
        PreauthIntegrity preauth,
        int maxIo) {

    static final int SIGNING_ENABLED = 0x1;
    static final int SIGNING_REQUIRED = 0x2;
    static final int CAP_DFS = 0x01;
    static final int CAP_LEASING = 0x02;
    static final int CAP_LARGE_MTU = 0x04;
    static final int CAP_MULTI_CHANNEL = 0x08;
    static final int CAP_ENCRYPTION = 0x40;

    static final Negotiated NONE =
            new Negotiated(0, new byte[16], 0, 0, 0, 0, null, SigningAlgorithm.HMAC_SHA256, null, 65536);

    boolean done() {
        return dialect != 0 && dialect != 0x02FF;
    }

    boolean smb3() {
        return dialect >= 0x0300 && dialect != 0x02FF;
    }

    /** Whether the client said it requires signing. */
    boolean clientRequiresSigning() {
        return (clientSecurityMode & SIGNING_REQUIRED) != 0;
    }

    /** Whether multi-credit requests are allowed (2.1+ with LARGE_MTU). */
    boolean largeMtu() {
        return (serverCapabilities & CAP_LARGE_MTU) != 0;
    }

    /** Whether sessions may be bound to this connection (3.x, SMB2_GLOBAL_CAP_MULTI_CHANNEL answered). */
    boolean multiChannel() {
        return (serverCapabilities & CAP_MULTI_CHANNEL) != 0;
    }

    Negotiated withPreauth(PreauthIntegrity next) {
        return new Negotiated(
                dialect,
                clientGuid,
                clientSecurityMode,
                clientCapabilities,
                serverSecurityMode,
                serverCapabilities,
                cipher,
                signing,
                next,
                maxIo);
    }
}
