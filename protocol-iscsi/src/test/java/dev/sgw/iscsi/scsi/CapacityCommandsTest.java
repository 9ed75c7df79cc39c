package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import static dev.sgw.iscsi.scsi.UnitFixture.A;
import static dev.sgw.iscsi.scsi.UnitFixture.B;
import static dev.sgw.iscsi.scsi.UnitFixture.assertGood;
import static dev.sgw.iscsi.scsi.UnitFixture.assertInvalidField;
import static dev.sgw.iscsi.scsi.UnitFixture.assertLbaOutOfRange;
import static dev.sgw.iscsi.scsi.UnitFixture.assertSense;
import static dev.sgw.iscsi.scsi.UnitFixture.buffer;
import static org.assertj.core.api.Assertions.assertThat;

class CapacityCommandsTest {
    private final UnitFixture f = new UnitFixture();

    @Test
    void readCapacity10() {
        ByteBuffer b = buffer(f.in(Cdbs.readCapacity10(), 8));
        assertThat(b.getInt(0)).isEqualTo(4095);
        assertThat(b.getInt(4)).isEqualTo(512);
        byte[] withLba = Cdbs.readCapacity10();
        withLba[5] = 1;
        assertInvalidField(f.in(withLba, 8));
        withLba[8] = 1; // PMI
        assertGood(f.in(withLba, 8));
    }

    @Test
    void readCapacity16ReportsThinProvisioningAndReadsZeros() {
        ByteBuffer b = buffer(f.in(Cdbs.readCapacity16(32), 32));
        assertThat(b.getLong(0)).isEqualTo(4095);
        assertThat(b.getInt(8)).isEqualTo(512);
        assertThat(b.get(12)).as("no protection").isZero();
        assertThat(b.get(13)).as("one block per physical block").isZero();
        assertThat(b.get(14) & 0xc0).as("LBPME LBPRZ").isEqualTo(0xc0);
        for (int allocation = 0; allocation < 16; allocation++) {
            ScsiResponse r = f.in(Cdbs.readCapacity16(allocation), 96);
            assertGood(r);
            assertThat(r.dataIn().remaining()).isEqualTo(allocation);
        }
    }

    @Test
    void getLbaStatusReportsTheRestOfTheMediumAsMappedOrUnknown() {
        ByteBuffer b = buffer(f.in(Cdbs.getLbaStatus(100, 24), 24));
        assertThat(b.getInt(0)).isEqualTo(20);
        assertThat(b.getLong(8)).isEqualTo(100);
        assertThat(b.getInt(16)).isEqualTo(4096 - 100);
        assertThat(b.get(20) & 0x0f).isZero();
        assertGood(f.in(Cdbs.getLbaStatus(4095, 24), 24));
        assertLbaOutOfRange(f.in(Cdbs.getLbaStatus(4096, 24), 24));
        assertLbaOutOfRange(f.in(Cdbs.getLbaStatus(0x8000000000000000L, 24), 24));
        assertLbaOutOfRange(f.in(Cdbs.getLbaStatus(-1, 24), 24));
        assertThat(f.in(Cdbs.getLbaStatus(0, 8), 24).dataIn().remaining()).isEqualTo(8);
    }

    @Test
    void aGrownVolumeReportsCapacityDataHasChangedOnceToEachNexusThenItsNewSize() {
        f.write(4095, new byte[512]);
        assertGood(f.none(B, Cdbs.testUnitReady()));

        f.volume.grow(8192L * 512);

        assertSense(f.in(A, Cdbs.readCapacity16(32), 32), 0x6, 0x2a, 0x09);
        ByteBuffer a = buffer(f.in(A, Cdbs.readCapacity16(32), 32));
        assertThat(a.getLong(0)).as("last LBA after the change").isEqualTo(8191);
        assertGood(f.none(A, Cdbs.testUnitReady()));

        assertSense(f.none(B, Cdbs.testUnitReady()), 0x6, 0x2a, 0x09);
        assertGood(f.none(B, Cdbs.testUnitReady()));
        ByteBuffer b = buffer(f.in(B, Cdbs.readCapacity10(), 8));
        assertThat(b.getInt(0)).isEqualTo(8191);

        f.write(8191, new byte[512]);
        assertLbaOutOfRange(f.in(Cdbs.read16(8192, 1), 512));
    }
}
