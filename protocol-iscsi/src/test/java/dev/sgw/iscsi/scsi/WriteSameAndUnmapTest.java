package dev.sgw.iscsi.scsi;

import org.junit.jupiter.api.Test;

import static dev.sgw.iscsi.scsi.UnitFixture.assertGood;
import static dev.sgw.iscsi.scsi.UnitFixture.assertInvalidField;
import static dev.sgw.iscsi.scsi.UnitFixture.assertLbaOutOfRange;
import static dev.sgw.iscsi.scsi.UnitFixture.assertSense;
import static org.assertj.core.api.Assertions.assertThat;

class WriteSameAndUnmapTest {
    private final UnitFixture f = new UnitFixture();

    @Test
    void writeSameRepeatsTheBlock() {
        byte[] block = Cdbs.filled(512, 0x77);
        block[0] = 1;
        assertGood(f.out(Cdbs.writeSame10(10, 300, 0), block));
        for (int i = 0; i < 300; i++) {
            assertThat(f.volume.blocks(10 + i, 1)).isEqualTo(block);
        }
        assertThat(f.volume.blocks(310, 1)).containsOnly(0);
    }

    @Test
    void theUnmapBitDeallocatesWhateverTheBlockHolds() {
        f.volume.fill(4000, 96, 0x11);
        assertGood(f.out(Cdbs.writeSame16(4000, 48, 0x08), Cdbs.filled(512, 0xff)));
        assertGood(f.out(Cdbs.writeSame10(4048, 0, 0x08), Cdbs.filled(512, 0xff)));
        assertThat(f.volume.blocks(4000, 96)).containsOnly(0);
        assertThat(f.volume.log()).containsExactly("unmap 4000 48", "unmap 4048 48");
        assertThat(f.volume.writes.get()).isZero();
    }

    @Test
    void maximumWriteSameLengthIsAtMost65535Blocks() {
        UnitFixture large = new UnitFixture(512, 1 << 17);
        assertInvalidField(large.out(Cdbs.writeSame16(0, 65536, 0x08), new byte[512]));
        assertGood(large.out(Cdbs.writeSame16(0, 65535, 0x08), new byte[512]));
        ScsiResponse page = large.in(Cdbs.inquiry(true, 0xb0, 64), 64);
        assertThat(UnitFixture.buffer(page).getLong(36)).isEqualTo(65535);
    }

    @Test
    void zerosAreUnmappedWithOrWithoutTheUnmapBit() {
        f.volume.fill(0, 64, 0xff);
        assertGood(f.out(Cdbs.writeSame10(0, 32, 0x08), new byte[512]));
        assertGood(f.out(Cdbs.writeSame16(32, 32, 0), new byte[512]));
        assertThat(f.volume.blocks(0, 64)).containsOnly(0);
        assertThat(f.volume.log()).containsExactly("unmap 0 32", "unmap 32 32");
        assertThat(f.volume.writes.get()).isZero();
    }

    @Test
    void noDataOutMeansZeros() {
        f.volume.fill(7, 3, 0xff);
        assertGood(f.out(Cdbs.writeSame16(7, 3, 0x09), new byte[0]));
        assertThat(f.volume.blocks(7, 3)).containsOnly(0);
        assertInvalidField(f.out(Cdbs.writeSame10(7, 3, 0x01), new byte[512]));
    }

    @Test
    void zeroBlocksMeanUpToTheEnd() {
        f.volume.fill(4000, 96, 0xff);
        assertGood(f.out(Cdbs.writeSame16(4000, 0, 0x08), new byte[512]));
        assertThat(f.volume.blocks(4000, 96)).containsOnly(0);
        assertLbaOutOfRange(f.out(Cdbs.writeSame16(4097, 0, 0), new byte[512]));
        assertLbaOutOfRange(f.out(Cdbs.writeSame16(0x8000000000000000L, 0, 0), new byte[512]));
    }

    @Test
    void writeSameChecks() {
        assertLbaOutOfRange(f.out(Cdbs.writeSame10(4095, 2, 0), new byte[512]));
        assertInvalidField(f.out(Cdbs.writeSame10(0, 1, 0x10), new byte[512])); // ANCHOR
        assertInvalidField(f.out(Cdbs.writeSame16(0, 1, 0x20), new byte[512])); // WRPROTECT
        assertInvalidField(f.out(Cdbs.writeSame16(0, 1, 0x04), new byte[512])); // PBDATA
        assertInvalidField(f.out(Cdbs.writeSame16(0, 1, 0x08), new byte[1024])); // more than one block
        assertSense(f.out(Cdbs.writeSame16(0, 1, 0x08), new byte[256]), 0x5, 0x0e, 0x03);
        UnitFixture limited = new UnitFixture(512, 4096, new BlockLimits(1 << 20, 0, 0, 0, 1 << 20, 8, 64 << 10, 8));
        assertInvalidField(limited.out(Cdbs.writeSame10(0, 129, 0), new byte[512]));
        assertInvalidField(limited.out(Cdbs.writeSame10(0, 0, 0), new byte[512]));
        assertGood(limited.out(Cdbs.writeSame10(0, 128, 0), new byte[512]));
    }

    @Test
    void unmapDiscardsEveryDescriptor() {
        f.volume.fill(0, 300, 'a');
        byte[] list =
                Cdbs.unmapList(new long[] {0, 10}, new long[] {100, 1}, new long[] {200, 0}, new long[] {250, 50});
        ScsiResponse r = f.out(Cdbs.unmap(list.length), list);
        assertGood(r);
        assertThat(r.residual()).isZero();
        assertThat(f.volume.blocks(0, 10)).containsOnly(0);
        assertThat(f.volume.blocks(10, 90)).containsOnly('a');
        assertThat(f.volume.blocks(100, 1)).containsOnly(0);
        assertThat(f.volume.blocks(250, 50)).containsOnly(0);
        assertThat(f.volume.log()).containsExactly("unmap 0 10", "unmap 100 1", "unmap 250 50");
    }

    @Test
    void unmapOfNothing() {
        assertGood(f.out(Cdbs.unmap(0), new byte[0]));
        byte[] empty = Cdbs.unmapList();
        assertGood(f.out(Cdbs.unmap(empty.length), empty));
        byte[] atEnd = Cdbs.unmapList(new long[] {4096, 0});
        assertGood(f.out(Cdbs.unmap(atEnd.length), atEnd));
        assertThat(f.volume.unmaps.get()).isZero();
    }

    @Test
    void unmapChecksEverythingBeforeDiscardingAnything() {
        f.volume.fill(0, 16, 'a');
        byte[] past = Cdbs.unmapList(new long[] {0, 8}, new long[] {4090, 7});
        assertLbaOutOfRange(f.out(Cdbs.unmap(past.length), past));
        assertThat(f.volume.unmaps.get()).isZero();
        for (int length = 1; length < 8; length++) {
            assertSense(f.out(Cdbs.unmap(length), new byte[length]), 0x5, 0x1a, 0x00);
        }
        byte[] anchor = Cdbs.unmap(24);
        anchor[1] = 1;
        assertInvalidField(f.out(anchor, Cdbs.unmapList(new long[] {0, 1})));
        UnitFixture limited = new UnitFixture(512, 4096, new BlockLimits(1 << 20, 0, 0, 0, 64 << 10, 2, 1 << 20, 8));
        byte[] three = Cdbs.unmapList(new long[] {0, 1}, new long[] {1, 1}, new long[] {2, 1});
        assertSense(limited.out(Cdbs.unmap(three.length), three), 0x5, 0x26, 0x00);
        byte[] tooMany = Cdbs.unmapList(new long[] {0, 100}, new long[] {200, 29});
        assertSense(limited.out(Cdbs.unmap(tooMany.length), tooMany), 0x5, 0x26, 0x00);
        assertThat(limited.volume.unmaps.get()).isZero();
    }

    @Test
    void incompleteLastDescriptorIsIgnored() {
        f.volume.fill(0, 4, 'a');
        byte[] list = Cdbs.unmapList(new long[] {0, 1}, new long[] {2, 1});
        java.nio.ByteBuffer.wrap(list).putShort(2, (short) 24);
        assertGood(f.out(Cdbs.unmap(list.length), list));
        assertThat(f.volume.blocks(0, 1)).containsOnly(0);
        assertThat(f.volume.blocks(2, 1)).containsOnly('a');
    }
}
