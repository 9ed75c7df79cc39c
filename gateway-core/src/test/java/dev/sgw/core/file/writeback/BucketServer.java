package dev.sgw.core.file.writeback;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.PrefixedObjectStore;
import dev.sgw.core.store.RetryPolicy;
import dev.sgw.core.store.RetryingObjectStore;
import dev.sgw.core.store.s3.S3ObjectStore;
import dev.sgw.core.store.s3.S3StoreConfig;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3Proxy on loopback over a directory, with fixed credentials so that it can be stopped (a bucket
 * outage) and started again on the same port while clients keep their configuration.
 */
final class BucketServer implements AutoCloseable {
    static final String BUCKET = "shares";
    private static final String ACCESS = "sgwtestaccess";
    private static final String SECRET = "sgwtestsecret0123456789";

    private final Path root;
    private int port;
    private S3Proxy proxy;

    BucketServer(Path root) throws Exception {
        this.root = root;
        Files.createDirectories(root.resolve(BUCKET));
        start();
    }

    /** Starts the server (again): on any free port the first time, then on the same one. */
    void start() throws Exception {
        S3Proxy p = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(root.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .ignoreUnknownHeaders(true)
                .build();
        p.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(p.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + p.getState());
            }
            Thread.sleep(10);
        }
        proxy = p;
        port = p.getPort();
    }

    /** Stops the server: requests fail until {@link #start()}. */
    void stop() throws IOException {
        try {
            proxy.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller sees the flag; the proxy is left to the JVM exit
        } catch (Exception e) {
            throw new IOException("S3Proxy did not stop", e);
        }
        proxy = null;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * The share's store as the gateway wires it: S3, few quick retries (the uploader's own backoff carries
     * longer outages), rooted at {@code prefix}.
     */
    ObjectStore store(String prefix) {
        return store(port, prefix);
    }

    /** {@link #store(String)} of the server on {@code port} (for a child process). */
    static ObjectStore store(int port, String prefix) {
        ObjectStore s3 = new S3ObjectStore(S3StoreConfig.builder(BUCKET, ACCESS, SECRET)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .pathStyleAccess(true)
                .connectTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build());
        ObjectStore retrying = new RetryingObjectStore(
                s3, new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(2)));
        return prefix.isEmpty() ? retrying : new PrefixedObjectStore(retrying, prefix);
    }

    /** Another S3 client of the same bucket (the AWS SDK itself), as another application would use. */
    S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .build();
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws IOException {
        if (proxy != null) {
            stop();
        }
    }
}
