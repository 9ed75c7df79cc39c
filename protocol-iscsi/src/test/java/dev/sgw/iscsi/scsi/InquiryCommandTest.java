package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.sgw.iscsi.scsi.UnitFixture.assertGood;
import static dev.sgw.iscsi.scsi.UnitFixture.assertInvalidField;
import static dev.sgw.iscsi.scsi.UnitFixture.buffer;
import static dev.sgw.iscsi.scsi.UnitFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InquiryCommandTest {
    private final UnitFixture f = new UnitFixture();

    private ByteBuffer vpd(int page) {
        ScsiResponse r = f.in(Cdbs.inquiry(true, page, 255), 255);
        assertGood(r);
        ByteBuffer b = buffer(r);
        assertThat(b.get(1) & 0xff).isEqualTo(page);
        assertThat(b.getShort(2) & 0xffff).as("page length").isEqualTo(b.remaining() - 4);
        return b;
    }

    @Test
    void standardDataDescribesAnSpc4BlockDevice() {
        ScsiResponse r = f.in(Cdbs.inquiry(false, 0, 260), 260);
        assertGood(r);
        byte[] d = bytes(r);
        assertThat(d).hasSize(96);
        assertThat(d[0]).isZero(); // qualifier 0, direct access
        assertThat(d[1] & 0x80).isZero(); // not removable
        assertThat(d[2]).isEqualTo((byte) 6);
        assertThat(d[3] & 0x0f).isEqualTo(2);
        assertThat(d[4] & 0xff).isEqualTo(d.length - 5);
        assertThat(d[7] & 0x02).isEqualTo(2); // CMDQUE
        assertThat(new String(d, 8, 28, StandardCharsets.US_ASCII)).isEqualTo("SGW     sgw volume      0.1 ");
        ByteBuffer b = ByteBuffer.wrap(d);
        List<Integer> versions = new ArrayList<>();
        for (int i = 58; i < 74; i += 2) {
            versions.add(b.getShort(i) & 0xffff);
        }
        assertThat(versions).contains(0x04c0, 0x0460, 0x0960, 0x00a0);
    }

    @Test
    void pageCodeWithoutEvpdAndCmddtAreInvalid() {
        assertInvalidField(f.in(Cdbs.inquiry(false, 1, 255), 255));
        assertInvalidField(f.in(new byte[] {0x12, 0x02, 0, 0, (byte) 255, 0}, 255));
        assertInvalidField(f.in(Cdbs.inquiry(true, 0x81, 255), 255));
    }

    @Test
    void supportedPagesCanAllBeRead() {
        ByteBuffer b = vpd(0x00);
        byte[] pages = Arrays.copyOfRange(b.array(), 4, b.limit());
        assertThat(pages).containsExactly(0x00, 0x80, 0x83, (byte) 0xb0, (byte) 0xb1, (byte) 0xb2);
        for (byte page : pages) {
            vpd(page & 0xff);
        }
    }

    @Test
    void serialNumberAndIdentifiersAreStablePerVolume() {
        UnitIdentity one = UnitIdentity.forVolume("vol1");
        assertThat(UnitIdentity.forVolume("vol1")).isEqualTo(one);
        assertThat(UnitIdentity.forVolume("vol2").naa()).isNotEqualTo(one.naa());
        assertThat(UnitIdentity.forVolume("vol2").serial()).isNotEqualTo(one.serial());
        ByteBuffer serial = vpd(0x80);
        assertThat(new String(serial.array(), 4, serial.limit() - 4, StandardCharsets.US_ASCII))
                .isEqualTo(one.serial());
        assertThatThrownBy(() -> new UnitIdentity("TOO LONG VENDOR", "p", "1", "s", 3L << 60))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deviceIdentificationHasLogicalUnitAndPortDesignators() {
        ByteBuffer b = vpd(0x83);
        List<int[]> kinds = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int at = 4; at < b.limit(); ) {
            int length = b.get(at + 3) & 0xff;
            kinds.add(new int[] {b.get(at) >> 4 & 0xf, b.get(at) & 0xf, b.get(at + 1) >> 4 & 0x3, b.get(at + 1) & 0xf});
            values.add(Arrays.copyOfRange(b.array(), at + 4, at + 4 + length));
            at += 4 + length;
        }
        // {protocol, code set, association, type}
        assertThat(kinds.get(0)).containsExactly(0, 1, 0, 3);
        assertThat(ByteBuffer.wrap(values.get(0)).getLong())
                .isEqualTo(UnitIdentity.forVolume("vol1").naa());
        assertThat(values.get(0)[0] >> 4 & 0xf).isEqualTo(3);
        assertThat(kinds.get(1)).containsExactly(0, 2, 0, 1);
        assertThat(new String(values.get(1), StandardCharsets.US_ASCII)).startsWith("SGW     ");
        assertThat(kinds.get(2)).containsExactly(5, 1, 1, 4);
        assertThat(ByteBuffer.wrap(values.get(2)).getShort(2)).isEqualTo((short) 1);
        assertThat(kinds.get(3)).containsExactly(5, 3, 1, 8);
        assertThat(new String(values.get(3), StandardCharsets.UTF_8)).startsWith(UnitFixture.TARGET + ",t,0x0001\0");
        assertThat(values.get(3).length % 4).isZero();
        assertThat(kinds.get(4)).containsExactly(5, 3, 2, 8);
        assertThat(new String(values.get(4), StandardCharsets.UTF_8)).startsWith(UnitFixture.TARGET + "\0");
    }

    @Test
    void blockLimitsFollowTheLimitsInBlocks() {
        ByteBuffer b = vpd(0xb0);
        assertThat(b.limit()).isEqualTo(64);
        assertThat(b.get(4) & 0x01).as("WSNZ").isZero();
        assertThat(b.get(5) & 0xff).as("max compare and write").isEqualTo(255);
        assertThat(b.getShort(6)).as("optimal granularity").isEqualTo((short) 8);
        assertThat(b.getInt(8)).as("max transfer").isEqualTo(16384);
        assertThat(b.getInt(12)).as("optimal transfer").isEqualTo(2048);
        assertThat(b.getInt(20)).as("max unmap LBA count").isEqualTo(1 << 20);
        assertThat(b.getInt(24)).as("max unmap descriptors").isEqualTo(1024);
        assertThat(b.getLong(36)).as("max write same, capped").isEqualTo(65535);
        UnitFixture chunked = new UnitFixture(
                4096, 1024, new BlockLimits(8 << 20, 1 << 20, 4096, 4 << 20, 512L << 20, 1024, 1L << 30, 255));
        ByteBuffer c = buffer(chunked.in(Cdbs.inquiry(true, 0xb0, 255), 255));
        assertThat(c.getInt(28)).as("unmap granularity").isEqualTo(1024);
        assertThat(c.getInt(32)).as("UGAVALID").isEqualTo(0x80000000);
        assertThat(c.getInt(20)).isEqualTo(131072);
    }

    @Test
    void characteristicsAndProvisioning() {
        assertThat(vpd(0xb1).getShort(4)).as("non-rotating").isEqualTo((short) 1);
        ByteBuffer lbp = vpd(0xb2);
        assertThat(lbp.get(5) & 0xff).as("LBPU LBPWS LBPWS10 LBPRZ").isEqualTo(0xe4);
        assertThat(lbp.get(6) & 0x07).as("thin").isEqualTo(2);
    }
}
