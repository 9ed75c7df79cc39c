package dev.sgw;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listing requests the gateway's backend does not send, answered from the index over HTTP: version 1
 * listings paged by marker, version 2 with start-after, and a batch delete (which S3Proxy turns into one
 * delete per key) seen by the next listing.
 */
class EmbeddedBucketListingTest {

    private static final String BUCKET = "listing";

    @TempDir
    Path dir;

    private EmbeddedBucket bucket;
    private S3Client client;

    @BeforeEach
    void start() throws Exception {
        bucket = EmbeddedBucket.start(dir, "127.0.0.1", 0, BUCKET);
        client = S3Client.builder()
                .endpointOverride(bucket.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(bucket.accessKey(), bucket.secretKey())))
                .build();
        for (int i = 0; i < 12; i++) {
            String key = String.format("logs/%s/entry-%02d", i % 2 == 0 ? "even" : "odd", i);
            client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(key));
        }
        client.putObject(b -> b.bucket(BUCKET).key("logs/readme"), RequestBody.fromString("r"));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        bucket.close();
    }

    @Test
    void versionOneListingsPageByMarker() {
        List<String> keys = new ArrayList<>();
        String marker = null;
        int pages = 0;
        while (true) {
            String from = marker;
            ListObjectsResponse page = client.listObjects(
                    b -> b.bucket(BUCKET).prefix("logs/even/").maxKeys(4).marker(from));
            page.contents().forEach(o -> keys.add(o.key()));
            pages++;
            if (!page.isTruncated()) {
                break;
            }
            marker = page.nextMarker() != null
                    ? page.nextMarker()
                    : page.contents().getLast().key();
        }
        assertThat(keys)
                .containsExactly(
                        "logs/even/entry-00",
                        "logs/even/entry-02",
                        "logs/even/entry-04",
                        "logs/even/entry-06",
                        "logs/even/entry-08",
                        "logs/even/entry-10");
        assertThat(pages).isEqualTo(2);

        ListObjectsResponse top =
                client.listObjects(b -> b.bucket(BUCKET).prefix("logs/").delimiter("/"));
        assertThat(top.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("logs/even/", "logs/odd/");
        assertThat(top.contents()).extracting(S3Object::key).containsExactly("logs/readme");
    }

    @Test
    void startAfterAndBatchDeletes() {
        assertThat(client.listObjectsV2(
                                b -> b.bucket(BUCKET).prefix("logs/odd/").startAfter("logs/odd/entry-05"))
                        .contents())
                .extracting(S3Object::key)
                .containsExactly("logs/odd/entry-07", "logs/odd/entry-09", "logs/odd/entry-11");

        client.deleteObjects(b -> b.bucket(BUCKET)
                .delete(d -> d.objects(
                        ObjectIdentifier.builder().key("logs/odd/entry-07").build(),
                        ObjectIdentifier.builder().key("logs/readme").build(),
                        ObjectIdentifier.builder().key("logs/never-there").build())));

        assertThat(client.listObjectsV2(b -> b.bucket(BUCKET).prefix("logs/")).contents())
                .extracting(S3Object::key)
                .hasSize(11)
                .doesNotContain("logs/odd/entry-07", "logs/readme");
    }
}
