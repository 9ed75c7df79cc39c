package dev.sgw.core.file.upload;

import java.nio.file.Path;

/** The writer's multipart and part-copy path through the OSS backend (Alibaba SDK) on the OSS fixture. */
class FileObjectWriterOssTest extends MultipartUploadContract {

    @Override
    protected TestBackend open(Path directory) throws Exception {
        return TestBackend.oss(directory);
    }
}
