package dev.sgw.nfs;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NfsStatusMapperTest {
    /** What another protocol holds (SMB share modes, mandatory locks, delete-on-close): no POSIX error of its own. */
    private static final Set<VolumeError> SHARING =
            EnumSet.of(VolumeError.SHARING_VIOLATION, VolumeError.LOCKED, VolumeError.DELETE_PENDING);

    private static Set<VolumeError> posixErrors() {
        return EnumSet.complementOf(EnumSet.copyOf(SHARING));
    }

    @Test
    void everyVolumeErrorHasItsOwnNfs3StatusOtherThanOkAndServerFault() {
        Set<Nfs3Status> seen = EnumSet.noneOf(Nfs3Status.class);
        for (VolumeError e : posixErrors()) {
            Nfs3Status s = NfsStatusMapper.nfs3(e);
            assertThat(s).as(e.name()).isNotIn(Nfs3Status.NFS3_OK, Nfs3Status.NFS3ERR_SERVERFAULT);
            assertThat(seen.add(s)).as("%s maps to %s, already used", e, s).isTrue();
        }
    }

    @Test
    void whatAnotherProtocolHoldsIsAccessDeniedInNfs3AndItsOwnStatusInNfs4() {
        for (VolumeError e : SHARING) {
            assertThat(NfsStatusMapper.nfs3(e)).as(e.name()).isEqualTo(Nfs3Status.NFS3ERR_ACCES);
        }
        assertThat(NfsStatusMapper.nfs4(VolumeError.SHARING_VIOLATION)).isEqualTo(Nfs4Status.NFS4ERR_SHARE_DENIED);
        assertThat(NfsStatusMapper.nfs4(VolumeError.LOCKED)).isEqualTo(Nfs4Status.NFS4ERR_LOCKED);
        assertThat(NfsStatusMapper.nfs4(VolumeError.DELETE_PENDING)).isEqualTo(Nfs4Status.NFS4ERR_ACCESS);
    }

    @Test
    void everyVolumeErrorHasItsOwnNfs4StatusOtherThanOkAndServerFault() {
        Set<Nfs4Status> seen = EnumSet.noneOf(Nfs4Status.class);
        for (VolumeError e : posixErrors()) {
            Nfs4Status s = NfsStatusMapper.nfs4(e);
            assertThat(s).as(e.name()).isNotIn(Nfs4Status.NFS4_OK, Nfs4Status.NFS4ERR_SERVERFAULT);
            assertThat(seen.add(s)).as("%s maps to %s, already used", e, s).isTrue();
        }
    }

    @Test
    void namesAndCodesAgreeBetweenVersionsWhereBothHaveTheError() {
        for (VolumeError e : posixErrors()) {
            Nfs3Status v3 = NfsStatusMapper.nfs3(e);
            Nfs4Status v4 = NfsStatusMapper.nfs4(e);
            assertThat(v4.code()).as(e.name()).isEqualTo(v3.code()); // JUKEBOX and DELAY are both 10008
        }
        assertThat(NfsStatusMapper.nfs3(VolumeError.NOENT).code()).isEqualTo(2);
        assertThat(NfsStatusMapper.nfs3(VolumeError.STALE).code()).isEqualTo(70);
        assertThat(NfsStatusMapper.nfs3(VolumeError.BADCOOKIE).code()).isEqualTo(10003);
        assertThat(NfsStatusMapper.nfs4(VolumeError.ACCES).code()).isEqualTo(13);
    }

    @Test
    void wireCodesAreUnique() {
        assertThat(Arrays.stream(Nfs3Status.values())
                        .mapToInt(Nfs3Status::code)
                        .distinct()
                        .count())
                .isEqualTo(Nfs3Status.values().length);
        assertThat(Arrays.stream(Nfs4Status.values())
                        .mapToInt(Nfs4Status::code)
                        .distinct()
                        .count())
                .isEqualTo(Nfs4Status.values().length);
    }

    @Test
    void failuresThatAreNotVolumeErrorsAreServerFaults() {
        assertThat(NfsStatusMapper.nfs3(new IllegalStateException("bug"))).isEqualTo(Nfs3Status.NFS3ERR_SERVERFAULT);
        assertThat(NfsStatusMapper.nfs4(new IllegalStateException("bug"))).isEqualTo(Nfs4Status.NFS4ERR_SERVERFAULT);
        assertThat(NfsStatusMapper.nfs3((VolumeError) null)).isEqualTo(Nfs3Status.NFS3ERR_SERVERFAULT);
        assertThat(NfsStatusMapper.nfs3(new VolumeException(VolumeError.ROFS, "read-only")))
                .isEqualTo(Nfs3Status.NFS3ERR_ROFS);
        assertThat(NfsStatusMapper.nfs4(new VolumeException(VolumeError.ROFS, "read-only")))
                .isEqualTo(Nfs4Status.NFS4ERR_ROFS);
        assertThat(NfsStatusMapper.nfs3(new Nfs3Exception(Nfs3Status.NFS3ERR_BADHANDLE, "x")))
                .isEqualTo(Nfs3Status.NFS3ERR_BADHANDLE);
        assertThat(NfsStatusMapper.nfs3(new BadHandleException("x"))).isEqualTo(Nfs3Status.NFS3ERR_BADHANDLE);
        assertThat(NfsStatusMapper.nfs4(new BadHandleException("x"))).isEqualTo(Nfs4Status.NFS4ERR_BADHANDLE);
        assertThat(NfsStatusMapper.nfs4(new Nfs4Exception(Nfs4Status.NFS4ERR_BADSESSION, "x")))
                .isEqualTo(Nfs4Status.NFS4ERR_BADSESSION);
        assertThat(NfsStatusMapper.nfs4(new Nfs3Exception(Nfs3Status.NFS3ERR_NOT_SYNC, "x")))
                .as("an NFSv3 status never leaks into NFSv4")
                .isEqualTo(Nfs4Status.NFS4ERR_SERVERFAULT);
    }
}
