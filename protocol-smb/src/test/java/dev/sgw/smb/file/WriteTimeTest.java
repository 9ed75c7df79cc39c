package dev.sgw.smb.file;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.smb.server.FileId;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LastWriteTime clients see ({@link WriteTimes}): a write shows 2 seconds later or at the next flush,
 * end-of-file or basic information change or close; an explicitly set time sticks; FILETIMEs far in the
 * future round-trip.
 */
class WriteTimeTest {
    private static final int CREATE = 2, OPEN = 1, POSTQUERY = 1;
    private static final int FILE = 1, END_OF_FILE = 20;
    private static final long SECOND = 10_000_000L;

    private MemoryFileVolume memory;
    private TestClient client;

    @BeforeEach
    void setUp() {
        memory = TestClient.volume();
        client = new TestClient(new DiskTreeCommands(), memory, 1, 1000);
    }

    private long writeTime(FileId f) throws Exception {
        ByteBuf b = client.queryInfo(f, FILE, FileInformation.BASIC, 40, 0).body();
        return b.getLongLE(b.getUnsignedShortLE(2) - 64 + 16);
    }

    private long createTime(FileId f) throws Exception {
        ByteBuf b = client.queryInfo(f, FILE, FileInformation.BASIC, 40, 0).body();
        return b.getLongLE(b.getUnsignedShortLE(2) - 64);
    }

    private long volumeWriteTime(String name) throws Exception {
        return FileTimes.toFiletime(memory.lookup(memory.root(), name).mtime());
    }

    private static byte[] basic(long create, long write) {
        return ByteBuffer.allocate(40)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0, create)
                .putLong(16, write)
                .array();
    }

    private void write(FileId f) throws Exception {
        assertThat(client.write(f, 0, "data".getBytes(StandardCharsets.UTF_8)).status())
                .isZero();
    }

    @Test
    void aWriteShowsAtCloseNotAtOnce() throws Exception {
        FileId f = client.open("f", CREATE, 0);
        long created = writeTime(f);
        Thread.sleep(5);
        write(f);
        assertThat(writeTime(f)).as("the write is not seen yet").isEqualTo(created);
        assertThat(volumeWriteTime("f"))
                .as("the volume's mtime moved (NFS sees it)")
                .isGreaterThan(created);
        TestClient.Answer closed = client.close(f, POSTQUERY);
        long atClose = closed.body().getLongLE(8 + 16);
        assertThat(atClose).isGreaterThan(created);
        assertThat(volumeWriteTime("f")).isEqualTo(atClose);
    }

    @Test
    void aFlushOrEndOfFileShowsThePendingWriteAndLaterWritesWaitForTheClose() throws Exception {
        FileId f = client.open("f", CREATE, 0);
        long created = writeTime(f);
        Thread.sleep(5);
        write(f);
        assertThat(client.flush(f).status()).isZero();
        long flushed = writeTime(f);
        assertThat(flushed).isGreaterThan(created);
        Thread.sleep(5);
        write(f);
        assertThat(writeTime(f)).isEqualTo(flushed);
        byte[] size = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0, 4)
                .array();
        assertThat(client.setInfo(f, FILE, END_OF_FILE, 0, size).status()).isZero();
        assertThat(writeTime(f)).isGreaterThan(flushed);
    }

    @Test
    void theDelayedUpdateShowsTheWriteTwoSecondsLater() throws Exception {
        FileId f = client.open("f", CREATE, 0);
        long created = writeTime(f);
        Thread.sleep(5);
        write(f);
        assertThat(writeTime(f)).isEqualTo(created);
        Thread.sleep(WriteTimes.DELAY_NANOS / 1_000_000 + 100);
        long shown = writeTime(f);
        assertThat(shown).isEqualTo(volumeWriteTime("f")).isGreaterThan(created);
        write(f);
        assertThat(writeTime(f)).as("a second write waits for the close").isEqualTo(shown);
        assertThat(client.close(f, POSTQUERY).body().getLongLE(8 + 16)).isGreaterThan(shown);
    }

    @Test
    void anExplicitWriteTimeSticksThroughOtherOpensWritesAndCloses() throws Exception {
        FileId writer = client.open("f", CREATE, 0);
        write(writer);
        FileId setter = client.open("f", OPEN, 0);
        long set = FileTimes.toFiletime(System.currentTimeMillis() * 1_000_000L) + 86_400 * SECOND;
        assertThat(client.setInfo(setter, FILE, FileInformation.BASIC, 0, basic(0, set))
                        .status())
                .isZero();
        write(setter);
        client.close(setter, 0);
        assertThat(client.close(writer, POSTQUERY).body().getLongLE(8 + 16)).isEqualTo(set);
        assertThat(volumeWriteTime("f")).isEqualTo(set);
    }

    @Test
    void aBasicInformationChangeShowsThePendingWriteEvenWithEveryFieldZero() throws Exception {
        FileId f = client.open("f", CREATE, 0);
        long created = writeTime(f);
        Thread.sleep(5);
        write(f);
        assertThat(client.setInfo(f, FILE, FileInformation.BASIC, 0, basic(0, 0))
                        .status())
                .isZero();
        assertThat(writeTime(f)).isGreaterThan(created);
    }

    @Test
    void timesFarInTheFutureRoundTrip() throws Exception {
        FileId f = client.open("f", CREATE, 0);
        for (long seconds : new long[] {10_000_000_000L, 15_032_385_535L, 4_294_967_295L, -63_158_400L, -1}) {
            long filetime = FileTimes.EPOCH_AS_FILETIME + seconds * SECOND;
            assertThat(client.setInfo(f, FILE, FileInformation.BASIC, 0, basic(filetime, filetime))
                            .status())
                    .isZero();
            assertThat(createTime(f)).as("%d s", seconds).isEqualTo(filetime);
            assertThat(writeTime(f)).as("%d s", seconds).isEqualTo(filetime);
        }
    }

    @Test
    void filetimesMapOneToOneAndInOrder() {
        long knee = FileTimes.EPOCH_AS_FILETIME + FileTimes.EXACT_NANOS / 100;
        long[] filetimes = {
            1,
            100,
            FileTimes.EPOCH_AS_FILETIME - 1,
            FileTimes.EPOCH_AS_FILETIME,
            knee - 1,
            knee,
            knee + 1,
            FileTimes.EPOCH_AS_FILETIME + 15_032_385_535L * SECOND + 1234567
        };
        long before = Long.MIN_VALUE;
        for (long ft : filetimes) {
            long nanos = FileTimes.toEpochNanos(ft);
            assertThat(FileTimes.toFiletime(nanos)).as("FILETIME %d", ft).isEqualTo(ft);
            assertThat(nanos).isGreaterThan(before);
            before = nanos;
        }
        assertThat(FileTimes.toEpochNanos(Long.MAX_VALUE)).as("saturates").isEqualTo(Long.MAX_VALUE);
        long nanosNow = System.currentTimeMillis() * 1_000_000L + 123;
        assertThat(FileTimes.toFiletime(nanosNow)).isEqualTo(FileTimes.EPOCH_AS_FILETIME + nanosNow / 100);
    }
}
