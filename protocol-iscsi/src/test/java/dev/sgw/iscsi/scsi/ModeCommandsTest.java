package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static dev.sgw.iscsi.scsi.UnitFixture.A;
import static dev.sgw.iscsi.scsi.UnitFixture.B;
import static dev.sgw.iscsi.scsi.UnitFixture.assertGood;
import static dev.sgw.iscsi.scsi.UnitFixture.assertInvalidField;
import static dev.sgw.iscsi.scsi.UnitFixture.assertSense;
import static dev.sgw.iscsi.scsi.UnitFixture.buffer;
import static dev.sgw.iscsi.scsi.UnitFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

class ModeCommandsTest {
    private final UnitFixture f = new UnitFixture();

    /** The CONTROL page as MODE SENSE (6) returns it without block descriptor, page control {@code pc}. */
    private byte[] controlPage(int pc) {
        byte[] d = bytes(f.in(Cdbs.modeSense6(0x08, pc, 0x0a, 0, 255), 255));
        return Arrays.copyOfRange(d, 4, d.length);
    }

    private ScsiResponse select6(ItNexus nexus, byte[] page) {
        byte[] list = new byte[4 + page.length];
        System.arraycopy(page, 0, list, 4, page.length);
        return f.out(nexus, Cdbs.modeSelect6(0x10, list.length), list);
    }

    @Test
    void allPagesWithShortBlockDescriptor() {
        ByteBuffer b = buffer(f.in(Cdbs.modeSense6(0, 0, 0x3f, 0, 255), 255));
        assertThat(b.get(0) & 0xff).as("mode data length").isEqualTo(b.limit() - 1);
        assertThat(b.get(2) & 0xff).as("DPOFUA, not write protected").isEqualTo(0x10);
        assertThat(b.get(3)).as("block descriptor length").isEqualTo((byte) 8);
        assertThat(b.getInt(4)).isEqualTo(4096);
        assertThat(b.getInt(8) & 0xffffff).isEqualTo(512);
        assertThat(b.get(12) & 0x3f).isEqualTo(0x08);
        assertThat(b.get(14) & 0x04).as("WCE").isEqualTo(0x04);
        assertThat(b.get(32) & 0x3f).isEqualTo(0x0a);
        assertThat(b.get(44) & 0x3f).isEqualTo(0x1c);
        assertThat(b.limit()).isEqualTo(56);
        assertThat(bytes(f.in(Cdbs.modeSense6(0, 0, 0x3f, 0xff, 255), 255))).isEqualTo(b.array());
    }

    @Test
    void modeSense10WithLongLba() {
        ByteBuffer b = buffer(f.in(Cdbs.modeSense10(0x10, 0, 0x08, 0, 1024), 1024));
        assertThat(b.getShort(0)).isEqualTo((short) (b.limit() - 2));
        assertThat(b.get(4) & 0x01).as("LONGLBA").isEqualTo(1);
        assertThat(b.getShort(6)).isEqualTo((short) 16);
        assertThat(b.getLong(8)).isEqualTo(4096);
        assertThat(b.getInt(20)).isEqualTo(512);
        assertThat(b.get(24)).isEqualTo((byte) 0x08);
        ByteBuffer noDescriptor = buffer(f.in(Cdbs.modeSense10(0x18, 0, 0x08, 0, 1024), 1024));
        assertThat(noDescriptor.getShort(6)).isZero();
        assertThat(noDescriptor.limit()).isEqualTo(8 + 20);
    }

    @Test
    void pageControls() {
        assertThat(controlPage(1)[4]).as("SWP changeable").isEqualTo((byte) 0x08);
        assertThat(controlPage(2)[8] & 0xff).as("busy timeout").isEqualTo(0xff);
        assertSense(f.in(Cdbs.modeSense6(0, 3, 0x3f, 0, 255), 255), 0x5, 0x39, 0x00);
        assertInvalidField(f.in(Cdbs.modeSense6(0, 0, 0x19, 0, 255), 255));
        assertInvalidField(f.in(Cdbs.modeSense6(0, 0, 0x0a, 1, 255), 255));
    }

    @Test
    void truncationKeepsTheFullModeDataLength() {
        ScsiResponse r = f.in(Cdbs.modeSense6(0, 0, 0x3f, 0, 4), 255);
        assertThat(bytes(r)).hasSize(4);
        assertThat(bytes(r)[0] & 0xff).isEqualTo(55);
    }

    @Test
    void softwareWriteProtectBlocksWritesUntilCleared() {
        f.none(B, Cdbs.testUnitReady());
        byte[] page = controlPage(0);
        page[4] |= 0x08;
        assertGood(select6(A, page));
        assertThat(controlPage(0)[4] & 0x08).isEqualTo(0x08);
        assertThat(bytes(f.in(Cdbs.modeSense6(0, 0, 0x3f, 0, 255), 255))[2] & 0x80)
                .as("WP")
                .isEqualTo(0x80);
        assertSense(f.out(Cdbs.write10(0, 1), new byte[512]), 0x7, 0x27, 0x00);
        assertSense(f.out(Cdbs.writeSame10(0, 1, 0), new byte[512]), 0x7, 0x27, 0x00);
        assertGood(f.in(Cdbs.read10(0, 1), 512));
        assertSense(f.none(B, Cdbs.testUnitReady()), 0x6, 0x2a, 0x01);
        assertGood(f.none(B, Cdbs.testUnitReady()));
        page[4] &= ~0x08;
        assertGood(select6(A, page));
        assertGood(f.out(Cdbs.write10(0, 1), new byte[512]));
    }

    @Test
    void writeCacheDisabledMakesEveryWriteDurable() {
        byte[] d = bytes(f.in(Cdbs.modeSense10(0x08, 0, 0x08, 0, 255), 255));
        byte[] list = d.clone();
        list[0] = 0;
        list[1] = 0;
        list[8 + 2] &= ~0x04;
        assertGood(f.out(Cdbs.modeSelect10(0x10, list.length), list));
        assertGood(f.out(Cdbs.write10(0, 1), new byte[512]));
        assertThat(f.volume.fuaWrites.get()).isEqualTo(1);
        f.lu.reset(A);
        f.none(Cdbs.testUnitReady());
        assertGood(f.out(Cdbs.write10(0, 1), new byte[512]));
        assertThat(f.volume.fuaWrites.get()).as("reset restores WCE=1").isEqualTo(1);
    }

    @Test
    void selectRejectsWhatCannotChange() {
        byte[] page = controlPage(0);
        page[2] |= 0x04; // D_SENSE is not changeable
        assertSense(select6(A, page), 0x5, 0x26, 0x00);
        byte[] shortPage = Arrays.copyOf(controlPage(0), 8);
        shortPage[1] = 6;
        assertSense(select6(A, shortPage), 0x5, 0x26, 0x00);
        byte[] unknown = new byte[] {0x19, 2, 0, 0};
        assertSense(select6(A, unknown), 0x5, 0x26, 0x00);
        assertSense(f.out(Cdbs.modeSelect6(0x10, 3), new byte[3]), 0x5, 0x1a, 0x00);
        assertInvalidField(f.out(Cdbs.modeSelect6(0x11, 4), new byte[4]));
        byte[] truncated = new byte[4 + 6];
        System.arraycopy(controlPage(0), 0, truncated, 4, 6);
        assertSense(f.out(Cdbs.modeSelect6(0x10, truncated.length), truncated), 0x5, 0x1a, 0x00);
        assertGood(f.out(Cdbs.modeSelect6(0x10, 0), new byte[0]));
    }

    @Test
    void selectAcceptsABlockDescriptorThatRestatesTheMedium() {
        byte[] list = new byte[4 + 8];
        list[3] = 8;
        ByteBuffer.wrap(list).putInt(8, 512);
        assertGood(f.out(Cdbs.modeSelect6(0x10, list.length), list));
        ByteBuffer.wrap(list).putInt(8, 4096);
        assertSense(f.out(Cdbs.modeSelect6(0x10, list.length), list), 0x5, 0x26, 0x00);
    }
}
