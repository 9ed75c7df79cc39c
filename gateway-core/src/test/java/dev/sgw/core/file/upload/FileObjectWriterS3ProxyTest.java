package dev.sgw.core.file.upload;

import java.nio.file.Path;

/** The writer's contract through the S3 backend on S3Proxy. */
class FileObjectWriterS3ProxyTest extends FileObjectWriterContract {

    @Override
    protected TestBackend open(Path directory) throws Exception {
        return TestBackend.s3Proxy(directory);
    }
}
