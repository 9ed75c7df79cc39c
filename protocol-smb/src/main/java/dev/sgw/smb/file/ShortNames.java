package dev.sgw.smb.file;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * 8.3 (DOS) names (MS-FSCC 2.1.5.2.1): a name that is a valid 8.3 name is its own short name; any other gets
 * one made from it, the same every time and on every server, so none is stored:
 *
 * <pre>
 * P HHHHH ~ H [. EXT]
 * P      the name's first character that may stand in an 8.3 name, upper case ('_' when none)
 * HHHHH~H six base-36 digits of a 64-bit FNV-1a hash of the name (its UTF-16 code units)
 * EXT    the first three characters after the name's last dot, upper case, those that may not stand in an
 *        8.3 name as '_'; none when the name has no dot or ends with one
 * </pre>
 *
 * A short name is found again ({@link #matches}) by making the short names of a directory's entries. Like
 * Samba, the server also remembers the long names behind the short names it handed out ({@link #remember},
 * at most {@link #REMEMBERED}), so that a CREATE of a short name whose file is gone makes the long name again.
 */
final class ShortNames {
    /** How many short names the server remembers the long names of. */
    static final int REMEMBERED = 4096;

    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String NOT_IN_8_3 = "+,;=[].\"*/:<>?\\|";

    private record Key(Object volume, long directory, String shortName) {}

    private final Map<Key, String> remembered = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, String> eldest) {
            return size() > REMEMBERED;
        }
    };

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
            if (!valid(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean valid(char c) {
        return c > 0x20 && c < 0x7F && NOT_IN_8_3.indexOf(c) < 0;
    }

    /** The 8.3 name of {@code name}: itself when it is one, else the one made from it. */
    static String of(String name) {
        if (isShortName(name)) {
            return name;
        }
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            hash = (hash ^ name.charAt(i)) * 0x100000001b3L;
        }
        StringBuilder s = new StringBuilder(12);
        s.append(prefix(name));
        long h = hash & Long.MAX_VALUE;
        char[] digits = new char[6];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = DIGITS.charAt((int) (h % 36));
            h /= 36;
        }
        s.append(digits, 0, 5).append('~').append(digits[5]);
        String ext = extension(name);
        if (!ext.isEmpty()) {
            s.append('.').append(ext);
        }
        return s.toString();
    }

    private static char prefix(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (valid(c)) {
                return Character.toUpperCase(c);
            }
        }
        return '_';
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return "";
        }
        StringBuilder ext = new StringBuilder(3);
        for (int i = dot + 1; i < name.length() && ext.length() < 3; i++) {
            char c = name.charAt(i);
            ext.append(valid(c) ? Character.toUpperCase(c) : '_');
        }
        return ext.toString();
    }

    /** Whether {@code name} has the form of a made short name (then a lookup that misses tries short names). */
    static boolean looksMade(String name) {
        if (!isShortName(name)) {
            return false;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        int dot = upper.indexOf('.');
        String base = dot < 0 ? upper : upper.substring(0, dot);
        if (base.length() != 8 || base.charAt(6) != '~') {
            return false;
        }
        for (int i = 1; i < 8; i++) {
            if (i != 6 && DIGITS.indexOf(base.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code shortName} (any case) is the 8.3 name of {@code longName}. */
    static boolean matches(String longName, String shortName) {
        return !isShortName(longName) && of(longName).equalsIgnoreCase(shortName);
    }

    /** Remembers that {@code shortName} in {@code directory} of {@code volume} stands for {@code longName}. */
    synchronized void remember(Object volume, long directory, String longName) {
        if (!isShortName(longName)) {
            remembered.put(new Key(volume, directory, of(longName)), longName);
        }
    }

    /** The long name a short name handed out stood for, or null. */
    synchronized String longNameOf(Object volume, long directory, String shortName) {
        return remembered.get(new Key(volume, directory, shortName.toUpperCase(Locale.ROOT)));
    }
}
