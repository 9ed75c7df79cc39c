package dev.sgw;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import dev.sgw.core.gateway.DataDirectoryLock;
import dev.sgw.core.manage.ConfigFileException;
import dev.sgw.core.manage.GatewayConfigFile;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.StateFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sgw serve --config FILE}: a configured gateway in the foreground. The file (JSON, the shape of
 * the management model, secrets in clear) is validated whole and applied to the state in
 * {@code DATA/state}: it wins, so entities missing from it are deleted (their objects stay in the bucket).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway from a configuration file.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "the gateway's configuration (JSON)")
    Path config;

    @Option(
            names = "--data-dir",
            description = "state, metadata and default cache location (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("sgw-data");

    @Mixin
    ListenOptions listen = new ListenOptions();

    @Mixin
    ConsoleOptions console = new ConsoleOptions();

    @Option(
            names = "--drain-seconds",
            description = "on stop, how long to wait for uploads (default: ${DEFAULT-VALUE})")
    int drainSeconds = 300;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir.toAbsolutePath().normalize();
        try (DataDirectoryLock held = DemoCommand.lockOrSay(dir)) {
            return held == null ? 2 : run(dir);
        }
    }

    private int run(Path dir) throws Exception {
        GatewayProcess gateway;
        try {
            GatewayConfigFile file = GatewayConfigFile.load(config);
            ManagementService management = ManagementService.open(dir.resolve("state"));
            management.apply(file);
            gateway = GatewayProcess.start(
                    dir.resolve("data"),
                    management,
                    listen.bind,
                    listen.protocolPorts(),
                    new GatewayProcess.Console(console.port, console.password));
        } catch (ConfigFileException | StateFileException | GatewayProcess.PortInUseException e) {
            System.err.println("sgw: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("sgw: the gateway could not start: " + e.getMessage());
            return 2;
        }
        gateway.stopOnSignal(Duration.ofSeconds(drainSeconds));
        System.out.println("sgw serving " + config.toAbsolutePath() + ", data in " + dir);
        gateway.printEndpoints(System.out);
        if (gateway.consoleUrl() != null) {
            System.out.println("  console at " + gateway.consoleUrl()
                    + " (user admin; REST API under api/v1/, metrics at metrics)");
        }
        System.out.println("sgw ready");
        System.out.flush();
        gateway.awaitStop();
        return 0;
    }
}
