package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static dev.sgw.iscsi.scsi.UnitFixture.A;
import static dev.sgw.iscsi.scsi.UnitFixture.B;
import static dev.sgw.iscsi.scsi.UnitFixture.assertGood;
import static dev.sgw.iscsi.scsi.UnitFixture.assertInvalidField;
import static dev.sgw.iscsi.scsi.UnitFixture.assertLbaOutOfRange;
import static dev.sgw.iscsi.scsi.UnitFixture.assertSense;
import static dev.sgw.iscsi.scsi.UnitFixture.buffer;
import static org.assertj.core.api.Assertions.assertThat;

/** The command pipeline: opcode table, CDB checks, unit attentions, and the small commands. */
class BlockLogicalUnitTest {
    private final UnitFixture f = new UnitFixture();

    @Test
    void unknownOpcodesAndServiceActions() {
        assertSense(f.none(new byte[] {0x04, 0, 0, 0, 0, 0}), 0x5, 0x20, 0x00); // FORMAT UNIT
        assertSense(f.none(new byte[] {(byte) 0xff, 0, 0, 0, 0, 0}), 0x5, 0x20, 0x00);
        assertSense(f.none(new byte[0]), 0x5, 0x20, 0x00);
        byte[] readLong = Cdbs.readCapacity16(32);
        readLong[1] = 0x11;
        assertInvalidField(f.in(readLong, 32));
    }

    @Test
    void shortCdbsAndNacaAreInvalid() {
        assertInvalidField(f.in(Arrays.copyOf(Cdbs.read16(0, 1), 10), 512));
        byte[] naca = Cdbs.read10(0, 1);
        naca[9] = 0x04;
        assertInvalidField(f.in(naca, 512));
        byte[] sixteenByteField = Arrays.copyOf(Cdbs.read10(0, 1), 16);
        assertGood(f.in(sixteenByteField, 512));
    }

    @Test
    void resetRaisesAUnitAttentionForEveryNexusOnce() {
        assertGood(f.none(A, Cdbs.testUnitReady()));
        assertGood(f.none(B, Cdbs.testUnitReady()));
        f.lu.reset(A);
        assertGood(f.in(A, Cdbs.inquiry(false, 0, 96), 96));
        assertGood(f.in(A, Cdbs.reportLuns(0, 16), 16));
        assertSense(f.in(A, Cdbs.read10(0, 1), 512), 0x6, 0x29, 0x00);
        assertGood(f.in(A, Cdbs.read10(0, 1), 512));
        ByteBuffer sense = buffer(f.in(B, Cdbs.requestSense(252), 252));
        assertThat(sense.limit()).isEqualTo(18);
        assertThat(sense.get(0) & 0x7f).isEqualTo(0x70);
        assertThat(sense.get(2) & 0x0f).isEqualTo(6);
        assertThat(sense.get(12)).isEqualTo((byte) 0x29);
        assertGood(f.none(B, Cdbs.testUnitReady()));
        f.lu.nexusLost(B);
        f.lu.reset(A);
        assertGood(f.none(B, Cdbs.testUnitReady()));
    }

    @Test
    void requestSenseWithoutAnythingPending() {
        ByteBuffer sense = buffer(f.in(Cdbs.requestSense(18), 18));
        assertThat(sense.get(2) & 0x0f).isZero();
        assertThat(sense.get(12)).isZero();
        assertThat(sense.get(7)).isEqualTo((byte) 10);
        assertInvalidField(f.in(new byte[] {0x03, 0x01, 0, 0, 18, 0}, 18));
        assertThat(f.in(Cdbs.requestSense(8), 18).dataIn().remaining()).isEqualTo(8);
    }

    @Test
    void startStopUnitOnAFixedMedium() {
        assertInvalidField(f.none(Cdbs.startStopUnit(0x02))); // LOEJ
        assertInvalidField(f.none(Cdbs.startStopUnit(0x03)));
        assertGood(f.none(Cdbs.startStopUnit(0x01)));
        assertThat(f.volume.flushes.get()).isZero();
        assertGood(f.none(Cdbs.startStopUnit(0x00)));
        assertThat(f.volume.flushes.get()).as("a stop flushes").isEqualTo(1);
        assertGood(f.none(Cdbs.startStopUnit(0x04)));
        assertThat(f.volume.flushes.get()).as("NO_FLUSH").isEqualTo(1);
        assertGood(f.none(Cdbs.testUnitReady()));
        assertGood(f.none(Cdbs.preventAllow(1)));
        assertGood(f.none(Cdbs.preventAllow(0)));
    }

    @Test
    void synchronizeCacheFlushesAndChecksItsRange() {
        assertGood(f.none(Cdbs.synchronizeCache10(0, 0)));
        assertGood(f.none(Cdbs.synchronizeCache16(4000, 96)));
        assertThat(f.volume.flushes.get()).isEqualTo(2);
        assertLbaOutOfRange(f.none(Cdbs.synchronizeCache16(4000, 97)));
        assertLbaOutOfRange(f.none(Cdbs.synchronizeCache10(4097, 0)));
        assertThat(f.volume.flushes.get()).isEqualTo(2);
        f.volume.failure = dev.sgw.core.volume.VolumeError.IO;
        assertSense(f.none(Cdbs.synchronizeCache10(0, 0)), 0x3, 0x0c, 0x00);
    }

    @Test
    void preFetchChecksItsRange() {
        assertGood(f.none(Cdbs.preFetch10(0, 0)));
        assertGood(f.none(Cdbs.preFetch10(4095, 1)));
        assertLbaOutOfRange(f.none(Cdbs.preFetch10(4097, 0)));
        assertLbaOutOfRange(f.none(Cdbs.preFetch10(0xffffffffL, 1)));
    }

    @Test
    void absentLogicalUnit() {
        AbsentLogicalUnit absent = new AbsentLogicalUnit();
        ScsiResponse inquiry = absent.execute(
                new ScsiCommand(A, 3, Cdbs.inquiry(false, 0, 255), true, false, 255, ByteBuffer.allocate(0)));
        assertGood(inquiry);
        assertThat(inquiry.dataIn().remaining()).isEqualTo(36);
        assertThat(inquiry.dataIn().get(0)).isEqualTo((byte) 0x7f);
        assertThat(inquiry.residual()).isEqualTo(255 - 36);
        ScsiResponse read =
                absent.execute(new ScsiCommand(A, 3, Cdbs.read10(0, 1), true, false, 512, ByteBuffer.allocate(0)));
        assertSense(read, 0x5, 0x25, 0x00);
        ScsiResponse luns =
                absent.execute(new ScsiCommand(A, 3, Cdbs.reportLuns(0, 16), true, false, 16, ByteBuffer.allocate(0)));
        assertThat(luns.dataIn().getInt(0)).isEqualTo(8);
        ScsiResponse sense =
                absent.execute(new ScsiCommand(A, 3, Cdbs.requestSense(18), true, false, 18, ByteBuffer.allocate(0)));
        assertThat(sense.dataIn().get(12)).isEqualTo((byte) 0x25);
    }
}
