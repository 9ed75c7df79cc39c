package dev.sgw;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

import dev.sgw.core.manage.PrivateFile;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * The bucket sgw runs on when there is no cloud account: S3Proxy in-process, storing objects as files
 * under a directory, listening on a loopback address and checking AWS SigV4 signatures against
 * credentials generated on first start and kept (mode 0600) beside the data, so that a restart finds the
 * same bucket with the same keys. Listings are answered from an in-memory index of the objects
 * ({@link IndexedBlobStore}), loaded from the data directory at start. The gateway reaches it through its ordinary {@code s3} backend over
 * HTTP, the same path a real bucket takes, and any S3 tool can browse it with the printed credentials.
 */
public final class EmbeddedBucket implements AutoCloseable {

    private static final String CREDENTIALS_FILE = "credentials.properties";

    private final S3Proxy proxy;
    private final String host;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedBucket(S3Proxy proxy, String host, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.host = host;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * Starts the embedded S3 server with its data in {@code directory}/data and its credentials in
     * {@code directory}/credentials.properties, on {@code bindAddress}:{@code port} (port 0: any free port),
     * and creates each of {@code buckets} that does not exist yet.
     */
    public static EmbeddedBucket start(Path directory, String bindAddress, int port, String... buckets)
            throws Exception {
        Path data = directory.resolve("data");
        Files.createDirectories(data);
        Properties credentials = loadOrCreateCredentials(directory.resolve(CREDENTIALS_FILE));
        String accessKey = credentials.getProperty("access-key");
        String secretKey = credentials.getProperty("secret-key");
        BlobStore blobStore = IndexedBlobStore.open(data);
        String host = bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IOException(
                        "the embedded S3 server did not start on " + host + ":" + port + ": " + proxy.getState());
            }
            Thread.sleep(10);
        }
        for (String bucket : buckets) {
            if (!blobStore.containerExists(bucket)) {
                blobStore.createContainer(bucket);
            }
        }
        return new EmbeddedBucket(proxy, host, accessKey, secretKey);
    }

    /** The S3 endpoint, e.g. {@code http://127.0.0.1:9000}. */
    public URI endpoint() {
        return URI.create("http://" + host + ":" + proxy.getPort());
    }

    public int port() {
        return proxy.getPort();
    }

    public String accessKey() {
        return accessKey;
    }

    /** The secret key; shown to the user who started the gateway, never logged. */
    public String secretKey() {
        return secretKey;
    }

    @Override
    public void close() throws IOException {
        try {
            proxy.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller sees the flag; the proxy is left to the JVM exit
        } catch (Exception e) {
            throw new IOException("S3Proxy did not stop", e);
        }
    }

    private static Properties loadOrCreateCredentials(Path file) throws IOException {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            }
            if (properties.getProperty("access-key") != null && properties.getProperty("secret-key") != null) {
                return properties;
            }
        }
        properties.setProperty("access-key", "SGW" + randomHex(8).toUpperCase(java.util.Locale.ROOT));
        properties.setProperty("secret-key", randomHex(20));
        StringWriter text = new StringWriter();
        properties.store(text, "credentials of the embedded S3 bucket");
        PrivateFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
        return properties;
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
