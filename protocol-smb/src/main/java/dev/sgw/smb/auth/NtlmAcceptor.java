package dev.sgw.smb.auth;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.sgw.core.manage.NtHash;
import dev.sgw.smb.auth.SecurityExchange.Identity;
import dev.sgw.smb.auth.SecurityExchange.Reason;

/**
 * The server side of one NTLMSSP exchange (MS-NLMP 3.2.5), NTLMv2 only: answers the NEGOTIATE_MESSAGE with
 * a CHALLENGE_MESSAGE and checks the AUTHENTICATE_MESSAGE against the user's NT hash, giving the exported
 * session key. Keeps the NEGOTIATE and CHALLENGE messages for the MIC. Used once; {@link SecurityExchange}
 * drives it.
 */
final class NtlmAcceptor {
    private static final int BLOB_HEADER = 28; // RespType .. Reserved3 of NTLMv2_CLIENT_CHALLENGE (2.2.2.7)

    private final Function<String, Optional<NtHash>> ntHashes;
    private final String serverName;
    private byte[] negotiateMessage;
    private byte[] challengeMessage;
    private byte[] serverChallenge;
    private int challengeFlags;

    NtlmAcceptor(Function<String, Optional<NtHash>> ntHashes, String serverName) {
        this.ntHashes = ntHashes;
        this.serverName = serverName;
    }

    /** What an AUTHENTICATE_MESSAGE came to. */
    sealed interface Verdict {
        /**
         * The user proved the password; {@code flags} are those both sides agreed on. An anonymous logon is
         * accepted here too, with a zero key and flags.
         */
        @SuppressWarnings("ArrayRecordComponent")
        record Accepted(Identity identity, byte[] exportedSessionKey, int flags) implements Verdict {}

        record Refused(Reason reason, String detail) implements Verdict {}
    }

    /** The CHALLENGE_MESSAGE answering {@code negotiate}, with {@code serverChallenge} (8 random bytes). */
    byte[] challenge(byte[] negotiate, byte[] serverChallenge) throws MalformedTokenException {
        int clientFlags = NtlmMessages.parseNegotiate(negotiate);
        this.negotiateMessage = negotiate.clone();
        this.serverChallenge = serverChallenge.clone();
        this.challengeFlags = NtlmFlags.challengeFlags(clientFlags);
        byte[] targetInfo = AvPairs.targetInfo(serverName, System.currentTimeMillis());
        this.challengeMessage =
                NtlmMessages.challenge(challengeFlags, serverChallenge, AvPairs.netbiosName(serverName), targetInfo);
        return challengeMessage.clone();
    }

    /** Checks an AUTHENTICATE_MESSAGE; call after {@link #challenge}. */
    Verdict authenticate(byte[] message) throws MalformedTokenException {
        NtlmMessages.Authenticate auth = NtlmMessages.parseAuthenticate(message);
        Identity who = new Identity(auth.user(), auth.domain(), auth.workstation(), false);
        byte[] nt = auth.ntResponse();
        if (isAnonymous(auth)) {
            return new Verdict.Accepted(new Identity("", auth.domain(), auth.workstation(), true), new byte[16], 0);
        }
        if (nt.length == 24 || nt.length == 0) {
            return new Verdict.Refused(Reason.NTLMV1_REFUSED, "NTLMv1/LM response from " + describe(who));
        }
        if (nt.length < 16 + BLOB_HEADER + 4 || nt[16] != 1 || nt[17] != 1) {
            throw new MalformedTokenException("NT response of " + nt.length + " bytes is no NTLMv2 response");
        }
        int avFlags = AvPairs.flags(nt, 16 + BLOB_HEADER);
        Optional<NtHash> hash = ntHashes.apply(auth.user());
        if (hash.isEmpty()) {
            return new Verdict.Refused(Reason.UNKNOWN_USER, "no SMB user " + describe(who));
        }
        byte[] proof = Arrays.copyOf(nt, 16);
        byte[] blob = Arrays.copyOfRange(nt, 16, nt.length);
        byte[] ntowf = matchingNtowf(hash.get().bytes(), auth, proof, blob);
        if (ntowf == null) {
            return new Verdict.Refused(Reason.WRONG_PASSWORD, "wrong NTLMv2 proof from " + describe(who));
        }
        byte[] keyExchangeKey = NtlmCrypto.sessionBaseKey(ntowf, proof);
        int flags = auth.flags() & challengeFlags;
        byte[] exported = keyExchangeKey;
        if ((flags & NtlmFlags.NEGOTIATE_KEY_EXCH) != 0) {
            if (auth.encryptedRandomSessionKey().length != 16) {
                throw new MalformedTokenException("KEY_EXCH without a 16-byte EncryptedRandomSessionKey");
            }
            exported = NtlmCrypto.decryptSessionKey(keyExchangeKey, auth.encryptedRandomSessionKey());
        }
        if ((avFlags & AvPairs.FLAG_MIC_PRESENT) != 0) {
            byte[] mic = auth.mic();
            if (mic == null) {
                throw new MalformedTokenException("MsvAvFlags announce a MIC the message has no room for");
            }
            byte[] expected = NtlmCrypto.hmacMd5(exported, negotiateMessage, challengeMessage, auth.withMicZeroed());
            if (!MessageDigest.isEqual(mic, expected)) {
                return new Verdict.Refused(Reason.MIC_MISMATCH, "NTLMSSP MIC mismatch from " + describe(who));
            }
        }
        return new Verdict.Accepted(who, exported, flags);
    }

    /**
     * NTOWFv2 that reproduces the client's proof, trying the domain as sent, in upper case and empty (clients
     * differ in which they hash, as Samba's checker allows for), or null.
     */
    private byte[] matchingNtowf(byte[] ntHash, NtlmMessages.Authenticate auth, byte[] proof, byte[] blob) {
        Set<String> domains = new LinkedHashSet<>();
        domains.add(auth.domain());
        domains.add(auth.domain().toUpperCase(Locale.ROOT));
        domains.add("");
        for (String domain : domains) {
            byte[] ntowf = NtlmCrypto.ntowfV2(ntHash, auth.user(), domain);
            if (MessageDigest.isEqual(proof, NtlmCrypto.ntProof(ntowf, serverChallenge, blob))) {
                return ntowf;
            }
        }
        return null;
    }

    /** MS-NLMP 3.2.5.1.2: empty user, empty NT response, and an LM response empty or one zero byte. */
    private static boolean isAnonymous(NtlmMessages.Authenticate auth) {
        byte[] lm = auth.lmResponse();
        return auth.user().isEmpty()
                && auth.ntResponse().length == 0
                && (lm.length == 0 || (lm.length == 1 && lm[0] == 0));
    }

    private static String describe(Identity who) {
        return who.domain() + "\\" + who.user() + " at " + who.workstation();
    }
}
