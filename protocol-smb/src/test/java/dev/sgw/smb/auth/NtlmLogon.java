package dev.sgw.smb.auth;

/**
 * One NTLMv2 logon in SPNEGO as a client runs it, for tests of other packages that talk to a real server:
 * the first token (negTokenInit with the NEGOTIATE), the answer to the server's CHALLENGE, and the session
 * key both sides then share. An anonymous logon sends an AUTHENTICATE without user or proof (MS-NLMP
 * 3.2.5.1.2) and has no session key.
 */
public final class NtlmLogon {
    private final TestNtlmClient client;
    private final boolean anonymous;

    private NtlmLogon(String user, String password, boolean anonymous) {
        this.client = new TestNtlmClient(user, "", password);
        this.anonymous = anonymous;
        if (anonymous) {
            client.withMic = false;
            client.sendMechListMic = false;
        }
    }

    /** A logon as {@code user} with {@code password}. */
    public static NtlmLogon of(String user, String password) {
        return new NtlmLogon(user, password, false);
    }

    /** An anonymous logon. */
    public static NtlmLogon anonymous() {
        return new NtlmLogon("", "", true);
    }

    /** The SESSION_SETUP security buffer of the first request. */
    public byte[] first() {
        return client.spnegoInit();
    }

    /** The security buffer answering the server's (a negTokenResp with the CHALLENGE). */
    public byte[] next(byte[] serverToken) {
        try {
            if (!anonymous) {
                return client.spnegoAuthenticate(serverToken);
            }
            client.ntResponseOverride = new byte[0];
            client.lmResponseOverride = new byte[1];
            byte[] auth = client.authenticate(Spnego.parseResp(serverToken).responseToken());
            return Der.tlv(
                    Der.context(1), Der.tlv(Der.SEQUENCE, Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, auth))));
        } catch (MalformedTokenException e) {
            throw new IllegalStateException("the server's token does not parse", e);
        }
    }

    /** The exported session key of the logon (null for an anonymous one). */
    public byte[] sessionKey() {
        return anonymous ? null : client.exportedSessionKey.clone();
    }
}
