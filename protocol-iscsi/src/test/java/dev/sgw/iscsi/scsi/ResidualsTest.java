package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.sgw.iscsi.scsi.UnitFixture.assertGood;
import static dev.sgw.iscsi.scsi.UnitFixture.assertSense;
import static dev.sgw.iscsi.scsi.UnitFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/** The iSCSI residual cases of libiscsi's iSCSIResiduals suite, and allocation lengths. */
class ResidualsTest {
    private final UnitFixture f = new UnitFixture();

    @Test
    void readWithExpectedLengthZeroIsAnOverflowOfOneBlock() {
        ScsiResponse r = f.in(Cdbs.read10(0, 1), 0);
        assertGood(r);
        assertThat(r.dataIn().remaining()).isZero();
        assertThat(r.residual()).isEqualTo(-512);
    }

    @Test
    void readWithMoreExpectedIsAnUnderflow() {
        ScsiResponse r = f.in(Cdbs.read10(0, 1), 10000);
        assertGood(r);
        assertThat(r.dataIn().remaining()).isEqualTo(512);
        assertThat(r.residual()).isEqualTo(10000 - 512);
    }

    @Test
    void readWithLessExpectedSendsOnlyThat() {
        f.volume.fill(0, 2, 0x61);
        ScsiResponse r = f.in(Cdbs.read10(0, 1), 200);
        assertGood(r);
        assertThat(bytes(r)).hasSize(200).containsOnly((byte) 0x61);
        assertThat(r.residual()).as("overflow").isEqualTo(200 - 512);
        ScsiResponse two = f.in(Cdbs.read10(0, 2), 512);
        assertThat(bytes(two)).hasSize(512);
        assertThat(two.residual()).isEqualTo(-512);
    }

    @Test
    void readSentAsAWriteSucceedsWithoutDataIn() {
        ScsiResponse r = f.lu.execute(
                new ScsiCommand(UnitFixture.A, 0, Cdbs.read10(0, 1), false, true, 512, ByteBuffer.wrap(new byte[512])));
        assertGood(r);
        assertThat(r.dataIn().remaining()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0x2a, 0xaa, 0x8a, 0x2e, 0xae, 0x8e})
    void writeWithOneBlockOfTwoSentWritesThatBlockAndReportsTheOverflow(int opcode) {
        f.volume.fill(0, 2, 'a');
        ScsiResponse r = f.out(Cdbs.rw(opcode, 0, 2, 0), Cdbs.filled(512, 'b'));
        assertGood(r);
        assertThat(r.residual()).as("overflow of one block").isEqualTo(-512);
        assertThat(f.volume.blocks(0, 1)).containsOnly((byte) 'b');
        assertThat(f.volume.blocks(1, 1)).containsOnly((byte) 'a');
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 200})
    void writeWithLessThanABlockSentWritesNothingAndReportsTheOverflow(int sent) {
        f.volume.fill(0, 1, 'a');
        ScsiResponse r = f.out(Cdbs.write10(0, 1), Cdbs.filled(sent, 'b'));
        assertGood(r);
        assertThat(r.residual()).isEqualTo(sent - 512);
        assertThat(f.volume.blocks(0, 1)).containsOnly((byte) 'a');
    }

    @Test
    void writeAndVerifyWithByteCheckComparesTheBlocksItWrote() {
        ScsiResponse r = f.out(Cdbs.rw(Cdbs.WRITE_VERIFY16, 0, 3, 0x02), Cdbs.filled(1024 + 100, 'c'));
        assertGood(r);
        assertThat(r.residual()).isEqualTo(1124 - 1536);
        assertThat(f.volume.blocks(0, 2)).containsOnly((byte) 'c');
        assertThat(f.volume.blocks(2, 1)).containsOnly((byte) 0);
    }

    @Test
    void parameterListShorterThanItsLengthIsStillAnInformationUnitError() {
        ScsiResponse r = f.out(Cdbs.unmap(24), new byte[8]);
        assertSense(r, 0x5, 0x0e, 0x03);
        assertThat(r.residual()).isEqualTo(8 - 24);
    }

    @Test
    void writeWithMoreDataOutWritesOnlyTheCdbsBlocks() {
        f.volume.fill(0, 2, 'a');
        ScsiResponse r = f.out(Cdbs.write10(0, 1), Cdbs.filled(1024, 'b'));
        assertGood(r);
        assertThat(r.residual()).isEqualTo(512);
        assertThat(f.volume.blocks(0, 1)).containsOnly((byte) 'b');
        assertThat(f.volume.blocks(1, 1)).containsOnly((byte) 'a');
    }

    @Test
    void commandWithoutDataLeavesTheWholeExpectedLength() {
        ScsiResponse r = f.in(Cdbs.testUnitReady(), 64);
        assertGood(r);
        assertThat(r.residual()).isEqualTo(64);
        assertThat(f.none(Cdbs.testUnitReady()).residual()).isZero();
    }

    @Test
    void allocationLengthCutsDataInAndTheRestIsAnUnderflow() {
        for (int allocation = 0; allocation < 256; allocation++) {
            ScsiResponse r = f.in(Cdbs.inquiry(false, 0, allocation), 255);
            assertGood(r);
            assertThat(r.dataIn().remaining()).isEqualTo(Math.min(allocation, 96));
            assertThat(r.residual()).isEqualTo(255 - Math.min(allocation, 96));
        }
        ScsiResponse small = f.in(Cdbs.modeSense6(0, 0, 0x3f, 0, 4), 4);
        assertThat(small.dataIn().remaining()).isEqualTo(4);
        assertThat(small.residual()).isZero();
    }
}
