package dev.sgw.smb.file;

import java.util.Locale;

import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.wire.NtStatus;

/**
 * The stream part of a path a CREATE or a stream rename names (MS-FSCC 2.1.5 "stream name", MS-FSA 2.1.5.1):
 * what follows the first colon, {@code NAME}, {@code NAME:$DATA} or {@code :$DATA} (the unnamed data stream,
 * the file itself). The type is matched without case; a stream name keeps the case it was given and is matched
 * without case, as NTFS does ({@link #matches}).
 *
 * <pre>
 * after the colon      | stream
 * ---------------------+-------------------------------------------------------------
 * "Name"               | the named data stream Name
 * "Name:$DATA"         | the same
 * ":$DATA"             | the unnamed data stream (the file's own data)
 * ":$INDEX_ALLOCATION" | a directory's index: the directory itself ({@link #directoryIndex})
 * "" (name ends in :)  | OBJECT_NAME_INVALID
 * "Name:"              | OBJECT_NAME_INVALID (an empty type)
 * "Name:$FOO", "::"    | OBJECT_NAME_INVALID (an unknown type)
 * a name with / \ : or NUL, longer than 255 characters | OBJECT_NAME_INVALID
 * </pre>
 *
 * <p>Any other character, control characters and wildcards included, may be in a stream name (smbtorture's
 * smb2.streams.names and names2 check this against Windows).
 *
 * @param name the stream's name as given; empty for the unnamed data stream
 * @param directoryIndex whether the type was {@code $INDEX_ALLOCATION} (with an empty name)
 */
record StreamName(String name, boolean directoryIndex) {
    /** The unnamed data stream. */
    static final StreamName DEFAULT = new StreamName("", false);

    /** The prefix of the named attribute ({@link dev.sgw.core.volume.NamedAttributes}) holding a stream. */
    static final String ATTRIBUTE_PREFIX = "smb.stream.";

    private static final int MAX_NAME = 255;

    /**
     * Parses what follows the first colon of a path.
     *
     * @throws SmbException OBJECT_NAME_INVALID as the table says
     */
    static StreamName parse(String afterColon) throws SmbException {
        int colon = afterColon.indexOf(':');
        String name = colon < 0 ? afterColon : afterColon.substring(0, colon);
        String type = colon < 0 ? null : afterColon.substring(colon + 1);
        if (type != null && type.indexOf(':') >= 0) {
            throw invalid(afterColon, "a second colon");
        }
        if (type != null && type.isEmpty()) {
            throw invalid(afterColon, "an empty stream type");
        }
        String upperType = type == null ? null : type.toUpperCase(Locale.ROOT);
        if (name.isEmpty()) {
            if ("$DATA".equals(upperType)) {
                return DEFAULT;
            }
            if ("$INDEX_ALLOCATION".equals(upperType)) {
                return new StreamName("", true);
            }
            throw invalid(afterColon, "an empty stream name");
        }
        if (type != null && !"$DATA".equals(upperType)) {
            throw invalid(afterColon, "stream type " + type);
        }
        if (name.length() > MAX_NAME) {
            throw invalid(afterColon, "a stream name longer than " + MAX_NAME);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c == '\0') {
                throw invalid(afterColon, "a stream name with / \\ or NUL");
            }
        }
        return new StreamName(name, false);
    }

    private static SmbException invalid(String afterColon, String why) {
        return new SmbException(NtStatus.OBJECT_NAME_INVALID, why + " in stream ':" + afterColon + "'");
    }

    /** Whether this names the file's own data (or a directory's index), not a named stream. */
    boolean isDefault() {
        return name.isEmpty();
    }

    /** Whether {@code other}, a stream's name, is this one's (without case, as NTFS compares them). */
    boolean matches(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** The named attribute a new stream of this name is kept in. */
    String attribute() {
        return ATTRIBUTE_PREFIX + name;
    }

    /** The stream as FileStreamInformation lists it: {@code :NAME:$DATA}, {@code ::$DATA} for the default. */
    String listed() {
        return ":" + name + ":$DATA";
    }

    @Override
    public String toString() {
        return isDefault() ? "::$DATA" : ":" + name;
    }
}
