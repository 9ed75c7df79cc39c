package dev.sgw.core.manage;

/**
 * A user who may connect to SMB shares that allow them. Only the password's {@link NtHash} is kept (what
 * NTLMv2 needs); it is encrypted at rest and masked in {@code toString()}.
 *
 * @param name   unique without case; 2-20 characters a Windows user name may have
 * @param ntHash the NT hash of the password
 */
public record SmbUser(String name, NtHash ntHash) {

    public SmbUser {
        String entity = "SMB user '" + FieldRules.printable(String.valueOf(name)) + "'";
        SmbNames.userName(entity, "name", name);
        FieldRules.required(entity, "ntHash", ntHash);
    }

    /** A user whose password is {@code password} (1-256 characters), kept only as its NT hash. */
    public static SmbUser withPassword(String name, String password) {
        String entity = "SMB user '" + FieldRules.printable(String.valueOf(name)) + "'";
        FieldRules.required(entity, "password", password);
        if (password.length() > 256) {
            throw FieldRules.invalid(entity, "password", "must be at most 256 characters");
        }
        return new SmbUser(name, NtHash.ofPassword(password));
    }
}
