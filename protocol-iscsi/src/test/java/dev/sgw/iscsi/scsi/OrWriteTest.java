package dev.sgw.iscsi.scsi;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static dev.sgw.iscsi.scsi.UnitFixture.assertGood;
import static dev.sgw.iscsi.scsi.UnitFixture.assertInvalidField;
import static dev.sgw.iscsi.scsi.UnitFixture.assertLbaOutOfRange;
import static dev.sgw.iscsi.scsi.UnitFixture.assertSense;
import static org.assertj.core.api.Assertions.assertThat;

/** ORWRITE (16): the OR, its CDB checks, and its atomicity against other writes. */
class OrWriteTest {
    private final UnitFixture f = new UnitFixture();

    @Test
    void orsTheDataOutIntoTheBlocks() {
        f.volume.fill(4090, 6, 0);
        assertGood(f.out(Cdbs.orWrite(4090, 6, 0), Cdbs.filled(6 * 512, 0xa5)));
        assertThat(f.volume.blocks(4090, 6)).containsOnly((byte) 0xa5);
        assertGood(f.out(Cdbs.orWrite(4090, 6, 0x08), Cdbs.filled(6 * 512, 0x5a)));
        assertThat(f.volume.blocks(4090, 6)).containsOnly((byte) 0xff);
        assertThat(f.volume.fuaWrites.get()).as("FUA").isEqualTo(1);
        byte[] mask = new byte[512];
        mask[17] = 0x01;
        f.volume.fill(0, 1, 0x40);
        assertGood(f.out(Cdbs.orWrite(0, 1, 0x10), mask));
        byte[] block = f.volume.blocks(0, 1);
        assertThat(block[17]).isEqualTo((byte) 0x41);
        assertThat(block[16]).isEqualTo((byte) 0x40);
    }

    @Test
    void checks() {
        for (int protect = 1; protect < 8; protect++) {
            assertInvalidField(f.out(Cdbs.orWrite(0, 1, protect << 5), new byte[512]));
        }
        assertLbaOutOfRange(f.out(Cdbs.orWrite(4095, 2, 0), new byte[1024]));
        assertLbaOutOfRange(f.out(Cdbs.orWrite(0x8000000000000000L, 1, 0), new byte[512]));
        assertLbaOutOfRange(f.out(Cdbs.orWrite(-1, 1, 0), new byte[512]));
        assertGood(f.out(Cdbs.orWrite(0, 0, 0), new byte[0]));
        assertGood(f.out(Cdbs.orWrite(4096, 0, 0), new byte[0]));
        assertLbaOutOfRange(f.out(Cdbs.orWrite(4097, 0, 0), new byte[0]));
        UnitFixture limited = new UnitFixture(512, 4096, new BlockLimits(64 << 10, 0, 0, 0, 1 << 20, 8, 1 << 20, 8));
        assertInvalidField(limited.out(Cdbs.orWrite(0, 129, 0), new byte[129 * 512]));
        assertThat(f.volume.writes.get() + limited.volume.writes.get()).isZero();
    }

    @Test
    void writeProtectedUnitRefusesIt() {
        byte[] sense = UnitFixture.bytes(f.in(Cdbs.modeSense6(0x08, 0, 0x0a, 0, 255), 255));
        byte[] list = java.util.Arrays.copyOf(sense, sense.length);
        list[0] = 0;
        list[4 + 4] |= 0x08; // control page: SWP
        assertGood(f.out(Cdbs.modeSelect6(0x10, list.length), list));
        assertSense(f.out(Cdbs.orWrite(0, 1, 0), new byte[512]), 0x7, 0x27, 0x00);
        assertThat(f.volume.writes.get()).isZero();
    }

    /** A WRITE to the range of an ORWRITE that has read but not yet written waits for it: no lost update. */
    @Test
    void aWriteToTheRangeWaitsForTheOrWrite() throws Exception {
        f.volume.fill(100, 1, 0x01);
        CountDownLatch orReading = new CountDownLatch(1);
        CountDownLatch letOrGo = new CountDownLatch(1);
        f.volume.hook = (operation, offset) -> {
            if (operation.equals("read") && Thread.currentThread().getName().equals("orwrite")) {
                orReading.countDown();
                await(letOrGo);
            }
        };
        ExecutorService or = Executors.newSingleThreadExecutor(r -> new Thread(r, "orwrite"));
        ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "writer"));
        try {
            Future<ScsiResponse> orWrite = or.submit(() -> f.out(Cdbs.orWrite(100, 1, 0), Cdbs.filled(512, 0x10)));
            assertThat(orReading.await(10, TimeUnit.SECONDS)).isTrue();
            Future<ScsiResponse> write = writer.submit(() -> f.out(Cdbs.write10(100, 1), Cdbs.filled(512, 0x20)));
            Thread.sleep(200);
            assertThat(write.isDone()).as("the write waits for the ORWRITE").isFalse();
            letOrGo.countDown();
            assertGood(orWrite.get(10, TimeUnit.SECONDS));
            assertGood(write.get(10, TimeUnit.SECONDS));
            assertThat(f.volume.blocks(100, 1)).containsOnly((byte) 0x20);
        } finally {
            or.shutdownNow();
            writer.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
