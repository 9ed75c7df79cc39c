package dev.sgw.nfs;

import java.net.InetSocketAddress;
import java.util.List;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.UserMapping;
import dev.sgw.core.spi.VolumeDirectory.NfsExport;
import dev.sgw.core.volume.Caller;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.Credential;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How NFS builds the caller and the checked volume from its credentials and the export's rules. The
 * permission rules themselves are tested in core ({@code CheckedFileVolumeTest}).
 */
class ExportAccessTest {
    private static final int R = FileVolume.ACCESS_READ, W = FileVolume.ACCESS_WRITE;

    private static NfsExport export(UserMapping mapping, ClientRule... rules) {
        NfsShare share = NfsShare.builder("/demo")
                .resource("r")
                .cacheDisk("d")
                .userMapping(mapping)
                .anonUid(65534)
                .anonGid(65533)
                .clients(List.of(rules))
                .build();
        return new NfsExport(share, new MemoryFileVolume("export-access"));
    }

    private static CallContext from(String address) {
        return new CallContext(new InetSocketAddress(address, 800), new InetSocketAddress("127.0.0.1", 2049));
    }

    private static Credential sys(int uid, int gid, int... gids) {
        return new Credential.Sys(1, "client", uid, gid, gids);
    }

    private static FileAttributes file(FileType type, int mode, int uid, int gid) {
        return new FileAttributes(new NodeId(5, 1), type, mode, 1, uid, gid, 0, 0, 0, 0, 0, 1);
    }

    private static CheckedFileVolume volume(UserMapping mapping, Credential credential) throws VolumeException {
        return new ExportAccess(null).volume(export(mapping, ClientRule.anyReadWrite()), from("127.0.0.1"), credential);
    }

    @Test
    void aClientOutsideTheAllowListIsRefusedAndTheFirstMatchingRuleDecidesWriting() throws Exception {
        NfsExport export = export(
                UserMapping.NONE,
                new ClientRule("127.0.0.2", true),
                new ClientRule("127.0.0.0/8", false),
                new ClientRule("10.0.0.0/8", true));
        ExportAccess access = new ExportAccess(null);
        VolumeException refused =
                assertThrows(VolumeException.class, () -> access.volume(export, from("192.168.1.1"), sys(1, 1)));
        assertEquals(VolumeError.ACCES, refused.error());
        assertEquals(Nfs3Status.NFS3ERR_ACCES, NfsStatusMapper.nfs3(refused));
        assertEquals(Nfs4Status.NFS4ERR_ACCESS, NfsStatusMapper.nfs4(refused));
        assertTrue(access.volume(export, from("127.0.0.2"), sys(1, 1)).writable());
        CheckedFileVolume readOnly = access.volume(export, from("127.0.0.1"), sys(1, 1));
        assertFalse(readOnly.writable());
        assertEquals(R, readOnly.granted(file(FileType.REGULAR, 0666, 1, 1), R | W), "no write for a read-only client");
    }

    @Test
    void userMappingsSquashAsConfigured() throws Exception {
        assertEquals(0, volume(UserMapping.NONE, sys(0, 0)).caller().uid());
        Caller squashedRoot = volume(UserMapping.ROOT_SQUASH, sys(0, 0, 0, 7)).caller();
        assertEquals(65534, squashedRoot.uid());
        assertEquals(65533, squashedRoot.gid());
        assertArrayEquals(new int[] {65533, 7}, squashedRoot.gids());
        assertEquals(
                1000, volume(UserMapping.ROOT_SQUASH, sys(1000, 100)).caller().uid());
        assertEquals(
                65534, volume(UserMapping.ALL_SQUASH, sys(1000, 100)).caller().uid());
        assertEquals(
                65533,
                volume(UserMapping.ALL_ANONYMOUS, sys(1000, 100)).caller().gid());
        assertEquals(
                65534,
                volume(UserMapping.NONE, Credential.None.INSTANCE).caller().uid(),
                "AUTH_NONE is anonymous");
    }

    @Test
    void allAnonymousExportsIgnoreOwnershipChangesAndOthersCheckThem() throws Exception {
        SetAttributes dropped = volume(UserMapping.ALL_ANONYMOUS, sys(1000, 100))
                .allowedChange(file(FileType.REGULAR, 0644, 65534, 65533), SetAttributes.owner(1000, 100), false);
        assertNull(dropped.uid(), "all_anonymous drops ownership changes instead of failing them");
        assertEquals(
                new SetAttributes(null, 65534, 65533, null, null, null),
                volume(UserMapping.ALL_ANONYMOUS, sys(0, 0)).forNew(SetAttributes.NONE));
        VolumeException refused = assertThrows(
                VolumeException.class,
                () -> volume(UserMapping.ALL_SQUASH, sys(1000, 100))
                        .allowedChange(
                                file(FileType.REGULAR, 0644, 65534, 65533), SetAttributes.owner(1000, 100), false));
        assertEquals(VolumeError.PERM, refused.error());
    }
}
