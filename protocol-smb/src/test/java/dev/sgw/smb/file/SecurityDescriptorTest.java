package dev.sgw.smb.file;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Descriptors kept per file, CREATE's access check from a stored DACL, and inheritance. */
class SecurityDescriptorTest {
    private static final int OPEN = 1, CREATE = 2, OPEN_IF = 3, DIRECTORY_FILE = 1, SECURITY = 3;
    private static final int ALL_PARTS = 7, DACL = 4;
    private static final int READ_CONTROL = AccessMask.READ_CONTROL, WRITE_DAC = AccessMask.WRITE_DAC;
    private static final Sid USER = Sid.unixUser(1000);

    private TestClient client;
    private FileId f;

    @BeforeEach
    void setUp() throws Exception {
        client = new TestClient(new DiskTreeCommands(), TestClient.volume(), 1, 1000);
        client.close(client.open("dir", CREATE, DIRECTORY_FILE), 0);
        f = client.create("dir\\file.txt", READ_CONTROL | WRITE_DAC | AccessMask.WRITE_OWNER, 7, CREATE, 0)
                .fileId();
    }

    private SecurityDescriptor query(FileId id, int parts) throws Exception {
        assertThat(client.queryInfo(id, SECURITY, 0, 4096, parts).statusName()).isEqualTo("SUCCESS");
        return SecurityDescriptor.load(bytes(id, parts)); // as sent: SE_DACL_AUTO_INHERITED kept
    }

    private byte[] bytes(FileId id, int parts) throws Exception {
        TestClient.Answer a = client.queryInfo(id, SECURITY, 0, 4096, parts);
        ByteBuf b = a.body();
        byte[] out = new byte[b.getIntLE(4)];
        b.getBytes(b.getUnsignedShortLE(2) - 64, out);
        return out;
    }

    private static SecurityDescriptor dacl(int control, Ace... aces) {
        return new SecurityDescriptor(
                SecurityDescriptor.DACL_PRESENT | control, null, null, new SecurityDescriptor.Acl(2, List.of(aces)));
    }

    private int setDacl(FileId id, SecurityDescriptor sd) throws Exception {
        return setDacl(id, sd, 0);
    }

    /** Sets {@code sd}'s DACL with {@code extraControl} (e.g. the _REQ flags, never kept) in its Control. */
    private int setDacl(FileId id, SecurityDescriptor sd, int extraControl) throws Exception {
        byte[] bytes = sd.encode(DACL);
        bytes[2] |= (byte) extraControl;
        bytes[3] |= (byte) (extraControl >> 8);
        return client.setInfo(id, SECURITY, 0, DACL, bytes).status();
    }

    private int openStatus(String name, int access) throws Exception {
        TestClient.Answer a = client.create(name, access, 7, OPEN, 0);
        if (a.status() == 0) {
            client.close(a.fileId(), 0);
        }
        return a.status();
    }

    private int granted(String name, int access) throws Exception {
        TestClient.Answer a = client.create(name, access, 7, OPEN, 0);
        assertThat(a.statusName()).isEqualTo("SUCCESS");
        int flags = client.queryInfo(a.fileId(), 1, 8, 4, 0).body().getIntLE(8);
        client.close(a.fileId(), 0);
        return flags;
    }

    private FileAttributes attrs(String... path) throws Exception {
        FileAttributes a = client.memory.getattr(client.memory.root());
        for (String p : path) {
            a = client.memory.lookup(a.id(), p);
        }
        return a;
    }

    @Test
    void aDescriptorWithExtraAcesIsKeptAndReturnedAsSet() throws Exception {
        SecurityDescriptor original = query(f, ALL_PARTS);
        List<Ace> aces = new ArrayList<>(original.dacl.aces());
        aces.add(new Ace(Ace.ALLOWED, 0, 0x1F0000, Sid.AUTHENTICATED_USERS));
        SecurityDescriptor extended = new SecurityDescriptor(
                original.control, original.owner, original.group, new SecurityDescriptor.Acl(2, aces));
        assertThat(client.setInfo(f, SECURITY, 0, ALL_PARTS, extended.encode(ALL_PARTS))
                        .status())
                .isZero();
        assertThat(bytes(f, ALL_PARTS)).isEqualTo(extended.encode(ALL_PARTS));
        assertThat(client.memory.namedAttributes(attrs("dir", "file.txt").id())).containsKey(FileSecurity.ATTRIBUTE);

        // only the owner asked: no DACL, no DACL_PRESENT
        SecurityDescriptor owner = query(f, 1);
        assertThat(owner.owner).isEqualTo(USER);
        assertThat(owner.daclPresent()).isFalse();
    }

    @Test
    void nullDaclGrantsEverythingAndAnEmptyOneOnlyTheOwnersImplicitRights() throws Exception {
        assertThat(client.setInfo(
                                f,
                                SECURITY,
                                0,
                                DACL,
                                new SecurityDescriptor(SecurityDescriptor.DACL_PRESENT, null, null, null).encode(DACL))
                        .status())
                .isZero();
        SecurityDescriptor sd = query(f, ALL_PARTS);
        assertThat(sd.nullDacl()).isTrue();
        assertThat(attrs("dir", "file.txt").mode() & 0777).isEqualTo(0777);
        assertThat(granted("dir\\file.txt", AccessMask.FILE_WRITE_DATA)).isEqualTo(AccessMask.FILE_WRITE_DATA);

        assertThat(setDacl(f, dacl(0))).isZero();
        sd = query(f, ALL_PARTS);
        assertThat(sd.daclPresent()).isTrue();
        assertThat(sd.dacl.aces()).isEmpty();
        assertThat(attrs("dir", "file.txt").mode() & 0777).isZero();
        assertThat(granted("dir\\file.txt", READ_CONTROL)).isEqualTo(READ_CONTROL);
        assertThat(openStatus("dir\\file.txt", AccessMask.FILE_WRITE_DATA)).isEqualTo(NtStatus.ACCESS_DENIED);
        assertThat(openStatus("dir\\file.txt", AccessMask.GENERIC_READ)).isEqualTo(NtStatus.ACCESS_DENIED);

        // a DACL not present in the descriptor set: a NULL DACL
        assertThat(client.setInfo(f, SECURITY, 0, DACL, new SecurityDescriptor(0, null, null, null).encode(DACL))
                        .status())
                .isZero();
        assertThat(query(f, DACL).nullDacl()).isTrue();
    }

    @Test
    void aDenyBeforeAnAllowWinsAndAnAllowBeforeADeny() throws Exception {
        assertThat(setDacl(
                        f,
                        dacl(
                                0,
                                new Ace(Ace.DENIED, 0, AccessMask.FILE_WRITE_DATA, USER),
                                new Ace(Ace.ALLOWED, 0, AccessMask.GENERIC_ALL, Sid.EVERYONE))))
                .isZero();
        assertThat(openStatus("dir\\file.txt", AccessMask.FILE_WRITE_DATA)).isEqualTo(NtStatus.ACCESS_DENIED);
        assertThat(openStatus("dir\\file.txt", AccessMask.FILE_READ_DATA)).isZero();
        assertThat(attrs("dir", "file.txt").mode() & 0777)
                .as("the owner may not write")
                .isEqualTo(0577);

        assertThat(setDacl(
                        f,
                        dacl(
                                0,
                                new Ace(Ace.ALLOWED, 0, AccessMask.GENERIC_ALL, Sid.EVERYONE),
                                new Ace(Ace.DENIED, 0, AccessMask.FILE_WRITE_DATA, USER))))
                .isZero();
        assertThat(openStatus("dir\\file.txt", AccessMask.FILE_WRITE_DATA)).isZero();
    }

    @Test
    void genericRightsAreMappedAndMaximumAllowedAddsTheOwnersAndTheParentsRights() throws Exception {
        assertThat(setDacl(f, dacl(0, new Ace(Ace.ALLOWED, 0, AccessMask.GENERIC_READ, USER))))
                .isZero();
        assertThat(query(f, DACL).dacl.aces().get(0).mask).isEqualTo(AccessMask.FILE_GENERIC_READ);
        assertThat(granted("dir\\file.txt", AccessMask.MAXIMUM_ALLOWED))
                .isEqualTo(AccessMask.FILE_GENERIC_READ
                        | READ_CONTROL
                        | WRITE_DAC
                        | AccessMask.DELETE // the directory grants FILE_DELETE_CHILD
                        | AccessMask.FILE_READ_ATTRIBUTES);
        assertThat(openStatus("dir\\file.txt", AccessMask.GENERIC_WRITE)).isEqualTo(NtStatus.ACCESS_DENIED);
        assertThat(openStatus("dir\\file.txt", AccessMask.GENERIC_READ)).isZero();
        TestClient.Answer overwrite = client.create("dir\\file.txt", AccessMask.FILE_READ_DATA, 7, 5, 0);
        assertThat(overwrite.status()).as("OVERWRITE_IF needs FILE_WRITE_DATA").isEqualTo(NtStatus.ACCESS_DENIED);
    }

    @Test
    void anOwnerRightsAceReplacesTheOwnersImplicitRights() throws Exception {
        assertThat(setDacl(f, dacl(0, new Ace(Ace.ALLOWED, 0, AccessMask.FILE_READ_DATA, Sid.OWNER_RIGHTS))))
                .isZero();
        assertThat(openStatus("dir\\file.txt", READ_CONTROL)).isEqualTo(NtStatus.ACCESS_DENIED);
        assertThat(granted("dir\\file.txt", AccessMask.FILE_READ_DATA)).isEqualTo(AccessMask.FILE_READ_DATA);
    }

    @Test
    void newFilesAndDirectoriesInheritWithCreatorOwnerReplaced() throws Exception {
        FileId dir = client.create("dir", READ_CONTROL | WRITE_DAC, 7, OPEN, DIRECTORY_FILE)
                .fileId();
        assertThat(setDacl(
                        dir,
                        dacl(
                                0,
                                new Ace(
                                        Ace.ALLOWED,
                                        Ace.OBJECT_INHERIT | Ace.CONTAINER_INHERIT,
                                        AccessMask.FILE_WRITE_DATA,
                                        Sid.CREATOR_OWNER),
                                new Ace(Ace.ALLOWED, 0, AccessMask.FILE_ALL_ACCESS, Sid.EVERYONE))))
                .isZero();
        FileId child =
                client.create("dir\\child.txt", READ_CONTROL, 7, CREATE, 0).fileId();
        SecurityDescriptor file = query(child, ALL_PARTS);
        assertThat(file.owner).isEqualTo(USER);
        assertThat(file.dacl.aces()).containsExactly(new Ace(Ace.ALLOWED, 0, AccessMask.FILE_WRITE_DATA, USER));
        assertThat(openStatus("dir\\child.txt", AccessMask.FILE_READ_DATA)).isEqualTo(NtStatus.ACCESS_DENIED);

        FileId sub = client.create("dir\\sub", READ_CONTROL, 7, CREATE, DIRECTORY_FILE)
                .fileId();
        assertThat(query(sub, DACL).dacl.aces())
                .containsExactly(
                        new Ace(Ace.ALLOWED, 0, AccessMask.FILE_WRITE_DATA, USER),
                        new Ace(
                                Ace.ALLOWED,
                                Ace.OBJECT_INHERIT | Ace.CONTAINER_INHERIT | Ace.INHERIT_ONLY,
                                AccessMask.FILE_WRITE_DATA,
                                Sid.CREATOR_OWNER));
    }

    @Test
    void anAutoInheritedParentMarksWhatItPassesOn() throws Exception {
        FileId dir = client.create("dir", READ_CONTROL | WRITE_DAC, 7, OPEN, DIRECTORY_FILE)
                .fileId();
        int control = SecurityDescriptor.DACL_AUTO_INHERITED;
        assertThat(setDacl(
                        dir,
                        dacl(
                                control,
                                new Ace(Ace.ALLOWED, Ace.OBJECT_INHERIT, AccessMask.FILE_GENERIC_WRITE, USER),
                                new Ace(Ace.ALLOWED, 0, AccessMask.FILE_ALL_ACCESS, Sid.EVERYONE)),
                        SecurityDescriptor.DACL_AUTO_INHERIT_REQ))
                .isZero();
        assertThat(query(dir, DACL).control & SecurityDescriptor.DACL_AUTO_INHERITED)
                .isNotZero();
        SecurityDescriptor file =
                query(client.create("dir\\a.txt", READ_CONTROL, 7, CREATE, 0).fileId(), DACL);
        assertThat(file.control & SecurityDescriptor.DACL_AUTO_INHERITED).isNotZero();
        assertThat(file.dacl.aces())
                .containsExactly(new Ace(Ace.ALLOWED, Ace.INHERITED, AccessMask.FILE_GENERIC_WRITE, USER));
        // a directory gets the object-inherit ACE to pass on, inherit-only
        SecurityDescriptor sub = query(
                client.create("dir\\d", READ_CONTROL, 7, CREATE, DIRECTORY_FILE).fileId(), DACL);
        assertThat(sub.dacl.aces())
                .containsExactly(new Ace(
                        Ace.ALLOWED,
                        Ace.OBJECT_INHERIT | Ace.INHERIT_ONLY | Ace.INHERITED,
                        AccessMask.FILE_GENERIC_WRITE,
                        USER));
    }

    @Test
    void theSecDCreateContextSetsTheNewFilesDescriptor() throws Exception {
        SecurityDescriptor given = new SecurityDescriptor(
                SecurityDescriptor.DACL_PRESENT,
                Sid.EVERYONE,
                Sid.of(5, 32, 545),
                new SecurityDescriptor.Acl(
                        2, List.of(new Ace(Ace.ALLOWED, 0, AccessMask.FILE_GENERIC_READ | 0x1F0000, Sid.EVERYONE))));
        TestClient.Answer a = client.createCaching(
                "dir\\secd.txt", AccessMask.MAXIMUM_ALLOWED, CREATE, 0, 0, Map.of("SecD", given.encode(ALL_PARTS)));
        assertThat(a.statusName()).isEqualTo("SUCCESS");
        assertThat(bytes(a.fileId(), ALL_PARTS)).isEqualTo(given.encode(ALL_PARTS));
        assertThat(attrs("dir", "secd.txt").uid())
                .as("a SID that is no Unix user leaves the uid")
                .isEqualTo(1000);
    }

    @Test
    void aChmodFromNfsLetsTheModeRuleAgain() throws Exception {
        assertThat(setDacl(f, dacl(0, new Ace(Ace.ALLOWED, 0, AccessMask.FILE_GENERIC_READ, USER))))
                .isZero();
        assertThat(openStatus("dir\\file.txt", AccessMask.FILE_WRITE_DATA)).isEqualTo(NtStatus.ACCESS_DENIED);
        FileAttributes file = attrs("dir", "file.txt");
        client.memory.setattr(file.id(), new SetAttributes(0640, null, null, null, null, null));
        assertThat(query(f, DACL).dacl.aces()).hasSize(3);
        assertThat(openStatus("dir\\file.txt", AccessMask.FILE_WRITE_DATA)).isZero();
    }

    @Test
    void maximumAllowedWithEachRightOnAFileAuthenticatedUsersMayRead() throws Exception {
        SecurityDescriptor given =
                dacl(0, new Ace(Ace.ALLOWED, 0, AccessMask.FILE_GENERIC_READ, Sid.AUTHENTICATED_USERS));
        TestClient.Answer made = client.createCaching(
                "dir\\max.txt", AccessMask.FILE_ALL_ACCESS, CREATE, 0, 0, Map.of("SecD", given.encode(DACL)));
        assertThat(made.statusName()).isEqualTo("SUCCESS");
        client.close(made.fileId(), 0);
        int ok = AccessMask.FILE_GENERIC_READ
                | AccessMask.GENERIC_READ
                | AccessMask.GENERIC_EXECUTE
                | AccessMask.DELETE
                | WRITE_DAC;
        StringBuilder wrong = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            int mask = AccessMask.MAXIMUM_ALLOWED | (1 << i);
            if (i == 24) {
                continue; // ACCESS_SYSTEM_SECURITY: PRIVILEGE_NOT_HELD
            }
            int status = openStatus("dir\\max.txt", mask);
            boolean expectOk = (mask & ok) != 0 || mask == AccessMask.MAXIMUM_ALLOWED;
            if ((status == 0) != expectOk) {
                wrong.append("bit ")
                        .append(i)
                        .append(": 0x")
                        .append(Integer.toHexString(status))
                        .append(' ');
            }
        }
        assertThat(wrong.toString()).isEmpty();
    }
}
