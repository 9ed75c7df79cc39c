package dev.sgw.core.store.oss;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.sgw.core.store.ListPage;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreContract;
import dev.sgw.core.store.PendingUpload;
import dev.sgw.core.store.PrefixedObjectStore;
import dev.sgw.core.store.UploadPage;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The shared contract against a real OSS bucket, only when {@code SGW_OSS_ENDPOINT} (an http(s) URL such as
 * {@code https://oss-cn-hangzhou.aliyuncs.com}), {@code SGW_OSS_BUCKET}, {@code SGW_OSS_ACCESS_KEY_ID} and
 * {@code SGW_OSS_ACCESS_KEY_SECRET} are all set. Optional: {@code SGW_OSS_SECURITY_TOKEN} (STS) and
 * {@code SGW_OSS_REGION} (sign with V4 for that region). Everything is written under a random key prefix
 * that is emptied (objects and pending uploads) afterwards.
 */
@EnabledIfEnvironmentVariable(named = "SGW_OSS_ENDPOINT", matches = ".+")
@EnabledIfEnvironmentVariable(named = "SGW_OSS_BUCKET", matches = ".+")
@EnabledIfEnvironmentVariable(named = "SGW_OSS_ACCESS_KEY_ID", matches = ".+")
@EnabledIfEnvironmentVariable(named = "SGW_OSS_ACCESS_KEY_SECRET", matches = ".+")
class OssRealBucketContractTest extends ObjectStoreContract {

    private final String prefix = "sgw-contract-" + UUID.randomUUID() + "/";
    private OssObjectStore oss;

    @Override
    protected ObjectStore openStore(Path workDirectory) {
        OssStoreConfig config = OssStoreConfig.of(
                        URI.create(System.getenv("SGW_OSS_ENDPOINT")),
                        System.getenv("SGW_OSS_BUCKET"),
                        System.getenv("SGW_OSS_ACCESS_KEY_ID"),
                        System.getenv("SGW_OSS_ACCESS_KEY_SECRET"))
                .withSecurityToken(System.getenv("SGW_OSS_SECURITY_TOKEN"))
                .withRegion(System.getenv("SGW_OSS_REGION"));
        oss = new OssObjectStore(config);
        return new PrefixedObjectStore(oss, prefix);
    }

    @Override
    protected void closeEnvironment() throws Exception {
        try (OssObjectStore cleaner = new OssObjectStore(oss.config())) {
            String uploadToken = null;
            do {
                UploadPage uploads = cleaner.listMultipartUploads(prefix, uploadToken);
                for (PendingUpload upload : uploads.uploads()) {
                    cleaner.abortMultipart(upload.key(), upload.uploadId());
                }
                uploadToken = uploads.nextToken();
            } while (uploadToken != null);
            ListRequest request = ListRequest.flat(prefix);
            while (true) {
                ListPage page = cleaner.list(request);
                List<String> keys = new ArrayList<>();
                for (ObjectInfo object : page.objects()) {
                    keys.add(object.key());
                }
                cleaner.deleteAll(keys);
                if (page.isLast()) {
                    break;
                }
                request = request.next(page.nextToken());
            }
        }
    }
}
