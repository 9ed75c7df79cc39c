package dev.sgw.iscsi.scsi;

import java.util.Random;

import dev.sgw.core.volume.VolumeError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.sgw.iscsi.scsi.UnitFixture.assertGood;
import static dev.sgw.iscsi.scsi.UnitFixture.assertInvalidField;
import static dev.sgw.iscsi.scsi.UnitFixture.assertLbaOutOfRange;
import static dev.sgw.iscsi.scsi.UnitFixture.assertSense;
import static dev.sgw.iscsi.scsi.UnitFixture.bytes;
import static dev.sgw.iscsi.scsi.UnitFixture.information;
import static org.assertj.core.api.Assertions.assertThat;

class ReadWriteCommandsTest {
    private final UnitFixture f = new UnitFixture();

    private static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {Cdbs.WRITE6, Cdbs.WRITE10, Cdbs.WRITE12, Cdbs.WRITE16})
    void everyWriteFormReadsBackWithEveryReadForm(int writeOpcode) {
        byte[] data = random(3 * 512, writeOpcode);
        assertGood(f.out(Cdbs.rw(writeOpcode, 100, 3, 0), data));
        for (int readOpcode : new int[] {Cdbs.READ6, Cdbs.READ10, Cdbs.READ12, Cdbs.READ16}) {
            ScsiResponse r = f.in(Cdbs.rw(readOpcode, 100, 3, 0), 3 * 512);
            assertGood(r);
            assertThat(bytes(r)).as("read opcode %x", readOpcode).isEqualTo(data);
            assertThat(r.residual()).isZero();
        }
    }

    @Test
    void read6WithTransferLengthZeroReads256Blocks() {
        f.volume.fill(0, 256, 0x5a);
        ScsiResponse r = f.in(Cdbs.rw(Cdbs.READ6, 0, 0, 0), 256 * 512);
        assertGood(r);
        assertThat(bytes(r)).hasSize(256 * 512).containsOnly((byte) 0x5a);
    }

    @Test
    void fuaReachesTheVolumeAndDpoIsAccepted() {
        assertGood(f.out(Cdbs.rw(Cdbs.WRITE10, 0, 1, 0x10), new byte[512]));
        assertThat(f.volume.fuaWrites.get()).isZero();
        assertGood(f.out(Cdbs.rw(Cdbs.WRITE16, 0, 1, 0x18), new byte[512]));
        assertThat(f.volume.fuaWrites.get()).isEqualTo(1);
        assertGood(f.in(Cdbs.rw(Cdbs.READ10, 0, 1, 0x18), 512));
    }

    @Test
    void zeroBlocksTransferNothingUpToTheEndOfTheMedium() {
        assertGood(f.in(Cdbs.read10(0, 0), 0));
        assertGood(f.out(Cdbs.write10(4096, 0), new byte[0]));
        assertLbaOutOfRange(f.in(Cdbs.read10(4097, 0), 0));
        assertLbaOutOfRange(f.in(Cdbs.read16(-1, 0), 0));
        assertThat(f.volume.writes.get()).isZero();
    }

    @Test
    void beyondTheEndIsLbaOutOfRange() {
        assertLbaOutOfRange(f.in(Cdbs.read10(4095, 2), 1024));
        assertLbaOutOfRange(f.in(Cdbs.read16(0x8000000000000000L, 1), 512));
        assertLbaOutOfRange(f.in(Cdbs.read16(-1, 1), 512));
        assertLbaOutOfRange(f.out(Cdbs.write10(4096, 1), new byte[512]));
        assertLbaOutOfRange(f.in(Cdbs.rw(Cdbs.READ6, 0x1fffff, 1, 0), 512));
        assertThat(f.volume.writes.get()).isZero();
        assertGood(f.in(Cdbs.read10(4095, 1), 512));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 7})
    void protectionFieldsAreInvalid(int protect) {
        assertInvalidField(f.in(Cdbs.rw(Cdbs.READ10, 0, 1, protect << 5), 512));
        assertInvalidField(f.out(Cdbs.rw(Cdbs.WRITE16, 0, 1, protect << 5), new byte[512]));
        assertInvalidField(f.out(Cdbs.rw(Cdbs.VERIFY12, 0, 1, protect << 5 | 0x02), new byte[512]));
        assertInvalidField(f.out(Cdbs.rw(Cdbs.WRITE_VERIFY10, 0, 1, protect << 5), new byte[512]));
    }

    @Test
    void moreThanTheMaximumTransferLengthIsInvalid() {
        UnitFixture small = new UnitFixture(512, 1 << 16, new BlockLimits(64 << 10, 0, 0, 0, 1 << 20, 16, 1 << 20, 16));
        assertInvalidField(small.in(Cdbs.read16(0, 129), 129 * 512));
        assertGood(small.in(Cdbs.read16(0, 128), 128 * 512));
    }

    @Test
    void verifyComparesTheDataOutAndReportsTheFirstDifferentByte() {
        byte[] data = random(4 * 512, 7);
        f.write(10, data);
        assertGood(f.out(Cdbs.rw(Cdbs.VERIFY10, 10, 4, 0x02), data));
        byte[] changed = data.clone();
        changed[3 * 512 + 27] ^= 0x58;
        ScsiResponse r = f.out(Cdbs.rw(Cdbs.VERIFY16, 10, 4, 0x02), changed);
        assertSense(r, 0xe, 0x1d, 0x00);
        assertThat(information(r)).isEqualTo(3 * 512 + 27);
    }

    @Test
    void verifyWithoutByteCheckReadsTheMediumOnly() {
        f.volume.fill(0, 8, 1);
        assertGood(f.none(Cdbs.rw(Cdbs.VERIFY10, 0, 8, 0x10)));
        f.volume.failure = VolumeError.IO;
        assertSense(f.none(Cdbs.rw(Cdbs.VERIFY10, 0, 8, 0)), 0x3, 0x11, 0x00);
    }

    @Test
    void verifyByteCheck11bComparesEveryBlockWithOne() {
        f.volume.fill(20, 3, 0x33);
        assertGood(f.out(Cdbs.rw(Cdbs.VERIFY12, 20, 3, 0x06), Cdbs.filled(512, 0x33)));
        f.volume.fill(22, 1, 0x34);
        ScsiResponse r = f.out(Cdbs.rw(Cdbs.VERIFY12, 20, 3, 0x06), Cdbs.filled(512, 0x33));
        assertSense(r, 0xe, 0x1d, 0x00);
        assertThat(information(r)).isZero();
        assertInvalidField(f.out(Cdbs.rw(Cdbs.VERIFY12, 20, 3, 0x04), Cdbs.filled(512, 0x33)));
    }

    @Test
    void writeAndVerifyWritesDurablyAndChecks() {
        byte[] data = random(2 * 512, 9);
        assertGood(f.out(Cdbs.rw(Cdbs.WRITE_VERIFY16, 5, 2, 0x02), data));
        assertThat(f.volume.blocks(5, 2)).isEqualTo(data);
        assertThat(f.volume.fuaWrites.get()).isEqualTo(1);
        assertGood(f.out(Cdbs.rw(Cdbs.WRITE_VERIFY12, 5, 2, 0), data));
        assertInvalidField(f.out(Cdbs.rw(Cdbs.WRITE_VERIFY10, 5, 2, 0x04), data));
    }

    @Test
    void volumeErrorsBecomeSense() {
        f.volume.failure = VolumeError.IO;
        assertSense(f.in(Cdbs.read10(0, 1), 512), 0x3, 0x11, 0x00);
        assertSense(f.out(Cdbs.write10(0, 1), new byte[512]), 0x3, 0x0c, 0x00);
        f.volume.failure = VolumeError.NOSPC;
        assertSense(f.out(Cdbs.write10(0, 1), new byte[512]), 0x7, 0x27, 0x07);
        f.volume.failure = VolumeError.UNAVAILABLE;
        assertSense(f.in(Cdbs.read10(0, 1), 512), 0x2, 0x04, 0x01);
        f.volume.failure = VolumeError.ROFS;
        assertSense(f.out(Cdbs.write10(0, 1), new byte[512]), 0x7, 0x27, 0x00);
        f.volume.failure = VolumeError.STALE;
        assertSense(f.in(Cdbs.read10(0, 1), 512), 0x4, 0x44, 0x00);
        f.volume.failure = null;
        f.volume.bug = new IllegalStateException("a bug in the volume");
        assertSense(f.in(Cdbs.read10(0, 1), 512), 0x4, 0x44, 0x00);
    }

    @Test
    void fourKibibyteBlocks() {
        UnitFixture big = new UnitFixture(4096, 256);
        byte[] data = random(2 * 4096, 11);
        assertGood(big.out(Cdbs.write10(254, 2), data));
        assertThat(big.read(254, 2)).isEqualTo(data);
        assertLbaOutOfRange(big.in(Cdbs.read10(255, 2), 2 * 4096));
    }
}
