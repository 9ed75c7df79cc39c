package dev.sgw.iscsi.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import dev.sgw.core.manage.ChapCredentials;

/**
 * The target side of CHAP with MD5 (RFC 1994, RFC 7143 section 12.1.3) for one login: a fresh random
 * challenge and identifier, the check of the initiator's response and, for mutual CHAP, the target's own
 * response to the initiator's challenge.
 *
 * <pre>
 * state            on                               next
 * AWAIT_ALGORITHM  CHAP_A listing 5 (MD5)           AWAIT_RESPONSE: CHAP_A=5, CHAP_I, CHAP_C sent
 *                  CHAP_A without 5                 FAILED (CHAP_A=Reject)
 * AWAIT_RESPONSE   CHAP_N and CHAP_R that match     SUCCEEDED (mutual: CHAP_N, CHAP_R of the target sent)
 *                  a wrong name or response, a      FAILED
 *                  mutual challenge without mutual
 *                  credentials, or one equal to ours
 * SUCCEEDED        -                                -
 * FAILED           -                                -
 * </pre>
 *
 * Names must match exactly; responses are compared in constant time. A mutual challenge equal to the
 * challenge this target sent is refused: answering it would hand the initiator the response to our own
 * challenge (a reflection attack).
 */
public final class ChapAuthenticator {

    /** Where the exchange is. */
    public enum State {
        AWAIT_ALGORITHM,
        AWAIT_RESPONSE,
        SUCCEEDED,
        FAILED
    }

    /** The CHAP_A value of MD5. */
    public static final String MD5 = "5";
    /** Bytes of challenge the target sends. */
    public static final int CHALLENGE_LENGTH = 16;

    private static final int MAX_INITIATOR_CHALLENGE = 1024;

    /**
     * The outcome of checking the initiator's response.
     *
     * @param succeeded    whether the initiator proved its secret (and, for mutual CHAP, the target answered)
     * @param responseKeys keys to send back (CHAP_N and CHAP_R of the target for mutual CHAP)
     * @param reason       why it failed, for the log (never a secret)
     */
    public record Verdict(boolean succeeded, List<KeyValue> responseKeys, String reason) {}

    private final ChapCredentials credentials;
    private final SecureRandom random;
    private State state = State.AWAIT_ALGORITHM;
    private int identifier;
    private byte[] challenge;

    public ChapAuthenticator(ChapCredentials credentials, SecureRandom random) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.random = Objects.requireNonNull(random, "random");
    }

    public State state() {
        return state;
    }

    /**
     * Answers CHAP_A (a list of algorithm numbers): picks MD5 and sends a fresh identifier and challenge, or
     * fails with {@code CHAP_A=Reject}.
     */
    public List<KeyValue> challenge(String algorithms) {
        requireState(State.AWAIT_ALGORITHM);
        boolean md5 = Arrays.stream(algorithms.split(",")).map(String::trim).anyMatch(MD5::equals);
        if (!md5) {
            state = State.FAILED;
            return List.of(new KeyValue("CHAP_A", "Reject"));
        }
        identifier = random.nextInt(256);
        challenge = new byte[CHALLENGE_LENGTH];
        random.nextBytes(challenge);
        state = State.AWAIT_RESPONSE;
        return List.of(
                new KeyValue("CHAP_A", MD5),
                new KeyValue("CHAP_I", Integer.toString(identifier)),
                new KeyValue("CHAP_C", ChapValue.hex(challenge)));
    }

    /**
     * Checks CHAP_N and CHAP_R; with CHAP_I and CHAP_C (mutual CHAP) also answers the initiator's challenge.
     * Any argument may be {@code null} when the key was not sent.
     */
    public Verdict verify(String name, String response, String mutualIdentifier, String mutualChallenge) {
        requireState(State.AWAIT_RESPONSE);
        state = State.FAILED;
        if (name == null || response == null) {
            return fail("CHAP_N or CHAP_R missing");
        }
        byte[] got;
        try {
            got = ChapValue.decode(response);
        } catch (IllegalArgumentException e) {
            return fail("CHAP_R is not a binary value");
        }
        byte[] expected = md5(identifier, credentials.secret().reveal(), challenge);
        boolean nameMatches = MessageDigest.isEqual(
                name.getBytes(StandardCharsets.UTF_8), credentials.user().getBytes(StandardCharsets.UTF_8));
        if (!MessageDigest.isEqual(got, expected) || !nameMatches) {
            return fail("wrong CHAP name or response for user '" + name.replaceAll("[^\\x21-\\x7e]", "?") + "'");
        }
        if (mutualIdentifier == null && mutualChallenge == null) {
            state = State.SUCCEEDED;
            return new Verdict(true, List.of(), "");
        }
        if (mutualIdentifier == null || mutualChallenge == null) {
            return fail("mutual CHAP needs both CHAP_I and CHAP_C");
        }
        if (!credentials.isMutual()) {
            return fail("the initiator asks for mutual CHAP but the volume has no mutual credentials");
        }
        long id;
        byte[] theirs;
        try {
            id = ChapValue.number(mutualIdentifier);
            theirs = ChapValue.decode(mutualChallenge);
        } catch (IllegalArgumentException e) {
            return fail("malformed mutual CHAP_I or CHAP_C");
        }
        if (id < 0 || id > 255 || theirs.length == 0 || theirs.length > MAX_INITIATOR_CHALLENGE) {
            return fail("mutual CHAP_I or CHAP_C out of range");
        }
        if (Arrays.equals(theirs, challenge)) {
            return fail("the initiator's challenge repeats the target's own challenge");
        }
        byte[] ours = md5((int) id, credentials.mutualSecret().reveal(), theirs);
        state = State.SUCCEEDED;
        return new Verdict(
                true,
                List.of(new KeyValue("CHAP_N", credentials.mutualUser()), new KeyValue("CHAP_R", ChapValue.hex(ours))),
                "");
    }

    /** MD5(identifier || secret || challenge), the CHAP response. */
    public static byte[] md5(int identifier, String secret, byte[] challenge) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update((byte) identifier);
            md.update(secret.getBytes(StandardCharsets.UTF_8));
            md.update(challenge);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }

    private Verdict fail(String reason) {
        state = State.FAILED;
        return new Verdict(false, List.of(), reason);
    }

    private void requireState(State expected) {
        if (state != expected) {
            throw new IllegalStateException("CHAP exchange is " + state + ", not " + expected);
        }
    }
}
