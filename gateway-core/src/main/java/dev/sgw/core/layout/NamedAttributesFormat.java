package dev.sgw.core.layout;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import dev.sgw.core.volume.NamedAttributes;

/**
 * The compact binary form of a node's named attributes ({@link NamedAttributes}): kept as is in the metadata
 * store, and in the bucket as the base64 of its {@linkplain #compact compact} form ({@link BucketLayout#NAMED}).
 *
 * <pre>
 * form     first byte  then
 * -------  ----------  ---------------------------------------------------------------------------------
 * plain    1           entries, sorted by name (UTF-8 bytewise): name length (u8, 1-255), name (UTF-8),
 *                      value length (unsigned LEB128 varint, at most 64 KiB), value
 * deflated 2           the plain form's entries compressed with raw DEFLATE (RFC 1951)
 * </pre>
 *
 * <p>{@link #decode} accepts both forms and checks everything {@link NamedAttributes} promises (name rules,
 * value and total sizes), so a damaged or hostile value is refused whole, never half read.
 */
public final class NamedAttributesFormat {
    static final byte PLAIN = 1;
    static final byte DEFLATED = 2;
    /** Longest plain form of a node within the limits: its names and values, and 4 bytes of lengths each. */
    private static final int MAX_PLAIN_BYTES = NamedAttributes.MAX_TOTAL_BYTES * 5 + 1;

    private NamedAttributesFormat() {}

    /** The plain form of {@code attributes} (names within {@link NamedAttributes}' rules). */
    public static byte[] encode(Map<String, byte[]> attributes) {
        NavigableMap<String, byte[]> sorted = new TreeMap<>(NamedAttributesFormat::compareUtf8);
        sorted.putAll(attributes);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(PLAIN);
        for (Map.Entry<String, byte[]> e : sorted.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            if (name.length == 0 || name.length > NamedAttributes.MAX_NAME_BYTES) {
                throw new IllegalArgumentException("named attribute name of " + name.length + " bytes");
            }
            out.write(name.length);
            out.writeBytes(name);
            writeVarint(out, e.getValue().length);
            out.writeBytes(e.getValue());
        }
        return out.toByteArray();
    }

    /** The shorter of the plain form of {@code attributes} and its deflated form. */
    public static byte[] compact(Map<String, byte[]> attributes) {
        byte[] plain = encode(attributes);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(plain, 1, plain.length - 1);
            deflater.finish();
            byte[] buffer = new byte[plain.length + 1];
            buffer[0] = DEFLATED;
            int n = 1;
            while (!deflater.finished() && n < buffer.length) {
                n += deflater.deflate(buffer, n, buffer.length - n);
            }
            return deflater.finished() && n < plain.length ? Arrays.copyOf(buffer, n) : plain;
        } finally {
            deflater.end();
        }
    }

    /**
     * The named attributes {@code stored} holds (either form), sorted by name.
     *
     * @throws IllegalArgumentException if it is not a valid form or breaks {@link NamedAttributes}' limits
     */
    public static NavigableMap<String, byte[]> decode(byte[] stored) {
        if (stored.length == 0) {
            throw new IllegalArgumentException("empty named attributes");
        }
        return switch (stored[0]) {
            case PLAIN -> entries(ByteBuffer.wrap(stored, 1, stored.length - 1));
            case DEFLATED -> entries(ByteBuffer.wrap(inflate(stored)));
            default -> throw new IllegalArgumentException("unknown named attributes form " + stored[0]);
        };
    }

    private static NavigableMap<String, byte[]> entries(ByteBuffer in) {
        NavigableMap<String, byte[]> out = new TreeMap<>();
        long total = 0;
        String previous = null;
        while (in.hasRemaining()) {
            int nameLength = in.get() & 0xFF;
            if (nameLength == 0 || nameLength > in.remaining()) {
                throw new IllegalArgumentException("named attribute name of " + nameLength + " bytes");
            }
            byte[] nameBytes = new byte[nameLength];
            in.get(nameBytes);
            String name = utf8(nameBytes);
            if (name.indexOf('\0') >= 0 || (previous != null && compareUtf8(previous, name) >= 0)) {
                throw new IllegalArgumentException("named attribute names are unsorted, repeated or hold NUL");
            }
            int valueLength = readVarint(in);
            if (valueLength > NamedAttributes.MAX_VALUE_BYTES || valueLength > in.remaining()) {
                throw new IllegalArgumentException("named attribute value of " + valueLength + " bytes");
            }
            byte[] value = new byte[valueLength];
            in.get(value);
            total += nameLength + valueLength;
            if (total > NamedAttributes.MAX_TOTAL_BYTES) {
                throw new IllegalArgumentException("named attributes of more than " + total + " bytes");
            }
            out.put(name, value);
            previous = name;
        }
        return out;
    }

    /** The plain entries of a deflated form, refusing more than a node may hold (a DEFLATE bomb). */
    private static byte[] inflate(byte[] stored) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(stored, 1, stored.length - 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length * 4);
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("truncated deflated named attributes");
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_PLAIN_BYTES) {
                    throw new IllegalArgumentException("deflated named attributes inflate beyond the limits");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt deflated named attributes: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a named attribute name is not UTF-8", e);
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static int readVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift <= 21; shift += 7) {
            if (!in.hasRemaining()) {
                throw new IllegalArgumentException("truncated named attribute length");
            }
            int b = in.get() & 0xFF;
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("named attribute length too long");
    }

    /** UTF-8 bytewise order (Java's String order differs beyond the BMP). */
    private static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
