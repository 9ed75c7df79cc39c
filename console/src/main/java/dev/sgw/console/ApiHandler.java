package dev.sgw.console;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.sgw.core.gateway.GatewayRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API under {@code /api/v1/}: who may call it, then where each call goes.
 *
 * <pre>
 * method  path                         auth            what
 * ------  ---------------------------  --------------  ----------------------------------------------
 * POST    login                        none            {"password"} -> session cookie + {"csrfToken"}
 * POST    logout                       session/token   ends the session
 * GET     status                       session/token   StatusResource
 * POST    drain                        session/token   StatusResource: upload everything now
 * GET     tokens                       session/token   the API tokens' names (never their values)
 * POST    tokens                       session/token   {"name"} -> {"name", "token"} (shown once)
 * DELETE  tokens/NAME                  session/token   revokes the token
 * *       resources, cache-disks, ...  session/token   EntityRoutes
 * </pre>
 *
 * Authentication: {@code Authorization: Bearer TOKEN}, or the session cookie; anything else is a 401. A
 * cookie session's state-changing calls (POST, PUT, PATCH, DELETE) must carry the session's CSRF token in
 * {@code X-CSRF-Token} (403 without: a cross-site form can send the cookie, never the header); bearer
 * calls need none (a browser never adds that header by itself). Login attempts are throttled per client
 * address ({@link LoginThrottle}) and each refusal is logged with the client and the reason.
 */
final class ApiHandler implements HttpHandler {
    static final String PREFIX = "/api/v1/";
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final AdminPassword password;
    private final ApiTokens tokens;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final EntityRoutes entities;
    private final StatusResource status;

    ApiHandler(GatewayRuntime runtime, AdminPassword password, ApiTokens tokens, Clock clock) {
        this.password = password;
        this.tokens = tokens;
        this.clock = clock;
        this.sessions = new Sessions(clock);
        this.throttle = new LoginThrottle(clock);
        this.entities = new EntityRoutes(runtime.management());
        this.status = new StatusResource(runtime);
    }

    /** Whether {@code x} carries a valid API token (for {@code /metrics} off loopback). */
    boolean hasToken(HttpExchange x) {
        return bearer(new ApiExchange(x, PREFIX)).flatMap(tokens::find).isPresent();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        ApiExchange x = new ApiExchange(exchange, PREFIX);
        try {
            route(x);
        } catch (ApiException e) {
            x.sendError(e);
        } catch (IOException | RuntimeException e) {
            LOG.error(
                    "console: {} {} failed",
                    x.method(),
                    exchange.getRequestURI().getRawPath(),
                    e);
            x.sendError(new ApiException(500, "internal error: " + e.getClass().getSimpleName()));
        }
    }

    private void route(ApiExchange x) throws IOException {
        List<String> s = x.segments();
        if (s.isEmpty()) {
            throw ApiException.notFound(PREFIX);
        }
        if (s.equals(List.of("login"))) {
            if (!x.method().equals("POST")) {
                throw EntityRoutes.methodNotAllowed(x, "POST");
            }
            login(x);
            return;
        }
        Optional<Sessions.Session> session = authenticate(x);
        String first = s.get(0);
        if (EntityRoutes.handles(first)) {
            entities.handle(x);
            return;
        }
        switch (first) {
            case "status" -> only(x, "GET", () -> status.status(x));
            case "drain" -> only(x, "POST", () -> status.drain(x));
            case "logout" ->
                only(x, "POST", () -> {
                    session.ifPresent(v -> sessions.end(v.id()));
                    x.setHeader("Set-Cookie", cookie("", 0));
                    x.sendEmpty(204);
                });
            case "tokens" -> tokens(x);
            default -> throw ApiException.notFound(PREFIX + String.join("/", s));
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws IOException;
    }

    private static void only(ApiExchange x, String method, Action action) throws IOException {
        if (x.segments().size() != 1) {
            throw ApiException.notFound(PREFIX + String.join("/", x.segments()));
        }
        if (!x.method().equals(method) && !(method.equals("GET") && x.method().equals("HEAD"))) {
            throw EntityRoutes.methodNotAllowed(x, method);
        }
        action.run();
    }

    /**
     * The caller's session (empty for a bearer token); a 401 without valid credentials, a 403 for a
     * cookie session's state-changing call without its CSRF token.
     */
    private Optional<Sessions.Session> authenticate(ApiExchange x) {
        Optional<String> bearer = bearer(x);
        if (bearer.isPresent()) {
            if (tokens.find(bearer.get()).isPresent()) {
                return Optional.empty();
            }
            LOG.warn(
                    "console: API call from {} refused: unknown API token",
                    x.client().getHostAddress());
            throw unauthorized(x, "the API token is not valid");
        }
        Optional<Sessions.Session> session = x.cookie(Sessions.COOKIE).flatMap(sessions::find);
        if (session.isEmpty()) {
            throw unauthorized(x, "log in first (POST /api/v1/login) or give an API token (Authorization: Bearer)");
        }
        if (x.changesState()
                && !session.get().csrfMatches(x.header(Sessions.CSRF_HEADER).orElse(null))) {
            LOG.warn(
                    "console: {} from {} refused: missing or wrong {} header",
                    x.method(),
                    x.client().getHostAddress(),
                    Sessions.CSRF_HEADER);
            throw new ApiException(
                    403, "a change needs the " + Sessions.CSRF_HEADER + " header the login response gave");
        }
        return session;
    }

    private static Optional<String> bearer(ApiExchange x) {
        return x.header("Authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).strip());
    }

    private static ApiException unauthorized(ApiExchange x, String message) {
        x.setHeader("WWW-Authenticate", "Bearer realm=\"sgw\"");
        return new ApiException(401, message);
    }

    private void login(ApiExchange x) throws IOException {
        String client = x.client().getHostAddress();
        Duration wait = throttle.waitFor(x.client());
        if (!wait.isZero()) {
            LOG.warn("console: login from {} refused: too many failed attempts", client);
            x.setHeader("Retry-After", Long.toString(Math.max(1, wait.toSeconds())));
            throw new ApiException(
                    429,
                    "too many failed logins from " + client + "; try again in " + Math.max(1, wait.toSeconds()) + " s");
        }
        if (!password.isSet()) {
            LOG.warn("console: login from {} refused: no admin password is set", client);
            throw new ApiException(
                    401,
                    "no admin password is set; start the gateway with --console-password (or SGW_CONSOLE_PASSWORD)");
        }
        JsonNode body = x.body();
        JsonNode given = body.get("password");
        if (given == null || !given.isTextual()) {
            throw ApiException.invalid("$.password", "is required (a string)");
        }
        JsonNode user = body.get("user");
        boolean admin = user == null
                || user.isNull()
                || (user.isTextual() && user.textValue().equals("admin"));
        if (!admin || !password.matches(given.textValue())) {
            throttle.failed(x.client());
            LOG.warn("console: login from {} refused: {}", client, admin ? "wrong password" : "unknown user");
            throw new ApiException(401, "wrong user or password");
        }
        throttle.succeeded(x.client());
        Sessions.Session s = sessions.start();
        LOG.info("console: admin logged in from {}", client);
        x.setHeader("Set-Cookie", cookie(s.id(), Sessions.LIFETIME.toSeconds()));
        x.send(
                200,
                ApiExchange.JSON
                        .createObjectNode()
                        .put("user", "admin")
                        .put("csrfToken", s.csrfToken())
                        .put("expiresAt", s.expiresAt().toString()));
    }

    private static String cookie(String value, long maxAge) {
        return Sessions.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAge;
    }

    private void tokens(ApiExchange x) throws IOException {
        List<String> s = x.segments();
        if (s.size() == 1) {
            switch (x.method()) {
                case "GET", "HEAD" -> {
                    ArrayNode list = ApiExchange.JSON.createArrayNode();
                    tokens.list()
                            .forEach(t -> list.addObject()
                                    .put("name", t.name())
                                    .put("created", t.created().toString()));
                    x.send(200, list);
                }
                case "POST" -> {
                    JsonNode name = x.body().get("name");
                    String n = name != null && name.isTextual() ? name.textValue() : null;
                    String value = tokens.create(n, clock.instant());
                    LOG.info(
                            "console: API token '{}' created from {}",
                            n,
                            x.client().getHostAddress());
                    x.send(
                            201,
                            ApiExchange.JSON.createObjectNode().put("name", n).put("token", value));
                }
                default -> throw EntityRoutes.methodNotAllowed(x, "GET, POST");
            }
            return;
        }
        if (s.size() == 2 && x.method().equals("DELETE")) {
            tokens.delete(s.get(1));
            LOG.info(
                    "console: API token '{}' deleted from {}",
                    s.get(1),
                    x.client().getHostAddress());
            x.sendEmpty(204);
            return;
        }
        throw EntityRoutes.methodNotAllowed(x, "DELETE");
    }
}
