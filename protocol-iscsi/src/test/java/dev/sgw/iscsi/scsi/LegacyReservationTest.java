package dev.sgw.iscsi.scsi;

import org.junit.jupiter.api.Test;

import static dev.sgw.iscsi.scsi.UnitFixture.A;
import static dev.sgw.iscsi.scsi.UnitFixture.B;
import static dev.sgw.iscsi.scsi.UnitFixture.assertConflict;
import static dev.sgw.iscsi.scsi.UnitFixture.assertGood;
import static dev.sgw.iscsi.scsi.UnitFixture.assertInvalidField;
import static dev.sgw.iscsi.scsi.UnitFixture.assertSense;

/** RESERVE (6) / RELEASE (6) as libiscsi's Reserve6 suite exercises them. */
class LegacyReservationTest {
    private final UnitFixture f = new UnitFixture();

    @Test
    void twoInitiators() {
        assertGood(f.none(A, Cdbs.reserve6()));
        assertGood(f.none(A, Cdbs.reserve6()));
        assertConflict(f.none(B, Cdbs.reserve6()));
        assertGood(f.none(B, Cdbs.release6()));
        assertGood(f.in(A, Cdbs.modeSense6(0, 0, 0x3f, 0, 255), 255));
        assertConflict(f.in(B, Cdbs.modeSense6(0, 0, 0x3f, 0, 255), 255));
        assertConflict(f.none(B, Cdbs.testUnitReady()));
        assertConflict(f.in(B, Cdbs.read10(0, 1), 512));
        assertGood(f.in(B, Cdbs.inquiry(false, 0, 96), 96));
        assertGood(f.in(B, Cdbs.reportLuns(0, 16), 16));
        assertGood(f.in(B, Cdbs.requestSense(18), 18));
        assertConflict(f.none(B, Cdbs.reserve6()));
        assertGood(f.none(A, Cdbs.release6()));
        assertGood(f.none(B, Cdbs.reserve6()));
        assertGood(f.none(B, Cdbs.release6()));
        assertGood(f.none(A, Cdbs.testUnitReady()));
    }

    @Test
    void resetAndNexusLossRelease() {
        assertGood(f.none(A, Cdbs.reserve6()));
        assertConflict(f.none(B, Cdbs.testUnitReady()));
        f.lu.reset(A);
        assertSense(f.none(B, Cdbs.reserve6()), 0x6, 0x29, 0x00);
        assertGood(f.none(B, Cdbs.reserve6()));
        f.lu.nexusLost(B);
        assertSense(f.none(A, Cdbs.reserve6()), 0x6, 0x29, 0x00);
        assertGood(f.none(A, Cdbs.reserve6()));
    }

    @Test
    void persistentReservationWins() {
        f.out(A, Cdbs.persistentReserveOut(0, 0, 24), Cdbs.reserveParameters(0, 0xaa, 0));
        assertGood(f.out(A, Cdbs.persistentReserveOut(1, 1, 24), Cdbs.reserveParameters(0xaa, 0, 0)));
        assertConflict(f.none(A, Cdbs.reserve6()));
        assertConflict(f.none(B, Cdbs.release6()));
    }

    @Test
    void anotherNexusReservationBlocksPersistentReserveCommands() {
        assertGood(f.none(A, Cdbs.reserve6()));
        assertConflict(f.out(B, Cdbs.persistentReserveOut(0, 0, 24), Cdbs.reserveParameters(0, 0xbb, 0)));
        assertGood(f.out(A, Cdbs.persistentReserveOut(0, 0, 24), Cdbs.reserveParameters(0, 0xaa, 0)));
    }

    @Test
    void extentsAndThirdPartiesAreInvalid() {
        assertInvalidField(f.none(A, new byte[] {0x16, 0x01, 0, 0, 0, 0}));
        assertInvalidField(f.none(A, new byte[] {0x56, 0x10, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertGood(f.none(A, new byte[] {0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertConflict(f.none(B, new byte[] {0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertGood(f.none(A, new byte[] {0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
    }
}
