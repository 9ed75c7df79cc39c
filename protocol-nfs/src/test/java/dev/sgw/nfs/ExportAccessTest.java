package dev.sgw.nfs;

import java.net.InetSocketAddress;
import java.util.List;

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
import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.Credential;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportAccessTest {
    private static final int R = FileVolume.ACCESS_READ, W = FileVolume.ACCESS_WRITE, X = FileVolume.ACCESS_EXECUTE;

    private static NfsExport export(UserMapping mapping, ClientRule... rules) {
        NfsShare share = NfsShare.builder("/demo")
                .resource("r")
                .cacheDisk("d")
                .userMapping(mapping)
                .anonUid(65534)
                .anonGid(65533)
                .clients(List.of(rules))
                .build();
        return new NfsExport(share, null);
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

    private static Grant grant(UserMapping mapping, Credential credential) throws Nfs3Exception {
        return new ExportAccess(null).grant(export(mapping, ClientRule.anyReadWrite()), from("127.0.0.1"), credential);
    }

    @Test
    void aClientOutsideTheAllowListIsRefusedAndTheFirstMatchingRuleDecidesWriting() throws Exception {
        NfsExport export = export(
                UserMapping.NONE,
                new ClientRule("127.0.0.2", true),
                new ClientRule("127.0.0.0/8", false),
                new ClientRule("10.0.0.0/8", true));
        ExportAccess access = new ExportAccess(null);
        Nfs3Exception refused =
                assertThrows(Nfs3Exception.class, () -> access.grant(export, from("192.168.1.1"), sys(1, 1)));
        assertEquals(Nfs3Status.NFS3ERR_ACCES, refused.status());
        assertTrue(access.grant(export, from("127.0.0.2"), sys(1, 1)).writable());
        Grant readOnly = access.grant(export, from("127.0.0.1"), sys(1, 1));
        assertFalse(readOnly.writable());
        assertEquals(
                Nfs3Status.NFS3ERR_ROFS,
                assertThrows(Nfs3Exception.class, readOnly::requireWritable).status());
        assertEquals(R, readOnly.granted(file(FileType.REGULAR, 0666, 1, 1), R | W), "no write for a read-only client");
    }

    @Test
    void userMappingsSquashAsConfigured() throws Exception {
        assertEquals(0, grant(UserMapping.NONE, sys(0, 0)).caller().uid());
        Caller squashedRoot = grant(UserMapping.ROOT_SQUASH, sys(0, 0, 0, 7)).caller();
        assertEquals(65534, squashedRoot.uid());
        assertEquals(65533, squashedRoot.gid());
        assertArrayEquals(new int[] {65533, 7}, squashedRoot.gids());
        assertEquals(
                1000, grant(UserMapping.ROOT_SQUASH, sys(1000, 100)).caller().uid());
        assertEquals(
                65534, grant(UserMapping.ALL_SQUASH, sys(1000, 100)).caller().uid());
        assertEquals(
                65533, grant(UserMapping.ALL_ANONYMOUS, sys(1000, 100)).caller().gid());
        assertEquals(
                65534,
                grant(UserMapping.NONE, Credential.None.INSTANCE).caller().uid(),
                "AUTH_NONE is anonymous");
    }

    @Test
    void modeBitsGrantByOwnerGroupAndOthers() throws Exception {
        FileAttributes f = file(FileType.REGULAR, 0640, 1000, 100);
        assertEquals(R | W, grant(UserMapping.NONE, sys(1000, 1)).granted(f, R | W | X));
        assertEquals(R, grant(UserMapping.NONE, sys(2000, 2, 100)).granted(f, R | W | X));
        assertEquals(0, grant(UserMapping.NONE, sys(2000, 2)).granted(f, R | W | X));
        Grant root = grant(UserMapping.NONE, sys(0, 0));
        assertEquals(R | W, root.granted(f, R | W | X), "root does not execute a file without x bits");
        assertEquals(R | W | X, root.granted(file(FileType.DIRECTORY, 0, 5, 5), R | W | X));
        Nfs3Exception denied = assertThrows(
                Nfs3Exception.class, () -> grant(UserMapping.NONE, sys(2000, 2)).require(f, R));
        assertEquals(Nfs3Status.NFS3ERR_ACCES, denied.status());
        grant(UserMapping.NONE, sys(1000, 1)).require(file(FileType.REGULAR, 0400, 1000, 100), R | W);
        assertThrows(
                Nfs3Exception.class,
                () -> grant(UserMapping.NONE, sys(1000, 1)).require(file(FileType.DIRECTORY, 0500, 1000, 100), W),
                "no owner override on directories");
    }

    @Test
    void onlyRootGivesFilesAwayAndOwnersChangeModeGroupAndTimes() throws Exception {
        FileAttributes f = file(FileType.REGULAR, 0644, 1000, 100);
        Grant owner = grant(UserMapping.NONE, sys(1000, 100, 200));
        Grant other = grant(UserMapping.NONE, sys(2000, 100));
        assertEquals(
                Nfs3Status.NFS3ERR_PERM,
                assertThrows(Nfs3Exception.class, () -> owner.checkSetattr(f, SetAttributes.owner(2000, 100)))
                        .status());
        assertEquals(
                200,
                owner.checkSetattr(f, new SetAttributes(null, null, 200, null, null, null))
                        .gid());
        assertThrows(
                Nfs3Exception.class, () -> owner.checkSetattr(f, new SetAttributes(null, null, 300, null, null, null)));
        assertThrows(Nfs3Exception.class, () -> other.checkSetattr(f, SetAttributes.mode(0777)));
        assertThrows(Nfs3Exception.class, () -> other.checkSetattr(f, SetAttributes.times(1L, 1L)));
        FileAttributes shared = file(FileType.REGULAR, 0666, 1000, 100);
        assertEquals(
                5L,
                other.checkSetattr(shared, SetAttributes.times(5L, 5L), true).mtime(),
                "a writer may set the server's time");
        assertEquals(0755, owner.checkSetattr(f, SetAttributes.mode(02755)).mode() & 07777 & ~02000);
        assertEquals(
                0,
                grant(UserMapping.NONE, sys(1000, 5))
                                .checkSetattr(f, SetAttributes.mode(02755))
                                .mode()
                        & 02000,
                "setgid dropped for a group the owner is not in");
        assertEquals(
                SetAttributes.owner(2000, 300),
                grant(UserMapping.NONE, sys(0, 0)).checkSetattr(f, SetAttributes.owner(2000, 300)));
        SetAttributes dropped = grant(UserMapping.ALL_ANONYMOUS, sys(1000, 100))
                .checkSetattr(file(FileType.REGULAR, 0644, 65534, 65533), SetAttributes.owner(1000, 100));
        assertNull(dropped.uid(), "all_anonymous drops ownership changes instead of failing them");
    }

    @Test
    void newFilesBelongToTheCaller() throws Exception {
        SetAttributes asked = new SetAttributes(0600, 42, 43, null, null, null);
        assertEquals(
                new SetAttributes(0600, 1000, 100, null, null, null),
                grant(UserMapping.NONE, sys(1000, 100)).forNew(asked));
        assertEquals(asked, grant(UserMapping.NONE, sys(0, 0)).forNew(asked), "root may choose the owner");
        assertEquals(
                new SetAttributes(0600, 65534, 65533, null, null, null),
                grant(UserMapping.ROOT_SQUASH, sys(0, 0)).forNew(asked));
        assertEquals(
                new SetAttributes(null, 65534, 65533, null, null, null),
                grant(UserMapping.ALL_ANONYMOUS, sys(0, 0)).forNew(SetAttributes.NONE));
    }
}
