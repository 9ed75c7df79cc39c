package dev.sgw;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.sgw.core.gateway.DataDirectoryLock;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.PrivateFile;
import dev.sgw.core.spi.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sgw demo}: the gateway on an embedded S3 bucket, in the foreground, for a first run with no
 * cloud account. It prints the endpoints and credentials, writes them as {@code KEY=VALUE} lines to
 * {@code DIR/demo.env}, then prints {@code sgw ready} once every listener is up. Protocol servers that are
 * not built yet are simply absent. SIGTERM or Ctrl-C stops it cleanly.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run the gateway on an embedded S3 bucket with demo shares and a volume.")
final class DemoCommand implements Callable<Integer> {

    static final String BUCKET = DemoSetup.BUCKET;

    @Option(
            names = "--data-dir",
            description = "where the demo keeps its bucket, cache and metadata (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("sgw-demo");

    @Mixin
    ListenOptions listen = new ListenOptions();

    @Mixin
    ConsoleOptions console = new ConsoleOptions();

    @Option(names = "--s3-port", description = "port of the embedded S3 bucket (default: ${DEFAULT-VALUE})")
    int s3Port = 9000;

    @Option(
            names = "--drain-seconds",
            description = "on stop, how long to wait for uploads (default: ${DEFAULT-VALUE})")
    int drainSeconds = 120;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir.toAbsolutePath().normalize();
        try (DataDirectoryLock held = lockOrSay(dir)) {
            return held == null ? 2 : run(dir);
        }
    }

    /** The data directory's lock, or null after telling the user who holds it. */
    static DataDirectoryLock lockOrSay(Path dir) throws IOException {
        try {
            return DataDirectoryLock.acquire(dir);
        } catch (DataDirectoryLock.DataDirectoryInUseException e) {
            System.err.println("sgw: " + e.getMessage());
            return null;
        }
    }

    private int run(Path dir) throws Exception {
        EmbeddedBucket bucket;
        try {
            bucket = EmbeddedBucket.start(dir.resolve("bucket"), listen.bind, s3Port, BUCKET);
        } catch (Exception e) {
            System.err.println("sgw: cannot start the embedded S3 bucket on " + listen.bind + ":" + s3Port + ": "
                    + rootMessage(e));
            return 2;
        }
        GatewayProcess gateway;
        String password;
        String consolePassword;
        try {
            ManagementService management = ManagementService.open(dir.resolve("state"));
            password = DemoSetup.apply(management, bucket, dir);
            consolePassword =
                    console.password != null ? console.password : DemoSetup.password(dir.resolve("console-password"));
            gateway = GatewayProcess.start(
                    dir.resolve("data"),
                    management,
                    listen.bind,
                    listen.protocolPorts(),
                    new GatewayProcess.Console(console.port, consolePassword));
        } catch (GatewayProcess.PortInUseException e) {
            System.err.println("sgw: " + e.getMessage());
            bucket.close();
            return 2;
        } catch (Exception e) {
            System.err.println("sgw: the demo gateway could not start: " + rootMessage(e));
            bucket.close();
            return 2;
        }
        gateway.stopOnSignal(Duration.ofSeconds(drainSeconds), bucket);

        Map<String, String> env = new LinkedHashMap<>();
        env.put("S3_ENDPOINT", bucket.endpoint().toString());
        env.put("S3_BUCKET", BUCKET);
        env.put("S3_ACCESS_KEY", bucket.accessKey());
        env.put("S3_SECRET_KEY", bucket.secretKey());
        env.put("SMB_USER", DemoSetup.USER);
        env.put("SMB_PASSWORD", password);
        env.put("ISCSI_TARGET", DemoSetup.TARGET_PREFIX + DemoSetup.VOLUME);
        env.put("S3_PORT", Integer.toString(bucket.port()));
        env.put("NFS_PORT", Integer.toString(port(gateway, "nfs", listen.nfsPort)));
        env.put("SMB_PORT", Integer.toString(port(gateway, "smb", listen.smbPort)));
        env.put("ISCSI_PORT", Integer.toString(port(gateway, "iscsi", listen.iscsiPort)));
        if (gateway.consoleUrl() != null) {
            env.put("CONSOLE_PORT", Integer.toString(port(gateway, "console", console.port)));
            env.put("CONSOLE_URL", gateway.consoleUrl());
            env.put("CONSOLE_USER", "admin");
            env.put("CONSOLE_PASSWORD", consolePassword);
        }
        writeEnv(dir.resolve("demo.env"), env);
        printBanner(System.out, dir, env, gateway);
        System.out.println("sgw ready");
        System.out.flush();
        gateway.awaitStop();
        return 0;
    }

    private static int port(GatewayProcess gateway, String protocol, int configured) {
        return gateway.endpoints().stream()
                .filter(e -> e.protocol().equals(protocol))
                .mapToInt(Endpoint::port)
                .findFirst()
                .orElse(configured);
    }

    private void printBanner(PrintStream out, Path dir, Map<String, String> env, GatewayProcess gateway) {
        String host = listen.bind.contains(":") ? "[" + listen.bind + "]" : listen.bind;
        out.println("sgw demo, data in " + dir);
        out.println();
        out.println("Embedded S3 bucket (any S3 tool can browse it; the shares live under demo/):");
        out.println("  endpoint    " + env.get("S3_ENDPOINT"));
        out.println("  bucket      " + env.get("S3_BUCKET"));
        out.println("  access key  " + env.get("S3_ACCESS_KEY"));
        out.println("  secret key  " + env.get("S3_SECRET_KEY"));
        out.println("  e.g.        AWS_ACCESS_KEY_ID=" + env.get("S3_ACCESS_KEY") + " AWS_SECRET_ACCESS_KEY="
                + env.get("S3_SECRET_KEY") + " aws --endpoint-url " + env.get("S3_ENDPOINT") + " s3 ls s3://"
                + env.get("S3_BUCKET") + "/demo/");
        out.println();
        out.println("Shares and volume (cache mode, one cache disk under " + dir.resolve("cache") + "):");
        out.println(
                "  NFS share   /demo           SMB share  demo   (the same files; objects put under demo/ appear within "
                        + DemoSetup.REVERSE_SYNC_SECONDS + " s)");
        out.println("  SMB user    " + env.get("SMB_USER") + "   password " + env.get("SMB_PASSWORD"));
        out.println("  iSCSI       " + env.get("ISCSI_TARGET") + "   (1 GiB)");
        out.println();
        if (gateway.endpoints().isEmpty()) {
            out.println("No protocol server is part of this build yet: the shares and the volume are open in the");
            out.println("gateway and reach the bucket, but no client can mount them.");
        } else {
            out.println("Listening:");
            gateway.printEndpoints(out);
        }
        if (gateway.serves("nfs")) {
            out.println("  NFSv4.1:    sudo mount -t nfs -o vers=4.1,port=" + env.get("NFS_PORT") + " " + host
                    + ":/demo /mnt");
            out.println("  NFSv3:      sudo mount -t nfs -o vers=3,proto=tcp,port=" + env.get("NFS_PORT")
                    + ",mountport=" + env.get("NFS_PORT") + ",nolock " + host + ":/demo /mnt");
            out.println("  libnfs:     nfs-ls 'nfs://" + host + "/demo?version=3&nfsport=" + env.get("NFS_PORT")
                    + "&mountport=" + env.get("NFS_PORT") + "'");
        }
        if (gateway.serves("smb")) {
            out.println("  smbclient:  smbclient //" + host + "/demo -p " + env.get("SMB_PORT") + " -U demo%"
                    + env.get("SMB_PASSWORD"));
            out.println("  Linux:      sudo mount -t cifs //" + host + "/demo /mnt -o port=" + env.get("SMB_PORT")
                    + ",username=demo,password=" + env.get("SMB_PASSWORD"));
            out.println("  Windows:    net use Z: \\\\" + host + "\\demo /user:demo " + env.get("SMB_PASSWORD"));
        }
        if (gateway.serves("iscsi")) {
            out.println("  iSCSI:      sudo iscsiadm -m discovery -t st -p " + host + ":" + env.get("ISCSI_PORT")
                    + " && sudo iscsiadm -m node -T " + env.get("ISCSI_TARGET") + " -p " + host + ":"
                    + env.get("ISCSI_PORT") + " --login");
            out.println("  libiscsi:   iscsi-inq iscsi://" + host + ":" + env.get("ISCSI_PORT") + "/"
                    + env.get("ISCSI_TARGET") + "/0");
            out.println("  Windows:    iSCSI Initiator > Discovery > Discover Portal " + host + " port "
                    + env.get("ISCSI_PORT") + ", then Targets > Connect");
        }
        String url = env.get("CONSOLE_URL");
        if (url != null) {
            out.println();
            out.println("Console (REST API and Prometheus metrics; see the README's Operating section):");
            out.println("  URL         " + url);
            out.println("  user        admin   password " + env.get("CONSOLE_PASSWORD"));
            out.println("  log in:     curl -c cookies.txt -H 'Content-Type: application/json' -d '{\"password\": \""
                    + env.get("CONSOLE_PASSWORD") + "\"}' " + url + "api/v1/login");
            out.println("  status:     curl -b cookies.txt " + url + "api/v1/status");
            out.println("  metrics:    curl " + url + "metrics");
        }
        out.println("The same values are in " + dir.resolve("demo.env"));
        out.println();
    }

    private static void writeEnv(Path file, Map<String, String> env) throws IOException {
        StringBuilder text = new StringBuilder();
        env.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        PrivateFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
