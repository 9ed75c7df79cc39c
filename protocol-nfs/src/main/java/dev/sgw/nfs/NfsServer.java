package dev.sgw.nfs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.sgw.core.spi.Endpoint;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.core.spi.ProtocolServer;
import dev.sgw.nfs.mount.MountProgram;
import dev.sgw.nfs.portmap.PortmapProgram;
import dev.sgw.nfs.portmap.PortmapRegistry;
import dev.sgw.nfs.portmap.Registration;
import dev.sgw.nfs.portmap.RpcbindClient;
import dev.sgw.nfs.rpc.RpcProgram;
import dev.sgw.nfs.rpc.RpcServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NFS front end: NFS (versions from {@link #versions}), MOUNT and portmap/rpcbind on the one
 * configured port, so a client needs only that port ({@code mount -o port=P,mountport=P}). For clients
 * that ask portmap first ({@code showmount}, plain {@code mount -o vers=3}), portmap is also offered on
 * port 111 according to {@value #PORTMAP_PROPERTY}:
 * <ul>
 *   <li>{@code auto} (default): listen on 111 when the gateway may; when it may not (another rpcbind
 *       runs, or no privilege), register NFS and MOUNT with the host's rpcbind; when that fails too, log
 *       a warning and go on (clients then give the ports);</li>
 *   <li>{@code off}: neither;</li>
 *   <li>a port number: listen there (0: any free port), failing the start if it cannot.</li>
 * </ul>
 *
 * <pre>
 * state    | event  | next    | effect
 * ---------+--------+---------+-------------------------------------------------------------
 * NEW      | start  | RUNNING | main listener, portmap listener or rpcbind registrations
 * RUNNING  | close  | CLOSED  | registrations removed from rpcbind, listeners closed
 * NEW      | close  | CLOSED  | nothing
 * </pre>
 */
public final class NfsServer implements ProtocolServer {
    private static final Logger LOG = LoggerFactory.getLogger(NfsServer.class);
    public static final String PORTMAP_PROPERTY = "sgw.nfs.portmap";
    public static final int PORTMAP_PORT = 111;

    /** Where the server is in its life. */
    enum State {
        NEW,
        RUNNING,
        CLOSED
    }

    /** Makes the NFS version programs for the server's exports and state directory. */
    @FunctionalInterface
    public interface Versions {
        List<RpcProgram> make(ExportAccess access, Path stateDirectory) throws IOException;
    }

    private final Versions versions;
    private final String portmapSetting;
    private State state = State.NEW;
    private RpcServer main;
    private RpcServer portmap;
    private List<Registration> registeredWithHost = List.of();
    private volatile List<Endpoint> endpoints = List.of();

    /** The server the gateway loads: every NFS version this build has, portmap per the system property. */
    public NfsServer() {
        this(NfsVersions::all, System.getProperty(PORTMAP_PROPERTY, "auto"));
    }

    /**
     * @param versions       makes the NFS version programs
     * @param portmapSetting {@code auto}, {@code off} or a port (see the class comment)
     */
    public NfsServer(Versions versions, String portmapSetting) {
        this.versions = versions;
        this.portmapSetting = portmapSetting;
        if (!portmapSetting.equals("auto") && !portmapSetting.equals("off") && !portmapSetting.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException(
                    PORTMAP_PROPERTY + " must be auto, off or a port, got '" + portmapSetting + "'");
        }
    }

    @Override
    public String protocol() {
        return "nfs";
    }

    @Override
    public synchronized void start(ProtocolContext context) throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("server is " + state);
        }
        state = State.RUNNING;
        ExportAccess access = new ExportAccess(context.volumes());
        PortmapRegistry registry = new PortmapRegistry();
        List<RpcProgram> programs = new ArrayList<>();
        List<RpcProgram> nfs = versions.make(access, context.stateDirectory());
        if (!nfs.isEmpty()) {
            programs.add(new NfsProgram(nfs));
        }
        programs.add(new MountProgram(context.volumes()));
        PortmapProgram portmapProgram = new PortmapProgram(registry);
        programs.add(portmapProgram);
        try {
            main = new RpcServer(programs, RpcServer.Settings.defaults());
            InetSocketAddress bound = main.start(context.bind());
            List<Endpoint> list = new ArrayList<>();
            String host = bound.getAddress().getHostAddress();
            for (RpcProgram p : programs) {
                if (p != portmapProgram) {
                    registry.registerTcp(p, bound, "superuser");
                }
            }
            list.add(new Endpoint(host, bound.getPort(), "nfs"));
            list.add(new Endpoint(host, bound.getPort(), "mount"));
            InetSocketAddress portmapAddress = startPortmap(context.bind(), portmapProgram, registry, bound);
            registry.registerTcp(portmapProgram, bound, "superuser"); // after the listener on 111, which comes first
            list.add(
                    new Endpoint(host, portmapAddress == null ? bound.getPort() : portmapAddress.getPort(), "portmap"));
            endpoints = List.copyOf(list);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The portmap listener per the setting; {@code null} when portmap is only on the main port. */
    private InetSocketAddress startPortmap(
            InetSocketAddress bind, PortmapProgram program, PortmapRegistry registry, InetSocketAddress bound)
            throws IOException {
        if (portmapSetting.equals("off")) {
            return null;
        }
        int port = portmapSetting.equals("auto") ? PORTMAP_PORT : Integer.parseInt(portmapSetting);
        RpcServer server = new RpcServer(List.of(program), RpcServer.Settings.defaults());
        try {
            InetSocketAddress address = server.start(new InetSocketAddress(bind.getAddress(), port));
            registry.registerTcp(program, address, "superuser");
            portmap = server;
            return address;
        } catch (IOException e) {
            if (!portmapSetting.equals("auto")) {
                throw e;
            }
            LOG.info(
                    "portmap cannot listen on port {} ({}); registering with the host's rpcbind",
                    port,
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
        registerWithHost(registry, bound);
        return null;
    }

    private void registerWithHost(PortmapRegistry registry, InetSocketAddress bound) {
        List<Registration> ours = registry.all().stream()
                .filter(r -> r.program() != PortmapProgram.PROGRAM && Registration.port(r.uaddr()) == bound.getPort())
                .toList();
        RpcbindClient rpcbind = RpcbindClient.local();
        try {
            List<Registration> refused = rpcbind.register(ours);
            if (refused.isEmpty()) {
                registeredWithHost = ours;
                LOG.info(
                        "registered NFS and MOUNT on port {} with the host's rpcbind at {}",
                        bound.getPort(),
                        rpcbind.server());
            } else {
                // all or nothing: a client must not find MOUNT here and NFS at another server
                rpcbind.unregister(
                        ours.stream().filter(r -> !refused.contains(r)).toList());
                LOG.warn(
                        "the host's rpcbind at {} has {} of our {} programs and versions registered by another server; "
                                + "not registered there: clients must give port={} and mountport={}",
                        rpcbind.server(),
                        refused.size(),
                        ours.size(),
                        bound.getPort(),
                        bound.getPort());
            }
        } catch (IOException e) {
            LOG.warn(
                    "no portmap on port {} and no rpcbind to register with ({}); clients must give port={} and mountport={}",
                    PORTMAP_PORT,
                    e.getMessage(),
                    bound.getPort(),
                    bound.getPort());
        }
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (!registeredWithHost.isEmpty()) {
            try {
                RpcbindClient.local().unregister(registeredWithHost);
            } catch (IOException e) {
                LOG.warn("could not remove the NFS registrations from the host's rpcbind: {}", e.getMessage());
            }
            registeredWithHost = List.of();
        }
        if (portmap != null) {
            portmap.close();
        }
        if (main != null) {
            main.close();
        }
        endpoints = List.of();
    }
}
