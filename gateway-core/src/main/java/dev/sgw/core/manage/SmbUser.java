package dev.sgw.core.manage;

/**
 * A user who may connect to SMB shares that allow them. Only the password's {@link NtHash} is kept (what
 * NTLMv2 needs); it is encrypted at rest and masked in {@code toString()}.
 *
 * @param name    unique without case; 2-20 characters a Windows user name may have
 * @param ntHash  the NT hash of the password
 * @param enabled false: the user's logons fail with STATUS_ACCOUNT_DISABLED once the password is verified (a
 *                wrong password stays a plain logon failure) and their tree connects are refused; default true
 * @param uid     the uid the user acts as on a share (POSIX checks, owner of the files and directories they
 *                make), so that files written over SMB show their writer over NFS; null (the default): the
 *                share's ownerUid
 * @param gid     likewise their gid; null: the share's ownerGid
 */
public record SmbUser(String name, NtHash ntHash, boolean enabled, Integer uid, Integer gid) {
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 256;

    public SmbUser {
        String entity = entity(name);
        SmbNames.userName(entity, "name", name);
        FieldRules.required(entity, "ntHash", ntHash);
        if (uid != null) {
            FieldRules.posixId(entity, "uid", uid);
        }
        if (gid != null) {
            FieldRules.posixId(entity, "gid", gid);
        }
    }

    /** An enabled user acting as the owner of the shares they use. */
    public SmbUser(String name, NtHash ntHash) {
        this(name, ntHash, true, null, null);
    }

    /**
     * An enabled user whose password is {@code password} ({@value #MIN_PASSWORD}-{@value #MAX_PASSWORD}
     * characters), kept only as its NT hash.
     */
    public static SmbUser withPassword(String name, String password) {
        String entity = entity(name);
        SmbNames.userName(entity, "name", name); // the name's problem first, as the record reports it
        return new SmbUser(name, hash(entity, password));
    }

    /** This user with the password changed to {@code password}, everything else kept. */
    public SmbUser withNewPassword(String password) {
        return new SmbUser(name, hash(entity(name), password), enabled, uid, gid);
    }

    public SmbUser withEnabled(boolean on) {
        return new SmbUser(name, ntHash, on, uid, gid);
    }

    /** This user acting as {@code newUid}:{@code newGid} (null: the share's owner). */
    public SmbUser withIds(Integer newUid, Integer newGid) {
        return new SmbUser(name, ntHash, enabled, newUid, newGid);
    }

    /** The uid the user acts as on {@code share}: their own, else the share's owner. */
    public int uidOn(SmbShare share) {
        return uid != null ? uid : share.ownerUid();
    }

    /** The gid the user acts as on {@code share}. */
    public int gidOn(SmbShare share) {
        return gid != null ? gid : share.ownerGid();
    }

    private static NtHash hash(String entity, String password) {
        FieldRules.required(entity, "password", password);
        if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw FieldRules.invalid(
                    entity,
                    "password",
                    "must be " + MIN_PASSWORD + "-" + MAX_PASSWORD + " characters, got " + password.length());
        }
        return NtHash.ofPassword(password);
    }

    private static String entity(String name) {
        return "SMB user '" + FieldRules.printable(String.valueOf(name)) + "'";
    }
}
