package dev.sgw.core.file.upload;

import java.nio.file.Path;

/** The writer's contract on the in-memory store. */
class FileObjectWriterMemoryTest extends FileObjectWriterContract {

    @Override
    protected TestBackend open(Path directory) throws Exception {
        return TestBackend.memory();
    }
}
