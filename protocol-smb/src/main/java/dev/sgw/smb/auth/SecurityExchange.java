package dev.sgw.smb.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.sgw.core.manage.NtHash;

/**
 * The server side of one SESSION_SETUP authentication: SPNEGO (RFC 4178, MS-SPNG) wrapping NTLMSSP
 * (MS-NLMP), NTLMv2 only, verified against the gateway's SMB users' NT hashes. One instance per session
 * setup sequence; not thread-safe (a session's setups are serialized).
 *
 * <pre>
 * state         input (security buffer)                  output
 * START         negTokenInit, NTLMSSP first, with its    MORE(negTokenResp accept-incomplete, NTLMSSP,
 *                 NEGOTIATE as mechToken                      [CHALLENGE])                   -> CHALLENGED
 *               negTokenInit offering NTLMSSP later or   MORE(negTokenResp accept-incomplete (request-mic
 *                 without a mechToken                         when NTLMSSP was not first), NTLMSSP)
 *                                                                                         -> NTLM_SELECTED
 *               a raw NTLMSSP NEGOTIATE                  MORE(raw CHALLENGE)              -> CHALLENGED
 *               negTokenInit without NTLMSSP             FAILED(MALFORMED)
 * NTLM_SELECTED negTokenResp[NEGOTIATE]                  MORE(negTokenResp accept-incomplete[CHALLENGE])
 *                                                                                         -> CHALLENGED
 * CHALLENGED    negTokenResp[AUTHENTICATE] (or raw)      DONE(negTokenResp accept-completed with the
 *                                                          server's mechListMIC when the client sent one;
 *                                                          empty when raw), identity, key  -> DONE
 *                                                        or FAILED(reason)                -> FAILED
 *                                                        (ACCOUNT_DISABLED: the proof was
 *                                                        right but the user is disabled)
 * DONE, FAILED  anything                                 FAILED(MALFORMED)
 * </pre>
 *
 * <p>Any token that does not parse gives FAILED(MALFORMED) and ends the exchange. The client's mechListMIC
 * is checked when it sends one (and required when NTLMSSP was not its first choice); it is the NTLMSSP
 * signature, sequence 0, of the DER MechTypeList from the client's negTokenInit.
 */
public final class SecurityExchange {
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State {
        START,
        NTLM_SELECTED,
        CHALLENGED,
        DONE,
        FAILED
    }

    private final NtlmAcceptor ntlm;
    private final Predicate<String> enabled;
    private final Supplier<byte[]> serverChallenges;
    private State state = State.START;
    private boolean spnego;
    private byte[] mechTypeList;
    private boolean micRequired;

    /**
     * An exchange for which every user with an NT hash is enabled.
     *
     * @param ntHashes   the NT hash of an SMB user (any case), empty when there is no such user
     * @param serverName the NetBIOS/DNS name the CHALLENGE's target info carries
     */
    public SecurityExchange(Function<String, Optional<NtHash>> ntHashes, String serverName) {
        this(ntHashes, user -> true, serverName);
    }

    /**
     * @param enabled whether a user (any case) whose password was verified may log on; a disabled user's
     *     logon fails with STATUS_ACCOUNT_DISABLED, as on Windows, and only after the password was proven (a
     *     wrong password says nothing of the account)
     */
    public SecurityExchange(Function<String, Optional<NtHash>> ntHashes, Predicate<String> enabled, String serverName) {
        this(ntHashes, enabled, serverName, SecurityExchange::randomChallenge);
    }

    /** With a chosen source of server challenges, for the MS-NLMP test vectors. */
    SecurityExchange(Function<String, Optional<NtHash>> ntHashes, String serverName, Supplier<byte[]> challenges) {
        this(ntHashes, user -> true, serverName, challenges);
    }

    private SecurityExchange(
            Function<String, Optional<NtHash>> ntHashes,
            Predicate<String> enabled,
            String serverName,
            Supplier<byte[]> challenges) {
        this.ntlm = new NtlmAcceptor(ntHashes, serverName);
        this.enabled = enabled;
        this.serverChallenges = challenges;
    }

    /** The SPNEGO negTokenInit2 the NEGOTIATE response carries, advertising NTLMSSP. */
    public static byte[] negotiateToken() {
        return Spnego.negTokenInit2();
    }

    /** Takes the next security buffer the client sent; never throws for bad input (gives FAILED). */
    public Step step(byte[] securityBuffer) {
        State was = state;
        state = State.FAILED; // each handler sets the next state when it succeeds
        if (securityBuffer == null) {
            return failed(Reason.MALFORMED, "no security buffer");
        }
        try {
            return switch (was) {
                case START -> start(securityBuffer);
                case NTLM_SELECTED -> ntlmSelected(securityBuffer);
                case CHALLENGED -> challenged(securityBuffer);
                case DONE, FAILED -> failed(Reason.MALFORMED, "the security exchange already ended " + was);
            };
        } catch (MalformedTokenException e) {
            return failed(Reason.MALFORMED, e.getMessage());
        } catch (RuntimeException e) { // a parser slip on hostile input must not reach the connection
            return failed(Reason.MALFORMED, "unreadable security token: " + e);
        }
    }

    private Step start(byte[] token) throws MalformedTokenException {
        if (NtlmMessages.isNtlmssp(token)) {
            spnego = false;
            return new Step.More(challenge(token));
        }
        if (!Spnego.isInit(token)) {
            throw new MalformedTokenException("neither SPNEGO negTokenInit nor NTLMSSP");
        }
        Spnego.NegTokenInit init = Spnego.parseInit(token);
        int index = init.ntlmsspIndex();
        if (index < 0) {
            return failed(Reason.MALFORMED, "the client offers no NTLMSSP");
        }
        spnego = true;
        mechTypeList = init.mechTypeList();
        micRequired = index != 0;
        if (index == 0 && init.mechToken() != null) {
            byte[] challenge = challenge(init.mechToken());
            return new Step.More(Spnego.negTokenResp(Spnego.ACCEPT_INCOMPLETE, true, challenge, null));
        }
        state = State.NTLM_SELECTED;
        int negState = micRequired ? Spnego.REQUEST_MIC : Spnego.ACCEPT_INCOMPLETE;
        return new Step.More(Spnego.negTokenResp(negState, true, null, null));
    }

    private Step ntlmSelected(byte[] token) throws MalformedTokenException {
        byte[] negotiate = Spnego.parseResp(token).responseToken();
        if (negotiate == null) {
            throw new MalformedTokenException("negTokenResp without the NTLMSSP NEGOTIATE");
        }
        return new Step.More(Spnego.negTokenResp(Spnego.ACCEPT_INCOMPLETE, false, challenge(negotiate), null));
    }

    private byte[] challenge(byte[] negotiate) throws MalformedTokenException {
        byte[] challenge = ntlm.challenge(negotiate, serverChallenges.get());
        state = State.CHALLENGED;
        return challenge;
    }

    private Step challenged(byte[] token) throws MalformedTokenException {
        byte[] authenticate = token;
        byte[] clientMic = null;
        if (spnego) {
            Spnego.NegTokenResp resp = Spnego.parseResp(token);
            if (resp.negState() == Spnego.REJECT || resp.responseToken() == null) {
                throw new MalformedTokenException("negTokenResp without the NTLMSSP AUTHENTICATE");
            }
            authenticate = resp.responseToken();
            clientMic = resp.mechListMic();
        }
        return switch (ntlm.authenticate(authenticate)) {
            case NtlmAcceptor.Verdict.Refused r -> failed(r.reason(), r.detail());
            case NtlmAcceptor.Verdict.Accepted a -> enabledOnly(accepted(a, clientMic));
        };
    }

    /** {@code step}, unless it logs on a disabled user: then ACCOUNT_DISABLED. */
    private Step enabledOnly(Step step) {
        if (step instanceof Step.Done done
                && !done.identity().anonymous()
                && !enabled.test(done.identity().user())) {
            return failed(Reason.ACCOUNT_DISABLED, "SMB user " + done.identity().user() + " is disabled");
        }
        return step;
    }

    private Step accepted(NtlmAcceptor.Verdict.Accepted a, byte[] clientMic) {
        byte[] key = a.exportedSessionKey();
        if (!spnego) {
            state = State.DONE;
            return new Step.Done(new byte[0], a.identity(), key);
        }
        byte[] serverMic = null;
        if (!a.identity().anonymous()) {
            if (clientMic == null && micRequired) {
                return failed(Reason.MIC_MISMATCH, "no mechListMIC though NTLMSSP was not the first mechanism");
            }
            if (clientMic != null) {
                byte[] expected = NtlmCrypto.mechListMic(key, a.flags(), true, mechTypeList);
                if (!MessageDigest.isEqual(expected, clientMic)) {
                    return failed(Reason.MIC_MISMATCH, "SPNEGO mechListMIC mismatch");
                }
                serverMic = NtlmCrypto.mechListMic(key, a.flags(), false, mechTypeList);
            }
        }
        state = State.DONE;
        return new Step.Done(Spnego.negTokenResp(Spnego.ACCEPT_COMPLETED, false, null, serverMic), a.identity(), key);
    }

    private Step failed(Reason reason, String detail) {
        state = State.FAILED;
        return new Step.Failed(reason, detail);
    }

    private static byte[] randomChallenge() {
        byte[] challenge = new byte[8];
        RANDOM.nextBytes(challenge);
        return challenge;
    }

    /** What a step gives the SESSION_SETUP handler. */
    public sealed interface Step {
        /** Reply STATUS_MORE_PROCESSING_REQUIRED with {@code token}. */
        @SuppressWarnings("ArrayRecordComponent")
        record More(byte[] token) implements Step {}

        /**
         * Reply STATUS_SUCCESS with {@code token} (empty after a raw NTLMSSP exchange); the session is
         * {@code identity}'s, and {@code sessionKey} (16 bytes: the exported session key, or the session base
         * key without KEY_EXCH; zeros for an anonymous logon) feeds signing and encryption key derivation.
         */
        @SuppressWarnings("ArrayRecordComponent")
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
        MIC_MISMATCH(0xC000006D),
        ACCOUNT_DISABLED(0xC0000072);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
