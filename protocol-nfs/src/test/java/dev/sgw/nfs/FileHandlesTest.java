package dev.sgw.nfs;

import java.util.List;
import java.util.Optional;

import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.UserMapping;
import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;
import dev.sgw.nfs.FileHandles.FileHandle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileHandlesTest {

    @Test
    void roundTripsExportIdInodeAndGenerationWithinBothLimits() throws Exception {
        NodeId node = new NodeId(Long.MAX_VALUE, 0xFEDC_BA98_7654_3210L);
        byte[] h = FileHandles.encode(Integer.MAX_VALUE, node);
        assertThat(h.length)
                .isLessThanOrEqualTo(FileHandles.NFS3_MAX_BYTES)
                .isLessThanOrEqualTo(FileHandles.NFS4_MAX_BYTES);
        assertThat(FileHandles.decode(h)).isEqualTo(new FileHandle(Integer.MAX_VALUE, node));
        assertThat(FileHandles.decode(FileHandles.encode(7, new NodeId(1, 1))))
                .isEqualTo(new FileHandle(7, new NodeId(1, 1)));
        assertThat(FileHandles.encode(7, new NodeId(1, 1)))
                .isNotEqualTo(FileHandles.encode(7, new NodeId(1, 2)))
                .isNotEqualTo(FileHandles.encode(8, new NodeId(1, 1)));
    }

    @Test
    void malformedOrForeignHandlesAreBadHandle() {
        byte[] good = FileHandles.encode(3, new NodeId(5, 1));
        byte[] shorter = java.util.Arrays.copyOf(good, good.length - 1);
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 4);
        byte[] foreign = good.clone();
        foreign[0] = 0x01;
        byte[] otherFormat = good.clone();
        otherFormat[3] = 2;
        byte[] zeroInode = FileHandles.encode(3, new NodeId(0, 1));
        for (byte[] bad :
                List.of(new byte[0], shorter, longer, foreign, otherFormat, zeroInode, new byte[FileHandles.LENGTH])) {
            assertThatThrownBy(() -> FileHandles.decode(bad)).isInstanceOfSatisfying(BadHandleException.class, e -> {
                assertThat(NfsStatusMapper.nfs3(e)).isEqualTo(Nfs3Status.NFS3ERR_BADHANDLE);
                assertThat(NfsStatusMapper.nfs4(e)).isEqualTo(Nfs4Status.NFS4ERR_BADHANDLE);
            });
        }
        assertThatThrownBy(() -> FileHandles.decode(null)).isInstanceOf(BadHandleException.class);
    }

    @Test
    void aHandleOfARemovedExportIsStaleAndOfAnExistingOneFindsIt() throws Exception {
        NfsShare a = share(3, "/a");
        NfsShare b = share(4, "/b");
        VolumeDirectory both =
                directory(List.of(new VolumeDirectory.NfsExport(a, null), new VolumeDirectory.NfsExport(b, null)));
        FileHandle ofB = FileHandles.decode(FileHandles.encode(4, new NodeId(9, 1)));
        assertThat(FileHandles.export(ofB, both).share().path()).isEqualTo("/b");

        VolumeDirectory onlyA = directory(List.of(new VolumeDirectory.NfsExport(a, null)));
        assertThatThrownBy(() -> FileHandles.export(ofB, onlyA)).isInstanceOfSatisfying(VolumeException.class, e -> {
            assertThat(e.error()).isEqualTo(VolumeError.STALE);
            assertThat(NfsStatusMapper.nfs3(e)).isEqualTo(Nfs3Status.NFS3ERR_STALE);
            assertThat(NfsStatusMapper.nfs4(e)).isEqualTo(Nfs4Status.NFS4ERR_STALE);
        });
    }

    static NfsShare share(int id, String path) {
        return new NfsShare(
                id,
                path,
                VolumeMode.CACHE,
                "res",
                null,
                "disk",
                UserMapping.ROOT_SQUASH,
                NfsShare.NOBODY,
                NfsShare.NOBODY,
                List.of(ClientRule.anyReadWrite()),
                0,
                NfsShare.DEFAULT_UPLOAD_DELAY_SECONDS,
                NfsShare.DEFAULT_CAPACITY);
    }

    private static VolumeDirectory directory(List<VolumeDirectory.NfsExport> exports) {
        return new VolumeDirectory() {
            @Override
            public Optional<NfsExport> nfs(String path) {
                return exports.stream()
                        .filter(e -> e.share().path().equals(path))
                        .findFirst();
            }

            @Override
            public List<NfsExport> nfsExports() {
                return exports;
            }

            @Override
            public Optional<SmbExport> smb(String name) {
                return Optional.empty();
            }

            @Override
            public List<SmbExport> smbExports() {
                return List.of();
            }

            @Override
            public Optional<IscsiLun> iscsi(String volumeName) {
                return Optional.empty();
            }

            @Override
            public List<IscsiLun> iscsiLuns() {
                return List.of();
            }
        };
    }
}
