package dev.sgw.smb.file;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.sgw.core.volume.DirEntry;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.wire.NtStatus;

/**
 * A path inside a share as CREATE and rename name it (MS-SMB2 2.2.13, MS-FSCC 2.1.5): components separated by
 * backslashes (or slashes, which Samba takes as separators too), relative to the share's root ("" is the root
 * itself); a name that is the 8.3 name the server made for an entry finds that entry. A trailing {@code ::$DATA}
 * (the unnamed
 * data stream) is accepted and dropped; any other stream is OBJECT_NAME_NOT_FOUND here (CREATE parses its name as
 * a {@link StreamPath}, which opens named streams); a component with {@code " * : < > ? |} or a control character is OBJECT_NAME_INVALID.
 *
 * @param components the names from the root, none empty
 */
record SharePath(List<String> components) {
    static final SharePath ROOT = new SharePath(List.of());

    SharePath {
        components = List.copyOf(components);
    }

    /**
     * Parses a client's path.
     *
     * @throws SmbException INVALID_PARAMETER for a leading backslash, OBJECT_NAME_INVALID for a bad character
     *     or an empty component, OBJECT_NAME_NOT_FOUND for a named stream
     */
    static SharePath parse(String raw) throws SmbException {
        String s = raw.replace('/', '\\');
        if (s.startsWith("\\")) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "path starts with a backslash: " + raw);
        }
        while (s.endsWith("\\")) {
            s = s.substring(0, s.length() - 1);
        }
        int colon = s.indexOf(':');
        if (colon >= 0) {
            String stream = s.substring(colon).toUpperCase(Locale.ROOT);
            if (!stream.equals("::$DATA") && !stream.equals(":$DATA")) {
                throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "no named streams: " + raw);
            }
            s = s.substring(0, colon);
        }
        if (s.isEmpty()) {
            return ROOT;
        }
        List<String> parts = new ArrayList<>();
        for (String part : s.split("\\\\", -1)) {
            checkComponent(part, raw);
            if (part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new SmbException(NtStatus.OBJECT_PATH_SYNTAX_BAD, "'..' in " + raw);
            }
            parts.add(part);
        }
        return new SharePath(parts);
    }

    private static void checkComponent(String part, String raw) throws SmbException {
        if (part.isEmpty()) {
            throw new SmbException(NtStatus.OBJECT_NAME_INVALID, "empty component in " + raw);
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < 0x20 || "\"*:<>?|".indexOf(c) >= 0) {
                throw new SmbException(NtStatus.OBJECT_NAME_INVALID, "invalid character in " + raw);
            }
        }
    }

    boolean isRoot() {
        return components.isEmpty();
    }

    String name() {
        return components.isEmpty() ? "" : components.getLast();
    }

    SharePath parent() {
        return isRoot() ? this : new SharePath(components.subList(0, components.size() - 1));
    }

    SharePath child(String name) {
        List<String> c = new ArrayList<>(components);
        c.add(name);
        return new SharePath(c);
    }

    /** The path as clients write it (backslashes, no leading one). */
    @Override
    public String toString() {
        return String.join("\\", components);
    }

    /**
     * The directory holding this path's last name.
     *
     * @throws SmbException OBJECT_PATH_NOT_FOUND when a directory on the way is missing or not a directory
     */
    FileAttributes resolveParent(FileVolume volume) throws SmbException, IOException {
        FileAttributes at = volume.getattr(volume.root());
        for (int i = 0; i < components.size() - 1; i++) {
            Found next;
            try {
                next = find(volume, at, components.get(i));
            } catch (VolumeException e) {
                if (e.error() == VolumeError.NOTDIR) {
                    throw new SmbException(NtStatus.OBJECT_PATH_NOT_FOUND, "no directory " + components.get(i));
                }
                throw e;
            }
            if (next == null) {
                throw new SmbException(NtStatus.OBJECT_PATH_NOT_FOUND, "no directory " + components.get(i));
            }
            at = next.attributes();
            if (!at.isDirectory()) {
                throw new SmbException(NtStatus.OBJECT_PATH_NOT_FOUND, components.get(i) + " is not a directory");
            }
        }
        return at;
    }

    /** The file this path names, or null when its last name does not exist (its directory does). */
    FileAttributes resolve(FileVolume volume) throws SmbException, IOException {
        FileAttributes dir = resolveParent(volume);
        if (isRoot()) {
            return dir;
        }
        return lookupOrNull(volume, dir, name());
    }

    static FileAttributes lookupOrNull(FileVolume volume, FileAttributes dir, String name) throws IOException {
        Found found = find(volume, dir, name);
        return found == null ? null : found.attributes();
    }

    /** An entry found by a client's name: its own name (the long one when found by its 8.3 name) and attributes. */
    record Found(String name, FileAttributes attributes) {}

    /**
     * The entry {@code name} names in {@code dir}: the entry of that name, else, for a name of the form of a made
     * 8.3 name ({@link ShortNames#looksMade}), the entry whose 8.3 name it is (found by reading the directory);
     * null when none.
     */
    static Found find(FileVolume volume, FileAttributes dir, String name) throws IOException {
        try {
            return new Found(name, volume.lookup(dir.id(), name));
        } catch (VolumeException e) {
            if (e.error() != VolumeError.NOENT) {
                throw e;
            }
        }
        if (!ShortNames.looksMade(name)) {
            return null;
        }
        long cookie = 0;
        long verifier = 0;
        while (true) {
            DirPage page = volume.readdir(dir.id(), cookie, verifier, 1024);
            for (DirEntry e : page.entries()) {
                if (ShortNames.matches(e.name(), name)) {
                    return new Found(e.name(), e.attributes());
                }
                cookie = e.cookie();
            }
            if (page.eof() || page.entries().isEmpty()) {
                return null;
            }
            verifier = page.verifier();
        }
    }
}
