package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static dev.sgw.iscsi.scsi.UnitFixture.assertGood;
import static dev.sgw.iscsi.scsi.UnitFixture.assertInvalidField;
import static dev.sgw.iscsi.scsi.UnitFixture.assertLbaOutOfRange;
import static dev.sgw.iscsi.scsi.UnitFixture.assertSense;
import static dev.sgw.iscsi.scsi.UnitFixture.information;
import static org.assertj.core.api.Assertions.assertThat;

class CompareAndWriteTest {
    private final UnitFixture f = new UnitFixture();

    private static byte[] verifyThenWrite(byte[] verify, byte[] write) {
        byte[] d = new byte[verify.length + write.length];
        System.arraycopy(verify, 0, d, 0, verify.length);
        System.arraycopy(write, 0, d, verify.length, write.length);
        return d;
    }

    @Test
    void writesWhenTheBlocksMatch() {
        f.volume.fill(8, 2, 'A');
        assertGood(f.out(
                Cdbs.compareAndWrite(8, 2, 0x08), verifyThenWrite(Cdbs.filled(1024, 'A'), Cdbs.filled(1024, 'B'))));
        assertThat(f.volume.blocks(8, 2)).containsOnly('B');
        assertThat(f.volume.fuaWrites.get()).as("FUA").isEqualTo(1);
    }

    @Test
    void miscompareReportsTheOffsetAndWritesNothing() {
        f.volume.fill(0, 3, 'A');
        byte[] verify = Cdbs.filled(3 * 512, 'A');
        verify[3 * 512 - 27] = 'C';
        ScsiResponse r = f.out(Cdbs.compareAndWrite(0, 3, 0), verifyThenWrite(verify, Cdbs.filled(3 * 512, 'B')));
        assertSense(r, 0xe, 0x1d, 0x00);
        assertThat(information(r)).isEqualTo(3 * 512 - 27);
        assertThat(f.volume.blocks(0, 3)).containsOnly('A');
        assertThat(f.volume.writes.get()).isZero();
    }

    @Test
    void unwrittenBlocksCompareAsZeros() {
        assertGood(f.out(Cdbs.compareAndWrite(4095, 1, 0), verifyThenWrite(new byte[512], Cdbs.filled(512, 1))));
        assertThat(f.volume.blocks(4095, 1)).containsOnly(1);
    }

    @Test
    void checks() {
        assertGood(f.out(Cdbs.compareAndWrite(0, 0, 0), new byte[0]));
        assertLbaOutOfRange(f.out(Cdbs.compareAndWrite(4095, 2, 0), new byte[2048]));
        assertInvalidField(f.out(Cdbs.compareAndWrite(0, 1, 0x40), new byte[1024]));
        assertInvalidField(f.out(Cdbs.compareAndWrite(0, 1, 0), new byte[2048]));
        assertSense(f.out(Cdbs.compareAndWrite(0, 2, 0), new byte[1024]), 0x5, 0x0e, 0x03);
        UnitFixture limited = new UnitFixture(512, 4096, new BlockLimits(1 << 20, 0, 0, 0, 1 << 20, 8, 1 << 20, 4));
        assertInvalidField(limited.out(Cdbs.compareAndWrite(0, 5, 0), new byte[5 * 1024]));
        assertThat(f.volume.writes.get() + limited.volume.writes.get()).isZero();
    }

    /** 256 blocks do not fit the one-byte count: it reads 0, and the 256 blocks of data-out are refused. */
    @Test
    void zeroBlocksWithDataOutIsInvalid() {
        f.volume.fill(0, 256, 'A');
        byte[] data = verifyThenWrite(Cdbs.filled(256 * 512, 'A'), Cdbs.filled(256 * 512, 'B'));
        ScsiResponse r = f.out(Cdbs.compareAndWrite(0, 256, 0), data);
        assertInvalidField(r);
        assertThat(f.volume.writes.get()).isZero();
    }

    /** A WRITE to the range of a COMPARE AND WRITE that has read but not yet written waits for it. */
    @Test
    void aWriteToTheRangeWaitsForTheCompareAndWrite() throws Exception {
        f.volume.fill(100, 1, 'A');
        CountDownLatch compareReading = new CountDownLatch(1);
        CountDownLatch letCompareGo = new CountDownLatch(1);
        f.volume.hook = (operation, offset) -> {
            if (operation.equals("read") && Thread.currentThread().getName().equals("caw")) {
                compareReading.countDown();
                await(letCompareGo);
            }
        };
        ExecutorService pool = Executors.newCachedThreadPool(r -> new Thread(r, "caw"));
        ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "writer"));
        try {
            Future<ScsiResponse> caw = pool.submit(() -> f.out(
                    Cdbs.compareAndWrite(100, 1, 0), verifyThenWrite(Cdbs.filled(512, 'A'), Cdbs.filled(512, 'B'))));
            assertThat(compareReading.await(10, TimeUnit.SECONDS)).isTrue();
            Future<ScsiResponse> write = writer.submit(() -> f.out(Cdbs.write10(100, 1), Cdbs.filled(512, 'W')));
            Thread.sleep(200);
            assertThat(write.isDone())
                    .as("the write waits for the compare and write")
                    .isFalse();
            assertThat(f.volume.writes.get()).isZero();
            letCompareGo.countDown();
            assertGood(caw.get(10, TimeUnit.SECONDS));
            assertGood(write.get(10, TimeUnit.SECONDS));
            assertThat(f.volume.log()).containsExactly("write 100 1", "write 100 1");
            assertThat(f.volume.blocks(100, 1)).containsOnly('W');
        } finally {
            pool.shutdownNow();
            writer.shutdownNow();
        }
    }

    /** Counters incremented only through COMPARE AND WRITE lose no increment under contention. */
    @Test
    void concurrentIncrementsAreNotLost() throws Exception {
        f.volume.hook = (operation, offset) -> Thread.yield();
        int threads = 8;
        int increments = 40;
        AtomicInteger miscompares = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < increments; ) {
                        long seen = ByteBuffer.wrap(f.read(7, 1)).getLong(0);
                        byte[] next = new byte[512];
                        ByteBuffer.wrap(next).putLong(0, seen + 1);
                        ByteBuffer old = ByteBuffer.allocate(512).putLong(0, seen);
                        ScsiResponse r = f.out(
                                Cdbs.compareAndWrite(6, 2, 0),
                                verifyThenWrite(
                                        verifyThenWrite(new byte[512], old.array()),
                                        verifyThenWrite(new byte[512], next)));
                        if (r.status() == ScsiResponse.GOOD) {
                            i++;
                        } else {
                            assertSense(r, 0xe, 0x1d, 0x00);
                            miscompares.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> d : done) {
                d.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ByteBuffer.wrap(f.volume.blocks(7, 1)).getLong(0)).isEqualTo((long) threads * increments);
        assertThat(miscompares.get()).as("there was contention").isPositive();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
