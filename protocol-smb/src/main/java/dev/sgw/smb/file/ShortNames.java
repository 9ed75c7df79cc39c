package dev.sgw.smb.file;

/** Whether a name is a valid 8.3 (DOS) name by itself (MS-FSCC 2.1.5.2.1): no short names are generated. */
final class ShortNames {
    private ShortNames() {}

    /** A base of 1-8 and an optional extension of 1-3 characters, printable ASCII without spaces or {@code +,;=[]}. */
    static boolean isShortName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return false;
        }
        int dot = name.indexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        if (base.isEmpty() || base.length() > 8 || ext.length() > 3 || (dot >= 0 && ext.isEmpty())) {
            return false;
        }
        return validChars(base) && validChars(ext);
    }

    private static boolean validChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F || "+,;=[].".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
