package dev.sgw.smb.auth;

import java.util.Optional;
import java.util.function.Function;

import dev.sgw.core.manage.NtHash;

/**
 * The server side of one SESSION_SETUP authentication: SPNEGO (RFC 4178, MS-SPNG) wrapping NTLMSSP
 * (MS-NLMP), NTLMv2 only, verified against the gateway's SMB users' NT hashes. One instance per session
 * setup sequence; not thread-safe (a session's setups are serialized).
 *
 * <pre>
 * state      input (security buffer)                 output
 * START      negTokenInit[NTLMSSP NEGOTIATE]          MORE(negTokenResp accept-incomplete[CHALLENGE])
 *            or a raw NTLMSSP NEGOTIATE               MORE(raw CHALLENGE)
 * CHALLENGED negTokenResp[NTLMSSP AUTHENTICATE]       DONE(negTokenResp accept-completed, identity, key)
 *                                                     or FAILED(reason)
 * DONE/FAILED anything                               FAILED(MALFORMED)
 * </pre>
 */
@SuppressWarnings({"ArrayRecordComponent", "DoNotCallSuggester", "unused"}) // stub until built
public final class SecurityExchange {
    /**
     * @param ntHashes   the NT hash of an SMB user (any case), empty when there is no such enabled user
     * @param serverName the NetBIOS/DNS name the CHALLENGE's target info carries
     */
    public SecurityExchange(Function<String, Optional<NtHash>> ntHashes, String serverName) {
        throw new UnsupportedOperationException("SecurityExchange: not built yet");
    }

    /** The SPNEGO negTokenInit2 the NEGOTIATE response carries, advertising NTLMSSP. */
    public static byte[] negotiateToken() {
        throw new UnsupportedOperationException("SecurityExchange: not built yet");
    }

    /** Takes the next security buffer the client sent; never throws for bad input (gives FAILED). */
    public Step step(byte[] securityBuffer) {
        throw new UnsupportedOperationException("SecurityExchange: not built yet");
    }

    /** What a step gives the SESSION_SETUP handler. */
    public sealed interface Step {
        /** Reply STATUS_MORE_PROCESSING_REQUIRED with {@code token}. */
        record More(byte[] token) implements Step {}

        /**
         * Reply STATUS_SUCCESS with {@code token}; the session is {@code identity}'s, and {@code sessionKey}
         * (16 bytes: the exported session key, or the session base key without KEY_EXCH) feeds signing and
         * encryption key derivation.
         */
        record Done(byte[] token, Identity identity, byte[] sessionKey) implements Step {}

        /** Reply {@code reason.status()}; the session setup failed. */
        record Failed(Reason reason, String detail) implements Step {}
    }

    /** Who authenticated. {@code anonymous}: an NTLM anonymous logon (empty user and response). */
    public record Identity(String user, String domain, String workstation, boolean anonymous) {}

    /** Why authentication failed; each maps to the NTSTATUS the client sees and a word for the log. */
    public enum Reason {
        MALFORMED(0xC000000D),
        UNKNOWN_USER(0xC000006D),
        WRONG_PASSWORD(0xC000006D),
        NTLMV1_REFUSED(0xC000006D),
        ANONYMOUS_REFUSED(0xC000006D),
        MIC_MISMATCH(0xC000006D);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
