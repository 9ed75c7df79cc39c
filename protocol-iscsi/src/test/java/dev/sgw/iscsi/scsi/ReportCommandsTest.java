package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.sgw.iscsi.scsi.UnitFixture.assertGood;
import static dev.sgw.iscsi.scsi.UnitFixture.assertInvalidField;
import static dev.sgw.iscsi.scsi.UnitFixture.buffer;
import static org.assertj.core.api.Assertions.assertThat;

class ReportCommandsTest {
    private final UnitFixture f = new UnitFixture();

    /** {opcode, service action, SERVACTV, CDB length} of every descriptor of reporting option 000b. */
    private List<int[]> allDescriptors(boolean timeouts) {
        ByteBuffer b = buffer(f.in(Cdbs.reportOpcodes(timeouts, 0, 0, 0, 65535), 65535));
        assertThat(b.getInt(0)).isEqualTo(b.limit() - 4);
        List<int[]> out = new ArrayList<>();
        for (int at = 4; at < b.limit(); ) {
            boolean ctdp = (b.get(at + 5) & 0x02) != 0;
            assertThat(ctdp).isEqualTo(timeouts);
            out.add(new int[] {b.get(at) & 0xff, b.getShort(at + 2), b.get(at + 5) & 0x01, b.getShort(at + 6)});
            if (ctdp) {
                assertThat(b.getShort(at + 8)).as("timeouts descriptor length").isEqualTo((short) 0x0a);
            }
            at += ctdp ? 20 : 8;
        }
        return out;
    }

    @Test
    void reportLuns() {
        ByteBuffer b = buffer(f.in(Cdbs.reportLuns(0, 1024), 1024));
        assertThat(b.limit()).isEqualTo(16);
        assertThat(b.getInt(0)).isEqualTo(8);
        assertThat(b.getLong(8)).isZero();
        assertThat(buffer(f.in(Cdbs.reportLuns(2, 1024), 1024)).limit()).isEqualTo(16);
        assertThat(buffer(f.in(Cdbs.reportLuns(1, 1024), 1024)).getInt(0)).isZero();
        assertInvalidField(f.in(Cdbs.reportLuns(3, 1024), 1024));
        assertThat(f.in(Cdbs.reportLuns(0, 4), 1024).dataIn().remaining()).isEqualTo(4);
    }

    @Test
    void everyCommandOfTheTableIsReported() {
        List<int[]> all = allDescriptors(false);
        assertThat(all).hasSize(53);
        for (int[] d : all) {
            boolean hasActions = d[0] == 0x5e || d[0] == 0x5f || d[0] == 0x9e || d[0] == 0xa3;
            assertThat(d[2]).as("SERVACTV of %x", d[0]).isEqualTo(hasActions ? 1 : 0);
            if (!hasActions) {
                assertThat(d[1]).isZero();
            }
            assertThat(d[3]).isEqualTo(ReadWriteCommands.Extent.lengthOf(d[0]));
        }
        assertThat(all).anySatisfy(d -> assertThat(d).containsExactly(0x9e, 0x12, 1, 16));
        assertThat(allDescriptors(true)).hasSize(53);
    }

    @Test
    void oneCommandFollowsTheServiceActionRules() {
        for (int[] d : allDescriptors(false)) {
            int options = d[2] == 1 ? 2 : 1;
            ByteBuffer b = buffer(f.in(Cdbs.reportOpcodes(false, options, d[0], d[1], 512), 512));
            assertThat(b.get(1) & 0x07).as("supported %x/%x", d[0], d[1]).isEqualTo(3);
            assertThat(b.getShort(2)).isEqualTo((short) d[3]);
            assertThat(b.get(4) & 0xff).isEqualTo(d[0]);
            assertInvalidField(f.in(Cdbs.reportOpcodes(false, 3 - options, d[0], d[1], 512), 512));
            assertGood(f.in(Cdbs.reportOpcodes(false, 3, d[0], d[1], 512), 512));
        }
    }

    @Test
    void usageDataShowsDpoAndFuaAndUnsupportedOpcodes() {
        ByteBuffer read10 = buffer(f.in(Cdbs.reportOpcodes(true, 1, 0x28, 0, 512), 512));
        assertThat(read10.get(1) & 0x80).as("CTDP").isEqualTo(0x80);
        assertThat(read10.get(5) & 0x18).isEqualTo(0x18);
        assertThat(read10.limit()).isEqualTo(4 + 10 + 12);
        ByteBuffer orWrite = buffer(f.in(Cdbs.reportOpcodes(false, 1, 0x8b, 0, 512), 512));
        assertThat(orWrite.get(1) & 0x07).as("ORWRITE supported").isEqualTo(3);
        assertThat(orWrite.get(5) & 0x18).isEqualTo(0x18);
        ByteBuffer verify10 = buffer(f.in(Cdbs.reportOpcodes(false, 1, 0x2f, 0, 512), 512));
        assertThat(verify10.get(5) & 0x10).isEqualTo(0x10);
        ByteBuffer format = buffer(f.in(Cdbs.reportOpcodes(false, 1, 0x04, 0, 512), 512));
        assertThat(format.get(1) & 0x07).as("not supported").isEqualTo(1);
        ByteBuffer unknownAction = buffer(f.in(Cdbs.reportOpcodes(false, 2, 0x9e, 0x11, 512), 512));
        assertThat(unknownAction.get(1) & 0x07).isEqualTo(1);
        assertInvalidField(f.in(Cdbs.reportOpcodes(false, 4, 0, 0, 512), 512));
    }

    @Test
    void taskManagementFunctions() {
        ByteBuffer b = buffer(f.in(Cdbs.reportTaskManagementFunctions(false, 4), 4));
        assertThat(b.limit()).isEqualTo(4);
        assertThat(b.get(0) & 0xff).as("ATS ATSS CTSS LURS TRS").isEqualTo(0xda);
        ByteBuffer extended = buffer(f.in(Cdbs.reportTaskManagementFunctions(true, 16), 16));
        assertThat(extended.limit()).isEqualTo(16);
        assertThat(extended.get(3)).isEqualTo((byte) 0x0c);
    }
}
