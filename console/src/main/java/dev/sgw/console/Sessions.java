package dev.sgw.console;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The admin's login sessions, in memory (a restart logs everyone out). Each session has a random id (the
 * HttpOnly, SameSite=Strict cookie) and a random CSRF token, given once in the login response, that every
 * state-changing request of the session must carry in {@code X-CSRF-Token}. A session ends at logout or
 * {@link #LIFETIME} after the login.
 *
 * <pre>
 * state      event                          next
 * ---------  -----------------------------  --------
 * (none)     login with the right password  ACTIVE
 * ACTIVE     a request before expiresAt     ACTIVE
 * ACTIVE     logout, or expiresAt passed    (none)
 * </pre>
 */
final class Sessions {
    static final String COOKIE = "sgw_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final Duration LIFETIME = Duration.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();

    record Session(String id, String csrfToken, Instant expiresAt) {
        boolean csrfMatches(String token) {
            return token != null && MessageDigest.isEqual(csrfToken.getBytes(UTF_8), token.getBytes(UTF_8));
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    Session start() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !s.expiresAt().isAfter(now));
        Session s = new Session(randomToken(), randomToken(), now.plus(LIFETIME));
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session with cookie value {@code id}. */
    Optional<Session> find(String id) {
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (!s.expiresAt().isAfter(clock.instant())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    void end(String id) {
        sessions.remove(id);
    }

    /** 32 random bytes, URL-safe base64. */
    static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
