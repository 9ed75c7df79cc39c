package dev.sgw;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;

import dev.sgw.console.ConsoleMetrics;
import dev.sgw.console.ConsoleServer;
import dev.sgw.core.gateway.GatewayRuntime;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.spi.Endpoint;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.core.spi.ProtocolServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway process: the runtime over the management state, the protocol servers found on the
 * class path ({@link ProtocolServer} providers, each on its configured port), and a clean stop on SIGTERM
 * that uploads what is dirty first, showing progress.
 */
final class GatewayProcess {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayProcess.class);

    private final GatewayRuntime runtime;
    private final List<ProtocolServer> servers;
    private final ConsoleServer console;
    private final String bind;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private GatewayProcess(GatewayRuntime runtime, List<ProtocolServer> servers, ConsoleServer console, String bind) {
        this.runtime = runtime;
        this.servers = servers;
        this.console = console;
        this.bind = bind;
    }

    /**
     * The console's settings for {@link #start}: its port (0: any free port; negative: no console) and the
     * admin password to set (or null: the one kept).
     */
    record Console(int port, String password) {}

    /**
     * Starts the runtime with its data in {@code dataDirectory}, every protocol server whose port is in
     * {@code ports} (by protocol name) on {@code bind}, and the console when {@code console} is not null.
     * The runtime publishes its meters into the registry the console exports at {@code /metrics}. A console
     * that may not listen (off loopback with no admin password) is left off with a warning, and the gateway
     * runs without it: storage keeps serving while the operator sets a password.
     */
    static GatewayProcess start(
            Path dataDirectory, ManagementService management, String bind, Map<String, Integer> ports, Console console)
            throws IOException {
        List<ProtocolServer> wanted = new ArrayList<>();
        for (ProtocolServer server : ServiceLoader.load(ProtocolServer.class)) {
            Integer port = ports.get(server.protocol());
            if (port != null) {
                checkFree(server.protocol(), bind, port);
                wanted.add(server);
            }
        }
        if (console != null && console.port() < 0) {
            console = null;
        }
        if (console != null) {
            checkFree("console", bind, console.port());
            try {
                ConsoleServer.requirePassword(
                        new InetSocketAddress(bind, console.port()),
                        management.stateFile().getParent(),
                        console.password());
            } catch (ConsoleServer.NoPasswordException e) {
                LOG.warn("the console is off: {}", e.getMessage());
                System.err.println("sgw: the console is off: " + e.getMessage());
                console = null;
            }
        }
        MeterRegistry registry = ConsoleMetrics.registry();
        GatewayRuntime runtime = GatewayRuntime.start(dataDirectory, management, registry);
        List<ProtocolServer> servers = new ArrayList<>();
        ConsoleServer consoleServer = null;
        try {
            for (ProtocolServer server : wanted) {
                int port = ports.get(server.protocol());
                Path state = Files.createDirectories(
                        dataDirectory.resolve("protocols").resolve(server.protocol()));
                server.start(
                        new ProtocolContext(new InetSocketAddress(bind, port), runtime, registry, management, state));
                servers.add(server);
            }
            if (console != null) {
                consoleServer = ConsoleServer.start(
                        new InetSocketAddress(bind, console.port()),
                        runtime,
                        management.stateFile().getParent(),
                        console.password());
            }
        } catch (IOException | RuntimeException e) {
            servers.forEach(ProtocolServer::close);
            runtime.close();
            throw e;
        }
        return new GatewayProcess(runtime, servers, consoleServer, bind);
    }

    /** A protocol's port is taken: found before the runtime opens its volumes, named for the user. */
    static final class PortInUseException extends IOException {
        private static final long serialVersionUID = 1L;

        PortInUseException(String protocol, String bind, int port, IOException cause) {
            super(
                    "the " + protocol.toUpperCase(Locale.ROOT) + " port " + port + " on " + bind
                            + " is in use by another program (" + cause.getMessage()
                            + "); stop it, or choose another port with --"
                            + protocol + "-port",
                    cause);
        }
    }

    /** Fails with {@link PortInUseException} when {@code port} (not 0: any free port) cannot be bound on {@code bind}. */
    private static void checkFree(String protocol, String bind, int port) throws PortInUseException {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new PortInUseException(protocol, bind, port, e);
        }
    }

    GatewayRuntime runtime() {
        return runtime;
    }

    /** Where the protocol servers and the console listen. */
    List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>();
        servers.forEach(s -> all.addAll(s.endpoints()));
        if (console != null) {
            all.add(new Endpoint(bind, console.port(), "console"));
        }
        return all;
    }

    /** The console's URL, e.g. {@code http://127.0.0.1:18080/}; null when it does not run. */
    String consoleUrl() {
        if (console == null) {
            return null;
        }
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return "http://" + host + ":" + console.port() + "/";
    }

    boolean serves(String protocol) {
        return servers.stream().anyMatch(s -> s.protocol().equals(protocol));
    }

    /** Stops on SIGTERM or Ctrl-C: servers first, then uploads for up to {@code drain}, then everything else. */
    void stopOnSignal(Duration drain, AutoCloseable... alsoClose) {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("sgw: stopping; uploading what is not yet in the bucket");
                            System.out.flush();
                            closeListeners();
                            try {
                                boolean done = runtime.drain(drain);
                                System.out.println(
                                        done
                                                ? "sgw: everything is in the bucket"
                                                : "sgw: some changes are not uploaded yet; they are kept and resume at the next start");
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            runtime.close();
                            for (AutoCloseable c : alsoClose) {
                                try {
                                    c.close();
                                } catch (Exception e) {
                                    LOG.warn("error while stopping: {}", e.getMessage());
                                }
                            }
                            System.out.println("sgw: stopped");
                            System.out.flush();
                            stopped.countDown();
                        },
                        "sgw-shutdown"));
    }

    /** Stops at once, without draining: what is not uploaded stays in the cache for the next start. */
    void close() {
        closeListeners();
        runtime.close();
    }

    private void closeListeners() {
        if (console != null) {
            console.close();
        }
        servers.forEach(ProtocolServer::close);
    }

    void printEndpoints(PrintStream out) {
        for (Endpoint e : endpoints()) {
            out.println("  " + e.protocol() + " on " + e.host() + ":" + e.port());
        }
    }

    void awaitStop() throws InterruptedException {
        stopped.await();
    }
}
