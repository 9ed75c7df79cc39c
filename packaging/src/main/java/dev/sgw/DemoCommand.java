package dev.sgw;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sgw demo}: the gateway on an embedded S3 bucket, in the foreground, for a first run with no
 * cloud account. It prints the endpoints and credentials, writes them as {@code KEY=VALUE} lines to
 * {@code DIR/demo.env}, then prints {@code sgw ready} once every listener is up. Protocol servers that are
 * not built yet are simply absent. SIGTERM or Ctrl-C stops it cleanly.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the gateway on an embedded S3 bucket with demo shares and a volume.")
final class DemoCommand implements Callable<Integer> {

    static final String BUCKET = "sgw-demo";

    @Option(names = "--data-dir", description = "where the demo keeps its bucket, cache and metadata (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("sgw-demo");

    @Option(names = "--bind", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind = "127.0.0.1";

    @Option(names = "--nfs-port", description = "NFS port (default: ${DEFAULT-VALUE})")
    int nfsPort = 2049;

    @Option(names = "--smb-port", description = "SMB port (default: ${DEFAULT-VALUE})")
    int smbPort = 445;

    @Option(names = "--iscsi-port", description = "iSCSI port (default: ${DEFAULT-VALUE})")
    int iscsiPort = 3260;

    @Option(names = "--console-port", description = "web console port (default: ${DEFAULT-VALUE})")
    int consolePort = 8080;

    @Option(names = "--s3-port", description = "port of the embedded S3 bucket (default: ${DEFAULT-VALUE})")
    int s3Port = 9000;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        EmbeddedBucket bucket;
        try {
            bucket = EmbeddedBucket.start(dir.resolve("bucket"), bind, s3Port, BUCKET);
        } catch (Exception e) {
            System.err.println("sgw: cannot start the embedded S3 bucket on " + bind + ":" + s3Port + ": " + rootMessage(e));
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("sgw: stopping");
            try {
                bucket.close();
            } catch (Exception e) {
                System.err.println("sgw: error while stopping the embedded bucket: " + rootMessage(e));
            }
            stopped.countDown();
        }, "sgw-shutdown"));

        Map<String, String> env = new LinkedHashMap<>();
        env.put("S3_ENDPOINT", bucket.endpoint().toString());
        env.put("S3_BUCKET", BUCKET);
        env.put("S3_ACCESS_KEY", bucket.accessKey());
        env.put("S3_SECRET_KEY", bucket.secretKey());
        env.put("S3_PORT", Integer.toString(bucket.port()));
        writeEnv(dir.resolve("demo.env"), env);
        printBanner(System.out, dir, env);
        System.out.println("sgw ready");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static void printBanner(PrintStream out, Path dir, Map<String, String> env) {
        out.println("sgw demo, data in " + dir);
        out.println();
        out.println("Embedded S3 bucket (any S3 tool can browse it):");
        out.println("  endpoint    " + env.get("S3_ENDPOINT"));
        out.println("  bucket      " + env.get("S3_BUCKET"));
        out.println("  access key  " + env.get("S3_ACCESS_KEY"));
        out.println("  secret key  " + env.get("S3_SECRET_KEY"));
        out.println("  e.g.        AWS_ACCESS_KEY_ID=" + env.get("S3_ACCESS_KEY") + " AWS_SECRET_ACCESS_KEY="
                + env.get("S3_SECRET_KEY") + " aws --endpoint-url " + env.get("S3_ENDPOINT") + " s3 ls s3://"
                + env.get("S3_BUCKET"));
        out.println();
        out.println("NFS, SMB and iSCSI: not part of this build yet.");
        out.println("The same values are in " + dir.resolve("demo.env"));
        out.println();
    }

    private static void writeEnv(Path file, Map<String, String> env) throws IOException {
        StringBuilder text = new StringBuilder();
        env.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
