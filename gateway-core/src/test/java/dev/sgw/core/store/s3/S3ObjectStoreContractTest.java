package dev.sgw.core.store.s3;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreContract;
import dev.sgw.core.store.S3ProxyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared {@link ObjectStoreContract} against {@link S3ObjectStore} on a real S3 server (S3Proxy 4.1,
 * SigV4), minus the checks S3Proxy itself fails (see {@link S3ProxyGaps}).
 */
@ExtendWith(S3ObjectStoreContractTest.S3ProxyGaps.class)
class S3ObjectStoreContractTest extends ObjectStoreContract {

    private Path root;
    private S3ProxyFixture server;

    @Override
    protected ObjectStore openStore() throws Exception {
        root = Files.createTempDirectory("sgw-s3-contract");
        server = S3ProxyFixture.start(root);
        server.createBucket("contract");
        return new S3ObjectStore(S3StoreConfig.builder("contract", server.accessKey(), server.secretKey())
                .endpoint(server.endpoint())
                .pathStyleAccess(true)
                .build());
    }

    @Override
    protected void closeEnvironment() throws Exception {
        if (server != null) {
            server.close();
        }
        if (root != null) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /**
     * Contract tests that fail because S3Proxy differs from S3, not because of the backend; each names
     * where the rest of what it checks is covered. {@link S3ProxyQuirksTest} pins each difference, so that
     * an S3Proxy that fixes it fails that test and the skip here is removed.
     */
    static final class S3ProxyGaps implements ExecutionCondition {

        private static final Map<String, String> SKIPPED = Map.of(
                "pendingUploadsAreListedUntilAborted",
                "S3Proxy 4.1 accepts UploadPart for an aborted upload id (S3 answers NoSuchUpload); listing and"
                        + " aborting are covered by S3ObjectStoreTest.pendingUploadsAreListedAndAbortingTwiceOrAnUnknownIdSucceeds");

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getTestMethod()
                    .map(method -> SKIPPED.get(method.getName()))
                    .map(ConditionEvaluationResult::disabled)
                    .orElse(ConditionEvaluationResult.enabled("runs on S3Proxy as on S3"));
        }
    }
}
