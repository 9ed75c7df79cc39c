package dev.sgw.core.store;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A real S3 server for tests: S3Proxy, in-process, on a free loopback port, storing blobs in a directory
 * with its filesystem blob store, and checking AWS SigV2/SigV4 signatures against generated credentials.
 * A bucket is a sub-directory of {@link #root()}.
 */
public final class S3ProxyFixture implements Closeable {

    private final Path root;
    private final String accessKey;
    private final String secretKey;
    private final S3Proxy proxy;
    private final BlobStore blobStore;

    private S3ProxyFixture(Path root, String accessKey, String secretKey, S3Proxy proxy, BlobStore blobStore) {
        this.root = root;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.proxy = proxy;
        this.blobStore = blobStore;
    }

    /** Starts a server over {@code root} on an ephemeral port of 127.0.0.1, with fresh credentials. */
    public static S3ProxyFixture start(Path root) throws Exception {
        return start(root, 0);
    }

    /** Starts a server over {@code root} on {@code port} (0 for any free port). */
    public static S3ProxyFixture start(Path root, int port) throws Exception {
        Files.createDirectories(root);
        String accessKey = "sgw" + randomHex(8);
        String secretKey = randomHex(20);
        BlobStore blobStore = new FilesystemNio2BlobStore(root.toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new S3ProxyFixture(root, accessKey, secretKey, proxy, blobStore);
    }

    /** Creates an (empty) bucket. */
    public void createBucket(String bucket) {
        if (!blobStore.containerExists(bucket)) {
            blobStore.createContainer(bucket);
        }
    }

    /**
     * A bare AWS SDK client builder aimed at this server (path-style, its credentials, Apache HttpClient 5),
     * for tests that talk S3 directly; callers may adjust it before {@code build()}.
     */
    public S3ClientBuilder clientBuilder() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder())
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public int port() {
        return proxy.getPort();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public Path root() {
        return root;
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

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
