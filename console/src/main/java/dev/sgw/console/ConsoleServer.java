package dev.sgw.console;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sgw.core.gateway.GatewayRuntime;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP server (the JDK's {@code com.sun.net.httpserver}, one virtual thread per request) on
 * the console port:
 *
 * <pre>
 * path        what                                                   who may call it
 * ----------  -----------------------------------------------------  ------------------------------------
 * /api/v1/    the REST API ({@link ApiHandler})                      the admin: session or API token
 * /metrics    Prometheus text of the runtime's registry              anyone on a loopback bind (only local
 *                                                                    processes can reach it); otherwise an
 *                                                                    API token (Prometheus: authorization)
 * /           a short text saying where the API and metrics are      anyone
 * </pre>
 *
 * The admin password is kept hashed in the state directory ({@link AdminPassword}); a console on an
 * address other than loopback refuses to start without one.
 */
public final class ConsoleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private ConsoleServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** The console refuses to start: no admin password for a console others can reach. */
    public static final class NoPasswordException extends IOException {
        private static final long serialVersionUID = 1L;

        NoPasswordException(InetSocketAddress bind) {
            super("the console on " + bind.getHostString() + " (not a loopback address) needs an admin password;"
                    + " give one with --console-password or SGW_CONSOLE_PASSWORD (at least "
                    + AdminPassword.MIN_LENGTH + " characters)");
        }
    }

    /**
     * Starts serving {@code runtime} on {@code bind} (port 0: any free port).
     *
     * @param runtime        the runtime; its registry must be a {@link PrometheusMeterRegistry} (made by
     *                       {@link ConsoleMetrics#registry()}), the one {@code /metrics} exports
     * @param stateDirectory where the admin password's hash and the API tokens are kept (owner-only files)
     * @param adminPassword  the admin password to set, or {@code null} to keep the one stored
     * @throws NoPasswordException when {@code bind} is not loopback and no password is set
     */
    public static ConsoleServer start(
            InetSocketAddress bind, GatewayRuntime runtime, Path stateDirectory, String adminPassword)
            throws IOException {
        if (!(runtime.registry() instanceof PrometheusMeterRegistry prometheus)) {
            throw new IllegalArgumentException(
                    "the runtime's registry is not the one /metrics exports: create it with ConsoleMetrics.registry()");
        }
        requirePassword(bind, stateDirectory, adminPassword);
        AdminPassword password = AdminPassword.open(stateDirectory);
        if (adminPassword != null) {
            password.set(adminPassword);
        }
        boolean loopback = isLoopback(bind);
        ApiHandler api = new ApiHandler(runtime, password, ApiTokens.open(stateDirectory), Clock.systemUTC());
        HttpServer server = HttpServer.create(bind, 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext(ApiHandler.PREFIX, api);
        server.createContext("/metrics", x -> metrics(x, prometheus, loopback || api.hasToken(x)));
        server.createContext("/", ConsoleServer::root);
        server.start();
        ConsoleServer console = new ConsoleServer(server, executor);
        LOG.info(
                "console listening on {}:{}{}",
                bind.getHostString(),
                console.port(),
                password.isSet() ? "" : " (no admin password set: the API refuses every login)");
        return console;
    }

    /**
     * Fails, before anything listens, when a console on {@code bind} could not start: off loopback with no
     * password given and none kept in {@code stateDirectory}, or with a password that is too short.
     */
    public static void requirePassword(InetSocketAddress bind, Path stateDirectory, String adminPassword)
            throws IOException {
        if (adminPassword != null && adminPassword.length() < AdminPassword.MIN_LENGTH) {
            throw new IllegalArgumentException(
                    "the console password must have at least " + AdminPassword.MIN_LENGTH + " characters");
        }
        if (!isLoopback(bind)
                && adminPassword == null
                && !AdminPassword.open(stateDirectory).isSet()) {
            throw new NoPasswordException(bind);
        }
    }

    private static boolean isLoopback(InetSocketAddress bind) {
        return bind.getAddress() != null && bind.getAddress().isLoopbackAddress();
    }

    /** The port the console listens on (the real one when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void metrics(HttpExchange x, PrometheusMeterRegistry registry, boolean allowed) throws IOException {
        try (x) {
            if (!allowed) {
                x.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"sgw\"");
                reply(x, 401, "text/plain; charset=utf-8", "an API token is needed (Authorization: Bearer)\n");
                return;
            }
            if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
                reply(x, 405, "text/plain; charset=utf-8", "GET only\n");
                return;
            }
            reply(x, 200, PROMETHEUS_TEXT, registry.scrape());
        }
    }

    private static void root(HttpExchange x) throws IOException {
        try (x) {
            if (!x.getRequestURI().getPath().equals("/")) {
                reply(x, 404, "text/plain; charset=utf-8", "not found\n");
                return;
            }
            reply(
                    x,
                    200,
                    "text/plain; charset=utf-8",
                    "sgw console\n\nThe web pages are not built yet. The REST API is under /api/v1/ (log in with"
                            + " POST /api/v1/login {\"password\": ...}), Prometheus metrics are at /metrics.\n");
        }
    }

    private static void reply(HttpExchange x, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", contentType);
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            x.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
