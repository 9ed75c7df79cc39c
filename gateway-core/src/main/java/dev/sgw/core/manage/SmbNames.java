package dev.sgw.core.manage;

import java.util.Locale;
import java.util.Set;

/** What Windows accepts as a share name and as a user name; both are compared without case. */
final class SmbNames {
    private static final String SHARE_FORBIDDEN = "\"/\\[]:|<>+=;,*?";
    private static final String USER_FORBIDDEN = "\"/\\[]:;|=,+*?<>@";
    private static final Set<String> RESERVED_SHARES = Set.of("ipc$", "admin$", "print$");

    private SmbNames() {}

    static String shareName(String entity, String name) {
        FieldRules.required(entity, "name", name);
        if (name.length() > 80
                || !allowed(name, SHARE_FORBIDDEN)
                || name.strip().length() != name.length()) {
            throw FieldRules.invalid(
                    entity,
                    "name",
                    "must be 1-80 characters without control characters, leading or " + "trailing spaces or any of "
                            + SHARE_FORBIDDEN + ", got '" + FieldRules.printable(name) + "'");
        }
        if (RESERVED_SHARES.contains(key(name))) {
            throw FieldRules.invalid(entity, "name", "'" + name + "' is reserved by SMB");
        }
        return name;
    }

    static String userName(String entity, String field, String name) {
        FieldRules.required(entity, field, name);
        if (name.length() < 2
                || name.length() > 20
                || !allowed(name, USER_FORBIDDEN)
                || name.strip().length() != name.length()
                || name.chars().allMatch(c -> c == '.' || c == ' ')) {
            throw FieldRules.invalid(
                    entity,
                    field,
                    "must be 2-20 characters without control characters, leading or " + "trailing spaces or any of "
                            + USER_FORBIDDEN + ", not only dots, got '" + FieldRules.printable(name) + "'");
        }
        return name;
    }

    /** The case-insensitive key of a share or user name. */
    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static boolean allowed(String name, String forbidden) {
        return name.chars().noneMatch(c -> c < 0x20 || c == 0x7f || forbidden.indexOf(c) >= 0);
    }
}
