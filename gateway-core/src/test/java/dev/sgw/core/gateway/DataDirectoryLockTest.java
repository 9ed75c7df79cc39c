package dev.sgw.core.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One gateway per data directory: a second one is refused with the directory and the holder's PID. */
@SuppressWarnings("try") // each resource is a lock, held for its block
class DataDirectoryLockTest {
    @TempDir
    Path dir;

    /** Holds the lock of the directory in args[0], says "locked", and waits to be killed. */
    public static void main(String[] args) throws Exception {
        try (DataDirectoryLock held = DataDirectoryLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void aSecondLockInAnotherProcessIsRefusedNamingTheDirectoryAndThePid() throws Exception {
        Process other = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        DataDirectoryLockTest.class.getName(),
                        dir.toString()))
                .redirectErrorStream(true)
                .start();
        try {
            String line = new String(other.getInputStream().readNBytes(7));
            assertThat(line).isEqualTo("locked\n");

            assertThatThrownBy(() -> DataDirectoryLock.acquire(dir))
                    .isInstanceOf(DataDirectoryLock.DataDirectoryInUseException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("PID " + other.pid());
        } finally {
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        try (DataDirectoryLock mine = DataDirectoryLock.acquire(dir)) {
            assertThat(Files.readString(dir.resolve(DataDirectoryLock.FILE_NAME))
                            .trim())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void aSecondLockInThisProcessIsRefusedAndTheFirstCanBeTakenAgainAfterClose() throws Exception {
        try (DataDirectoryLock first = DataDirectoryLock.acquire(dir)) {
            assertThatThrownBy(() -> DataDirectoryLock.acquire(dir))
                    .isInstanceOf(DataDirectoryLock.DataDirectoryInUseException.class);
        }
        DataDirectoryLock.acquire(dir).close();
    }
}
