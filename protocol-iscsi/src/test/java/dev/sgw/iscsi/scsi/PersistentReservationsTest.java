package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.sgw.iscsi.scsi.UnitFixture.A;
import static dev.sgw.iscsi.scsi.UnitFixture.A_OTHER_PORT;
import static dev.sgw.iscsi.scsi.UnitFixture.B;
import static dev.sgw.iscsi.scsi.UnitFixture.assertConflict;
import static dev.sgw.iscsi.scsi.UnitFixture.assertGood;
import static dev.sgw.iscsi.scsi.UnitFixture.assertInvalidField;
import static dev.sgw.iscsi.scsi.UnitFixture.assertSense;
import static dev.sgw.iscsi.scsi.UnitFixture.buffer;
import static org.assertj.core.api.Assertions.assertThat;

class PersistentReservationsTest {
    private static final int REGISTER = 0;
    private static final int RESERVE = 1;
    private static final int RELEASE = 2;
    private static final int CLEAR = 3;
    private static final int PREEMPT = 4;
    private static final int REGISTER_AND_IGNORE = 6;
    private static final ItNexus C = new ItNexus("iqn.2024-01.test:initiator-c", 3, UnitFixture.TARGET, 1);

    private final UnitFixture f = new UnitFixture();

    @BeforeEach
    void everyNexusSaysHello() {
        for (ItNexus n : new ItNexus[] {A, B, C, A_OTHER_PORT}) {
            assertGood(f.none(n, Cdbs.testUnitReady()));
        }
    }

    private ScsiResponse out(ItNexus nexus, int action, int type, long key, long serviceActionKey, int flags) {
        return f.out(
                nexus,
                Cdbs.persistentReserveOut(action, type, 24),
                Cdbs.reserveParameters(key, serviceActionKey, flags));
    }

    private ScsiResponse out(ItNexus nexus, int action, int type, long key, long serviceActionKey) {
        return out(nexus, action, type, key, serviceActionKey, 0);
    }

    private ByteBuffer in(ItNexus nexus, int action) {
        ScsiResponse r = f.in(nexus, Cdbs.persistentReserveIn(action, 8192), 8192);
        assertGood(r);
        return buffer(r);
    }

    /** The registered keys, as C (which no unit attention reaches in these tests) reads them. */
    private List<Long> keys() {
        ByteBuffer b = in(C, 0);
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < b.getInt(4) / 8; i++) {
            keys.add(b.getLong(8 + 8 * i));
        }
        return keys;
    }

    private boolean canRead(ItNexus n) {
        ScsiResponse r = f.in(n, Cdbs.read10(1, 1), 512);
        return r.status() == ScsiResponse.GOOD;
    }

    private boolean canWrite(ItNexus n) {
        ScsiResponse r = f.out(n, Cdbs.write10(1, 1), new byte[512]);
        if (r.status() != ScsiResponse.GOOD) {
            assertConflict(r);
        }
        return r.status() == ScsiResponse.GOOD;
    }

    @Test
    void registerChangeAndUnregister() {
        assertGood(out(A, REGISTER, 0, 0, 0x1111));
        assertGood(out(B, REGISTER_AND_IGNORE, 0, 0x9999, 0x2222));
        assertThat(keys()).containsExactly(0x1111L, 0x2222L);
        assertThat(in(A, 0).getInt(0)).as("generation").isEqualTo(2);
        assertConflict(out(A, REGISTER, 0, 0x3333, 0x4444));
        assertConflict(out(C, REGISTER, 0, 0x1111, 0x5555));
        assertGood(out(A, REGISTER, 0, 0x1111, 0x1112));
        assertGood(out(B, REGISTER, 0, 0x2222, 0));
        assertGood(out(C, REGISTER, 0, 0, 0));
        assertThat(keys()).containsExactly(0x1112L);
        assertThat(in(A, 0).getInt(0)).isEqualTo(4);
    }

    /** SPC-4 table 45: who may read and write under each type (registered B, unregistered C; A holds). */
    @ParameterizedTest
    @CsvSource({
        "1, true, false, true, false",
        "3, false, false, false, false",
        "5, true, true, true, false",
        "6, true, true, false, false",
        "7, true, true, true, false",
        "8, true, true, false, false"
    })
    void accessUnderEveryType(
            int type, boolean registeredReads, boolean registeredWrites, boolean otherReads, boolean otherWrites) {
        assertGood(out(A, REGISTER, 0, 0, 0xaa));
        assertGood(out(B, REGISTER, 0, 0, 0xbb));
        assertGood(out(A, RESERVE, type, 0xaa, 0));
        ByteBuffer reservation = in(B, 1);
        assertThat(reservation.getInt(4)).isEqualTo(16);
        assertThat(reservation.getLong(8)).isEqualTo(type >= 7 ? 0 : 0xaa);
        assertThat(reservation.get(21)).isEqualTo((byte) type);
        assertThat(canRead(A)).isTrue();
        assertThat(canWrite(A)).isTrue();
        assertThat(canRead(B)).isEqualTo(registeredReads);
        assertThat(canWrite(B)).isEqualTo(registeredWrites);
        assertThat(canRead(C)).isEqualTo(otherReads);
        assertThat(canWrite(C)).isEqualTo(otherWrites);
        assertGood(f.in(C, Cdbs.inquiry(false, 0, 96), 96));
        assertGood(f.in(C, Cdbs.readCapacity16(32), 32));
        assertGood(out(A, RELEASE, type, 0xaa, 0));
        assertThat(canWrite(C)).isTrue();
    }

    @Test
    void reserveAndReleaseRules() {
        assertConflict(out(A, RESERVE, 1, 0, 0));
        assertGood(out(A, REGISTER, 0, 0, 0xaa));
        assertGood(out(B, REGISTER, 0, 0, 0xbb));
        assertConflict(out(A, RESERVE, 1, 0xab, 0));
        assertGood(out(A, RESERVE, 1, 0xaa, 0));
        assertGood(out(A, RESERVE, 1, 0xaa, 0));
        assertConflict(out(A, RESERVE, 3, 0xaa, 0));
        assertConflict(out(B, RESERVE, 1, 0xbb, 0));
        assertGood(out(B, RELEASE, 1, 0xbb, 0));
        assertThat(in(A, 1).getInt(4)).as("B's release did nothing").isEqualTo(16);
        assertSense(out(A, RELEASE, 3, 0xaa, 0), 0x5, 0x26, 0x04);
        assertInvalidField(out(A, RESERVE, 2, 0xaa, 0));
        assertInvalidField(f.out(A, Cdbs.persistentReserveOut(RESERVE, 0x11, 24), Cdbs.reserveParameters(0xaa, 0, 0)));
        assertGood(out(A, RELEASE, 1, 0xaa, 0));
        assertThat(in(A, 1).getInt(4)).isZero();
        assertThat(f.none(B, Cdbs.testUnitReady()).status())
                .as("no UA for releasing Write Exclusive")
                .isEqualTo(ScsiResponse.GOOD);
    }

    @Test
    void releasingARegistrantsOnlyReservationTellsTheOtherRegistrants() {
        assertGood(out(A, REGISTER, 0, 0, 0xaa));
        assertGood(out(B, REGISTER, 0, 0, 0xbb));
        assertGood(out(A, RESERVE, 5, 0xaa, 0));
        assertGood(out(A, REGISTER, 0, 0xaa, 0)); // the holder unregisters: the reservation goes too
        assertSense(f.none(B, Cdbs.testUnitReady()), 0x6, 0x2a, 0x04);
        assertThat(in(B, 1).getInt(4)).isZero();
        assertGood(f.none(C, Cdbs.testUnitReady()));
    }

    @Test
    void allRegistrantsReservationLastsUntilTheLastRegistrantLeaves() {
        assertGood(out(A, REGISTER, 0, 0, 0xaa));
        assertGood(out(B, REGISTER, 0, 0, 0xbb));
        assertGood(out(A, RESERVE, 7, 0xaa, 0));
        assertGood(out(A, REGISTER, 0, 0xaa, 0));
        assertThat(in(B, 1).get(21)).isEqualTo((byte) 7);
        assertThat(canWrite(B)).isTrue();
        assertThat(canWrite(A)).isFalse();
        assertGood(out(B, REGISTER, 0, 0xbb, 0));
        assertThat(in(B, 1).getInt(4)).isZero();
    }

    @Test
    void clearRemovesEverythingAndTellsTheOthers() {
        assertGood(out(A, REGISTER, 0, 0, 0xaa));
        assertGood(out(B, REGISTER, 0, 0, 0xbb));
        assertGood(out(B, RESERVE, 3, 0xbb, 0));
        assertConflict(out(C, CLEAR, 0, 0, 0));
        assertGood(out(A, CLEAR, 0, 0xaa, 0));
        assertThat(keys()).isEmpty();
        assertThat(in(A, 1).getInt(4)).isZero();
        assertSense(f.none(B, Cdbs.testUnitReady()), 0x6, 0x2a, 0x03);
        assertGood(f.none(A, Cdbs.testUnitReady()));
    }

    @Test
    void preemptRemovesRegistrationsAndTakesTheReservation() {
        assertGood(out(A, REGISTER, 0, 0, 0xaa));
        assertGood(out(B, REGISTER, 0, 0, 0xbb));
        int generation = in(A, 0).getInt(0);
        assertGood(out(B, PREEMPT, 3, 0xbb, 0xaa));
        assertThat(keys()).containsExactly(0xbbL);
        assertSense(f.none(A, Cdbs.testUnitReady()), 0x6, 0x2a, 0x05);
        assertThat(in(A, 0).getInt(0)).isEqualTo(generation + 1);
        assertGood(out(A, REGISTER, 0, 0, 0xaa));
        assertGood(out(A, RESERVE, 1, 0xaa, 0));
        assertGood(out(B, PREEMPT, 3, 0xbb, 0xaa));
        ByteBuffer reservation = in(B, 1);
        assertThat(reservation.getLong(8)).isEqualTo(0xbb);
        assertThat(reservation.get(21)).isEqualTo((byte) 3);
        assertThat(canRead(A)).isFalse();
        assertConflict(out(B, PREEMPT, 3, 0xbb, 0xcc));
        assertSense(out(B, PREEMPT, 3, 0xbb, 0), 0x5, 0x26, 0x00);
    }

    @Test
    void registrationForAllTargetPortsCoversTheInitiatorsOtherNexus() {
        assertGood(out(A, REGISTER, 0, 0, 0xaa, 0x04));
        assertGood(out(A_OTHER_PORT, RESERVE, 3, 0xaa, 0));
        assertThat(canWrite(A)).isTrue();
        assertThat(canWrite(B)).isFalse();
        ByteBuffer full = in(B, 3);
        assertThat(full.getInt(4)).isEqualTo(full.limit() - 8);
        assertThat(full.getLong(8)).isEqualTo(0xaa);
        assertThat(full.get(8 + 12)).as("ALL_TG_PT, R_HOLDER").isEqualTo((byte) 0x03);
        assertThat(full.get(8 + 13)).isEqualTo((byte) 3);
        int idLength = full.getInt(8 + 20);
        byte[] id = new byte[idLength];
        full.get(8 + 24, id);
        assertThat(id[0]).as("iSCSI, format 01b").isEqualTo((byte) 0x45);
        assertThat(new String(id, 4, idLength - 4, StandardCharsets.UTF_8))
                .startsWith("iqn.2024-01.test:initiator-a,i,0x23d000000001\0");
        assertThat(idLength % 4).isZero();
    }

    @Test
    void reservationsOutliveTheNexusAndResets() {
        assertGood(out(A, REGISTER, 0, 0, 0xaa));
        assertGood(out(A, RESERVE, 3, 0xaa, 0));
        f.lu.nexusLost(A);
        f.lu.reset(B);
        assertSense(f.none(B, Cdbs.testUnitReady()), 0x6, 0x29, 0x00);
        assertThat(canRead(B)).isFalse();
        assertSense(f.none(C, Cdbs.testUnitReady()), 0x6, 0x29, 0x00);
        assertThat(keys()).containsExactly(0xaaL);
    }

    @Test
    void parameterChecks() {
        assertSense(f.out(A, Cdbs.persistentReserveOut(REGISTER, 0, 20), new byte[20]), 0x5, 0x1a, 0x00);
        assertSense(out(A, REGISTER, 0, 0, 0xaa, 0x01), 0x5, 0x26, 0x00); // APTPL
        assertSense(out(A, REGISTER, 0, 0, 0xaa, 0x08), 0x5, 0x26, 0x00); // SPEC_I_PT
        assertInvalidField(out(A, 7, 0, 0, 0xaa)); // REGISTER AND MOVE
        for (int action = 4; action < 0x20; action++) {
            assertInvalidField(f.in(Cdbs.persistentReserveIn(action, 100), 100));
        }
        assertThat(keys()).isEmpty();
    }

    @Test
    void readKeysTruncatedKeepsItsLength() {
        assertGood(out(A, REGISTER, 0, 0, 0xaa));
        ScsiResponse r = f.in(Cdbs.persistentReserveIn(0, 8), 8);
        ByteBuffer b = buffer(r);
        assertThat(b.limit()).isEqualTo(8);
        assertThat(b.getInt(4)).isEqualTo(8);
    }

    @Test
    void reportCapabilities() {
        ByteBuffer b = in(A, 2);
        assertThat(b.limit()).isEqualTo(8);
        assertThat(b.getShort(0)).isEqualTo((short) 8);
        assertThat(b.get(2) & 0x09).as("no SIP_C, PTPL_C").isZero();
        assertThat(b.get(2) & 0x04).as("ATP_C").isEqualTo(0x04);
        assertThat(b.get(3) & 0x80).as("TMV").isEqualTo(0x80);
        assertThat(b.getShort(4) & 0xffff).isEqualTo(0xea01);
    }
}
